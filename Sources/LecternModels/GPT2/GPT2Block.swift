// One GPT-2 block: masked multi-head self-attention and a feed-forward network, each with a
// pre-LN residual connection.
//
// Reference: Radford et al. (2019) §2.3 ("Layer normalization was moved to the input of each
// sub-block") and transformers' `GPT2Attention`, `GPT2MLP`, `GPT2Block` (models/gpt2/
// modeling_gpt2.py), whose attribute names these are:
//
//     h = x + c_proj(Attention(c_attn(ln_1(x))))       causal: token i sees tokens ≤ i
//     y = h + c_proj(gelu_new(c_fc(ln_2(h))))
//
// Layout: Hugging Face keeps OpenAI's `Conv1D` weights, [in, out]; here every projection is a
// `Linear` stored [out, in], and the checkpoint loader transposes the four Conv1D weights as it
// reads them (GPT2LMHeadModel's naming rule), and back when saving.
//
// With a cache, the block's attention appends the new tokens' keys and values to the layer's
// KeyValueCache and the new queries attend to all of them, bottom-right causal.

import LecternCore
import LecternNN

/// Causal self-attention with one packed Q/K/V projection (`attn`).
public final class GPT2Attention: Module {
    /// W^Q, W^K, W^V stacked, 3d × d (`c_attn`; Conv1D [d, 3d] in checkpoints).
    public let cAttn: Linear
    /// The output projection W^O, d × d (`c_proj`).
    public let cProj: Linear
    /// Dropout on the attention probabilities (`attn_pdrop`).
    public let attnDropout: Dropout
    /// Dropout on the output (`resid_pdrop`).
    public let residDropout: Dropout
    /// Heads per block.
    public let numHeads: Int
    /// The factor on Q·Kᵀ: 1/√(head dim), or 1 when `scale_attn_weights` is false.
    public let scale: Float
    public var training = true

    /// The attention of `config`, with parameters from `scope`.
    public init(_ config: GPT2Config, _ scope: ParameterScope) {
        let d = config.nEmbd
        cAttn = config.newLinear(scope("c_attn"), d, 3 * d)
        cProj = config.newLinear(scope("c_proj"), d, d, endsResidualBranch: true)
        attnDropout = Dropout(p: config.attnPdrop, seed: scope.seed())
        residDropout = Dropout(p: config.residPdrop, seed: scope.seed())
        numHeads = config.nHead
        scale = config.scaleAttnWeights ? 1 / Float(d / config.nHead).squareRoot() : 1
    }

    public var children: NamedModules {
        [("c_attn", cAttn), ("c_proj", cProj), ("attn_dropout", attnDropout), ("resid_dropout", residDropout)]
    }

    /// Attention of the T new tokens `x` (B, T, d) to themselves and to the cached ones.
    ///
    /// - Parameters:
    ///   - allowed: (B, 1, 1, S) nonzero for real tokens among all S = cached + T, or nil.
    ///   - cache: this layer's keys and values so far (nil: none); updated with the new tokens'.
    public func callAsFunction(_ x: Tensor, allowed: Tensor?, cache: inout KeyValueCache?, capacity: Int = 0) -> Tensor {
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        let qkv = cAttn(x)                                                              // (B, T, 3d): heads side by side
        let step = KeyValueCache(key: .packed(qkv, heads: numHeads, columns: d..<(2 * d)),
                                 value: .packed(qkv, heads: numHeads, columns: (2 * d)..<(3 * d)))
        cache.appendOrStart(step, reserving: capacity)                                  // (B, nh, S, hd) each
        let s = cache!.length
        let (context, _) = Tensor.attention(
            query: .packed(qkv, heads: numHeads, columns: 0..<d), key: cache!.key, value: cache!.value,
            allowed: allowed, isCausal: true, scale: scale,
            dropoutMask: attnDropout.mask([b, numHeads, t, s]), outputLayout: .merged)    // (B, T, d)
        return residDropout(cProj(context))                                             // (B, T, d)
    }
}

/// The feed-forward network (`mlp`): d → 4d → d with GELU (tanh form).
public final class GPT2MLP: Module {
    /// d → inner (`c_fc`; Conv1D [d, inner] in checkpoints).
    public let cFc: Linear
    /// inner → d (`c_proj`).
    public let cProj: Linear
    /// `activation_function` (GPT-2: "gelu_new").
    public let activation: Activation
    /// Dropout on the output (`resid_pdrop`).
    public let dropout: Dropout
    public var training = true

    /// The network of `config`, with parameters from `scope`.
    public init(_ config: GPT2Config, _ scope: ParameterScope) {
        cFc = config.newLinear(scope("c_fc"), config.nEmbd, config.innerSize)
        cProj = config.newLinear(scope("c_proj"), config.innerSize, config.nEmbd, endsResidualBranch: true)
        activation = config.activationFunction
        dropout = Dropout(p: config.residPdrop, seed: scope.seed())
    }

    public var children: NamedModules { [("c_fc", cFc), ("c_proj", cProj), ("dropout", dropout)] }

    /// dropout(c_proj(gelu(c_fc(x)))), (B, T, d).
    public func callAsFunction(_ x: Tensor) -> Tensor { dropout(cProj(activation(cFc(x)))) }
}

/// One pre-LN block (`h.N`).
public final class GPT2Block: Module {
    /// LayerNorm before attention (`ln_1`).
    public let ln1: LayerNorm
    /// Masked self-attention (`attn`).
    public let attn: GPT2Attention
    /// LayerNorm before the MLP (`ln_2`).
    public let ln2: LayerNorm
    /// The feed-forward network (`mlp`).
    public let mlp: GPT2MLP
    public var training = true

    /// The block of `config`, with parameters from `scope`.
    public init(_ config: GPT2Config, _ scope: ParameterScope) {
        ln1 = LayerNorm(scope("ln_1"), dim: config.nEmbd, eps: config.layerNormEpsilon)
        attn = GPT2Attention(config, scope("attn"))
        ln2 = LayerNorm(scope("ln_2"), dim: config.nEmbd, eps: config.layerNormEpsilon)
        mlp = GPT2MLP(config, scope("mlp"))
    }

    public var children: NamedModules { [("ln_1", ln1), ("attn", attn), ("ln_2", ln2), ("mlp", mlp)] }

    /// x + attn(ln_1(x)), then + mlp(ln_2(·)): (B, T, d).
    public func callAsFunction(_ x: Tensor, allowed: Tensor?, cache: inout KeyValueCache?, capacity: Int = 0) -> Tensor {
        let h = x + attn(ln1(x), allowed: allowed, cache: &cache, capacity: capacity)   // (B, T, d)
        return h + mlp(ln2(h))                                                         // (B, T, d)
    }
}
