// One encoder layer: self-attention, then the position-wise feed-forward network, each inside a
// residual connection with layer normalisation.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.1 and Figure 1 (left), and
// `torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
// layer_norm_eps, batch_first=True, norm_first, bias)` (PyTorch 2.x), whose parameter names
// (`self_attn.*`, `linear1`, `linear2`, `norm1`, `norm2`) are this layer's, so a torch state dict
// loads unchanged:
//
//     x ← SublayerConnection(x, norm1, dropout1, SelfAttention)
//     x ← SublayerConnection(x, norm2, dropout2, FFN)          FFN = linear2(dropout(act(linear1(x))))
//
// post-LN (`norm_first = false`, the paper) or pre-LN (`true`); see SublayerConnection.swift.
// Every token attends to every token of the same sentence, in both directions; with `isCausal`
// the same layer is a decoder-only (GPT-style) block.

/// A Transformer encoder layer with PyTorch's names; inputs are batch-first (B, T, d_model).
///
///     var rng = SeededGenerator(seed: 0)
///     let layer = TransformerEncoderLayer(TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 256), using: &rng)
///     let x = Tensor.randn([2, 10, 64], using: &rng)                              // (B, T, d)
///     let y = layer(x, attentionMask: attentionMask(lengths: [10, 6], maxLength: 10))   // (B, T, d)
///     layer.namedParameters().map(\.name).first   // "self_attn.in_proj_weight"
public final class TransformerEncoderLayer: Module {
    /// The layer's shape.
    ///
    ///     layer.config.normFirst   // false
    public let config: TransformerLayerConfig
    /// Multi-head self-attention (`self_attn`).
    ///
    ///     layer.selfAttn.numHeads   // 4
    public let selfAttn: MultiheadAttention
    /// The feed-forward block; its `linear1` and `linear2` are named as the layer's own.
    ///
    ///     layer.feedForward.linear1.weight.shape   // [256, 64]
    public let feedForward: PositionwiseFeedForward
    /// The LayerNorm around self-attention (`norm1`).
    public let norm1: LayerNorm
    /// The LayerNorm around the feed-forward block (`norm2`).
    public let norm2: LayerNorm
    /// Dropout on the self-attention output (`dropout1`).
    public let dropout1: Dropout
    /// Dropout on the feed-forward output (`dropout2`).
    public let dropout2: Dropout
    /// Training mode (dropout active) or evaluation mode; set for the tree with `train()`/`eval()`.
    public var training = true

    /// A layer of the given shape, initialised as torch initialises one.
    ///
    ///     let layer = TransformerEncoderLayer(TransformerLayerConfig(normFirst: true), using: &rng)
    public init(_ config: TransformerLayerConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "TransformerEncoderLayer")
        self.config = config
        selfAttn = config.makeAttention(using: &generator)
        feedForward = config.makeFeedForward(using: &generator)
        (norm1, norm2) = (config.makeNorm(), config.makeNorm())
        dropout1 = config.makeDropout(using: &generator)
        dropout2 = config.makeDropout(using: &generator)
    }

    /// torch's order and names; the dropouts have no parameters but are listed so that
    /// `train()`/`eval()` reach them.
    public var children: NamedModules {
        [("self_attn", selfAttn), ("linear1", feedForward.linear1), ("dropout", feedForward.dropout),
         ("linear2", feedForward.linear2), ("norm1", norm1), ("norm2", norm2),
         ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// The layer applied to `x` (B, T, d_model).
    ///
    ///     let y = layer(x)                                   // bidirectional, no padding
    ///     let z = layer(x, attentionMask: padding)           // padding: (B, T), 1 = real token
    ///     let g = layer(x, isCausal: true)                   // a decoder-only block
    ///
    /// - Parameters:
    ///   - attentionMask: which tokens may be attended, 1 = attend (Hugging Face's
    ///     `attention_mask`): (B, T), or any form ``scaledDotProductAttention(query:key:value:attentionMask:isCausal:scale:dropout:)`` takes.
    ///   - isCausal: hide the future from every token.
    public func callAsFunction(_ x: Tensor, attentionMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        let attended = sublayerConnection(x, norm: norm1, dropout: dropout1, normFirst: config.normFirst) { h in
            selfAttn(h, attentionMask: attentionMask, isCausal: isCausal)       // (B, T, d)
        }
        return sublayerConnection(attended, norm: norm2, dropout: dropout2, normFirst: config.normFirst) { h in
            feedForward(h)                                                      // (B, T, d)
        }
    }
}
