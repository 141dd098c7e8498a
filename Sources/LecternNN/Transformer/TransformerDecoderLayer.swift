// One decoder layer: masked self-attention, cross-attention over the encoder output, then the
// feed-forward network, each inside a residual connection with layer normalisation.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.1, §3.2.3 and Figure 1
// (right), and `torch.nn.TransformerDecoderLayer(…, batch_first=True, norm_first, bias)`
// (PyTorch 2.x), whose names (`self_attn`, `multihead_attn`, `linear1`, `linear2`, `norm1`–`norm3`)
// are this layer's:
//
//     x ← SublayerConnection(x, norm1, dropout1, MaskedSelfAttention)     queries, keys, values: x
//     x ← SublayerConnection(x, norm2, dropout2, CrossAttention(·, memory)) queries: x; keys, values: memory
//     x ← SublayerConnection(x, norm3, dropout3, FFN)
//
// In cross-attention the *queries come from the decoder* and the keys and values from the
// encoder output ("memory"): each target position asks which source positions it needs, as the
// RNN decoder of Lesson 2 did. (Lecture deck 002 swaps the roles of X and X′ in its formula.)
//
// Incremental decoding: the same code runs over the whole target (training, teacher forcing)
// or over its newest token with a ``DecoderLayerCache``: the self-attention keys and values of
// earlier tokens are taken from the cache and the new token's are appended; the cross-attention
// keys and values of the memory are computed at the first call and then reused. The causal mask
// is bottom-right aligned, so the new token sees every cached one.

/// What one decoder layer keeps between decoding steps: its self-attention's keys and values
/// so far, and its cross-attention's keys and values of the encoder output.
///
///     var cache = DecoderLayerCache()          // empty before the first step
///     let y = layer(x, memory: memory, cache: &cache)
///     cache.selfAttention?.length              // the tokens seen so far
public struct DecoderLayerCache: Sendable {
    /// The self-attention keys and values of every target token so far, (B, heads, t, hs).
    ///
    ///     cache.selfAttention?.keys.shape   // [B, heads, t, hs]
    public var selfAttention: KeyValueCache?
    /// The cross-attention keys and values of the memory, (B, heads, S, hs), computed once.
    ///
    ///     cache.crossAttention?.length   // S, the source length
    public var crossAttention: KeyValueCache?

    /// An empty cache.
    ///
    ///     var cache = DecoderLayerCache()
    public init(selfAttention: KeyValueCache? = nil, crossAttention: KeyValueCache? = nil) {
        self.selfAttention = selfAttention
        self.crossAttention = crossAttention
    }
}

/// A Transformer decoder layer with PyTorch's names; inputs are batch-first.
///
///     var rng = SeededGenerator(seed: 0)
///     let layer = TransformerDecoderLayer(TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 256), using: &rng)
///     let target = Tensor.randn([2, 9, 64], using: &rng)     // (B, T, d)
///     let memory = Tensor.randn([2, 12, 64], using: &rng)    // (B, S, d): the encoder output
///     let y = layer(target, memory: memory, memoryMask: attentionMask(lengths: [12, 7], maxLength: 12))   // (B, T, d)
public final class TransformerDecoderLayer: Module {
    /// The layer's shape.
    ///
    ///     layer.config.dModel   // 64
    public let config: TransformerLayerConfig
    /// Masked multi-head self-attention over the target (`self_attn`).
    public let selfAttn: MultiheadAttention
    /// Cross-attention from the target to the memory (`multihead_attn`).
    public let multiheadAttn: MultiheadAttention
    /// The feed-forward block; its `linear1` and `linear2` are named as the layer's own.
    public let feedForward: PositionwiseFeedForward
    /// The LayerNorm around self-attention (`norm1`).
    public let norm1: LayerNorm
    /// The LayerNorm around cross-attention (`norm2`).
    public let norm2: LayerNorm
    /// The LayerNorm around the feed-forward block (`norm3`).
    public let norm3: LayerNorm
    /// Dropout on the self-attention output (`dropout1`).
    public let dropout1: Dropout
    /// Dropout on the cross-attention output (`dropout2`).
    public let dropout2: Dropout
    /// Dropout on the feed-forward output (`dropout3`).
    public let dropout3: Dropout
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// A layer of the given shape, initialised as torch initialises one.
    ///
    ///     let layer = TransformerDecoderLayer(TransformerLayerConfig(dModel: 32, nhead: 2), using: &rng)
    public init(_ config: TransformerLayerConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "TransformerDecoderLayer")
        self.config = config
        selfAttn = config.makeAttention(using: &generator)
        multiheadAttn = config.makeAttention(using: &generator)
        feedForward = config.makeFeedForward(using: &generator)
        (norm1, norm2, norm3) = (config.makeNorm(), config.makeNorm(), config.makeNorm())
        dropout1 = config.makeDropout(using: &generator)
        dropout2 = config.makeDropout(using: &generator)
        dropout3 = config.makeDropout(using: &generator)
    }

    /// torch's order and names (the parameter-free dropouts are listed for `train()`/`eval()`).
    public var children: NamedModules {
        [("self_attn", selfAttn), ("multihead_attn", multiheadAttn), ("linear1", feedForward.linear1),
         ("dropout", feedForward.dropout), ("linear2", feedForward.linear2),
         ("norm1", norm1), ("norm2", norm2), ("norm3", norm3),
         ("dropout1", dropout1), ("dropout2", dropout2), ("dropout3", dropout3)]
    }

    /// The layer over a whole target `x` (B, T, d) given the encoder output `memory` (B, S, d).
    ///
    ///     let y = layer(target, memory: memory, memoryMask: sourceMask)   // (B, T, d)
    ///
    /// - Parameters:
    ///   - targetMask: which target tokens may be attended, 1 = attend: (B, T) padding, or any
    ///     form ``scaledDotProductAttention(query:key:value:attentionMask:isCausal:scale:dropout:)`` takes.
    ///   - memoryMask: which source tokens may be attended, 1 = attend: (B, S).
    ///   - isCausal: hide future target tokens (true for a decoder).
    public func callAsFunction(_ x: Tensor, memory: Tensor, targetMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               isCausal: Bool = true) -> Tensor {
        var cache = DecoderLayerCache()
        return self(x, memory: memory, targetMask: targetMask, memoryMask: memoryMask, isCausal: isCausal, cache: &cache)
    }

    /// The layer over the newest target tokens `x` (B, t, d), with the keys and values of
    /// earlier tokens and of the memory taken from `cache`, which is updated. With an empty cache
    /// this is the full forward pass.
    ///
    ///     var cache = DecoderLayerCache()
    ///     for token in embeddedTokens {                                    // each (B, 1, d)
    ///         let y = layer(token, memory: memory, memoryMask: sourceMask, cache: &cache)   // (B, 1, d)
    ///     }
    ///
    /// - Parameter targetMask: with a cache, covers every target token so far: (B, cached + t).
    public func callAsFunction(_ x: Tensor, memory: Tensor, targetMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               isCausal: Bool = true, cache: inout DecoderLayerCache) -> Tensor {
        let attended = sublayerConnection(x, norm: norm1, dropout: dropout1, normFirst: config.normFirst) { h in
            let step = selfAttn.keysAndValues(key: h, value: h)                 // (B, nh, t, hs) each
            // Written in place after the cached tokens (amortized; see KeyValueCache).
            cache.selfAttention.appendOrStart(step)
            return selfAttn.attend(h, to: cache.selfAttention!, attentionMask: targetMask,
                                   isCausal: isCausal).output                   // (B, t, d) over (B, nh, cached + t, hs)
        }
        let crossed = sublayerConnection(attended, norm: norm2, dropout: dropout2, normFirst: config.normFirst) { h in
            let memoryKeysValues = cache.crossAttention ?? multiheadAttn.keysAndValues(key: memory, value: memory)  // (B, nh, S, hs)
            cache.crossAttention = memoryKeysValues
            return multiheadAttn.attend(h, to: memoryKeysValues, attentionMask: memoryMask).output   // (B, t, d)
        }
        return sublayerConnection(crossed, norm: norm3, dropout: dropout3, normFirst: config.normFirst) { h in
            feedForward(h)                                                      // (B, t, d)
        }
    }
}
