// One BERT encoder layer, and the stack of them.
//
// Reference: transformers' `BertIntermediate`, `BertOutput`, `BertLayer`, `BertEncoder`
// (models/bert/modeling_bert.py); Devlin et al. (2019) §3 (BERT-base: L = 12, H = 768, A = 12,
// FFN 4H = 3072):
//
//     a = LayerNorm(x + Attention(x))                 attention.{self, output}
//     y = LayerNorm(a + W₂ GELU(W₁ a + b₁) + b₂)      intermediate.dense, output.dense
//
// Post-LN, as the original Transformer: the LayerNorm comes after each residual sum.

import LecternCore
import LecternNN

/// The feed-forward block's first half: H → I and the activation (`intermediate`).
///
///     let inner = layer.intermediate(a)   // (B, T, I)
public final class BertIntermediate: Module {
    /// W₁, I × H (`dense`).
    public let dense: Linear
    /// `hidden_act` (BERT: the exact erf GELU).
    public let activation: Activation
    public var training = true

    /// The block of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        dense = config.newLinear(scope("dense"), config.hiddenSize, config.intermediateSize)
        activation = config.hiddenAct
    }

    public var children: NamedModules { [("dense", dense)] }

    /// activation(x W₁ᵀ + b₁), (B, T, I).
    public func callAsFunction(_ x: Tensor) -> Tensor { activation(dense(x)) }
}

/// One encoder layer (`encoder.layer.N`): attention, then the feed-forward block.
///
///     let (y, weights) = model.encoder.layers[0](hidden, allowed: nil)
public final class BertLayer: Module {
    /// Self-attention with residual and LayerNorm (`attention`).
    public let attention: BertAttention
    /// H → I with GELU (`intermediate`).
    public let intermediate: BertIntermediate
    /// I → H with residual and LayerNorm (`output`).
    public let output: BertResidualOutput
    public var training = true

    /// The layer of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        attention = BertAttention(config, scope("attention"))
        intermediate = BertIntermediate(config, scope("intermediate"))
        output = BertResidualOutput(config, inFeatures: config.intermediateSize, scope("output"))
    }

    public var children: NamedModules { [("attention", attention), ("intermediate", intermediate), ("output", output)] }

    /// The layer's output (B, T, H) and its attention weights (B, A, T, T).
    public func callAsFunction(_ hidden: Tensor, allowed: Tensor?) -> (output: Tensor, weights: Tensor) {
        let (a, weights) = attention(hidden, allowed: allowed)      // (B, T, H), (B, A, T, T)
        return (output(intermediate(a), residual: a), weights)     // (B, T, H)
    }
}

/// The stack of L layers (`encoder.layer`).
///
///     model.encoder.layers.count   // 12 in BERT-base
public final class BertEncoder: Module {
    /// The layers, applied in order (`layer.0`, `layer.1`, …).
    public let layers: [BertLayer]
    public var training = true

    /// L layers of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        layers = (0..<config.numHiddenLayers).map { BertLayer(config, scope("layer")($0)) }
    }

    public var children: NamedModules { namedList("layer", layers) }
}
