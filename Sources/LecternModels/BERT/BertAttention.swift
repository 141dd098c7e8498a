// BERT's multi-head self-attention block: Q, K, V projections, scaled dot-product attention
// over all positions (bidirectional: no causal mask), output projection, residual, LayerNorm.
//
// Reference: Vaswani et al. (2017) §3.2 and transformers' `BertSelfAttention`,
// `BertSelfOutput`, `BertAttention` (models/bert/modeling_bert.py), whose names these are:
//
//     context = softmax(Q Kᵀ / √d_head + mask) V      per head, heads concatenated
//     out     = LayerNorm(dropout(dense(context)) + input)        (post-LN, as in the paper)
//
// The mask is Hugging Face's `attention_mask` (1 = token, 0 = padding), broadcast to every
// query and head; the fused kernel (LecternCore's Tensor.attention) reads Q, K and V where the
// three projections leave them, (B, T, H) rows with the heads side by side, and writes the
// merged (B, T, H) context without a copy.

import LecternCore
import LecternNN

/// The attention proper (`attention.self`): query/key/value projections and softmax attention.
///
///     let (context, weights) = layer.attention.selfAttention(h, allowed: mask)   // (B, T, H), (B, A, T, T)
public final class BertSelfAttention: Module {
    /// W^Q, W^K, W^V, each H × H stored [out, in] (`query`, `key`, `value`).
    public let query: Linear, key: Linear, value: Linear
    /// Dropout on the attention probabilities (`attention_probs_dropout_prob`).
    public let dropout: Dropout
    /// The number of heads A.
    public let numHeads: Int
    public var training = true

    /// The projections of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        let h = config.hiddenSize
        func projection(_ name: String) -> Linear {
            config.newLinear(scope(name), h, h)
        }
        query = projection("query")
        key = projection("key")
        value = projection("value")
        dropout = Dropout(p: config.attentionProbsDropoutProb, seed: scope.seed())
        numHeads = config.numAttentionHeads
    }

    public var children: NamedModules { [("query", query), ("key", key), ("value", value), ("dropout", dropout)] }

    /// Attention of every position to every allowed position: the merged context (B, T, H)
    /// and the weights (B, A, T, T).
    ///
    /// - Parameter allowed: (B, 1, 1, T), nonzero where a key may be attended to; nil for all.
    public func callAsFunction(_ hidden: Tensor, allowed: Tensor?) -> (context: Tensor, weights: Tensor) {
        let (b, t) = (hidden.shape[0], hidden.shape[1])
        let q = query(hidden), k = key(hidden), v = value(hidden)   // (B, T, H) each, heads side by side
        let (context, weights) = Tensor.attention(
            query: .packed(q, heads: numHeads), key: .packed(k, heads: numHeads), value: .packed(v, heads: numHeads),
            allowed: allowed, dropoutMask: dropout.mask([b, numHeads, t, t]), outputLayout: .merged)   // (B, T, H), (B, A, T, T)
        return (context, weights)
    }
}

/// A sub-layer's output: projection, dropout, residual connection and LayerNorm
/// (`attention.output` with H → H, and each layer's `output` with I → H).
///
///     let y = layer.attention.output(context, residual: hidden)   // (B, T, H)
public final class BertResidualOutput: Module {
    /// The projection back to H (`dense`).
    public let dense: Linear
    /// The LayerNorm after the residual sum (`LayerNorm`).
    public let layerNorm: LayerNorm
    /// Dropout on the projection (`hidden_dropout_prob`).
    public let dropout: Dropout
    public var training = true

    /// A projection from `inFeatures` to H, with parameters from `scope`.
    public init(_ config: BertConfig, inFeatures: Int, _ scope: ParameterScope) {
        dense = config.newLinear(scope("dense"), inFeatures, config.hiddenSize)
        layerNorm = LayerNorm(scope("LayerNorm"), dim: config.hiddenSize, eps: config.layerNormEps)
        dropout = Dropout(p: config.hiddenDropoutProb, seed: scope.seed())
    }

    public var children: NamedModules { [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)] }

    /// LayerNorm(dropout(dense(x)) + residual), (B, T, H).
    public func callAsFunction(_ x: Tensor, residual: Tensor) -> Tensor {
        layerNorm(dropout(dense(x)) + residual)   // (B, T, H)
    }
}

/// Self-attention with its output sub-layer (`attention`: `self` and `output`).
///
///     let (y, weights) = layer.attention(hidden, allowed: nil)   // (B, T, H), (B, A, T, T)
public final class BertAttention: Module {
    /// The attention proper (`self`).
    public let selfAttention: BertSelfAttention
    /// Projection, residual and LayerNorm (`output`).
    public let output: BertResidualOutput
    public var training = true

    /// The block of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        selfAttention = BertSelfAttention(config, scope("self"))
        output = BertResidualOutput(config, inFeatures: config.hiddenSize, scope("output"))
    }

    public var children: NamedModules { [("self", selfAttention), ("output", output)] }

    /// The block's output (B, T, H) and the attention weights (B, A, T, T).
    public func callAsFunction(_ hidden: Tensor, allowed: Tensor?) -> (output: Tensor, weights: Tensor) {
        let (context, weights) = selfAttention(hidden, allowed: allowed)   // (B, T, H), (B, A, T, T)
        return (output(context, residual: hidden), weights)              // (B, T, H)
    }
}
