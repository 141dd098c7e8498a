// A stack of decoder layers with an optional final LayerNorm, and its key/value cache.
//
// Reference: Vaswani et al. (2017) §3.1 and `torch.nn.TransformerDecoder(decoder_layer,
// num_layers, norm)` (PyTorch 2.x): parameters `layers.0.…`, …, and `norm.…`. The cache is one
// ``DecoderLayerCache`` per layer, like Hugging Face's `past_key_values`; its length is the number
// of target tokens already decoded, which is also the position of the next one.

/// What a decoder stack keeps between decoding steps: one ``DecoderLayerCache`` per layer.
///
///     var cache = TransformerDecoderCache(layers: decoder.layers.count)
///     let y = decoder(step, memory: memory, cache: &cache)   // step: (B, 1, d)
///     cache.length                                            // 1
public struct TransformerDecoderCache: Sendable {
    /// One cache per decoder layer, bottom first.
    ///
    ///     cache.layers[0].selfAttention?.length   // tokens decoded so far
    public var layers: [DecoderLayerCache]

    /// An empty cache for a decoder of `layers` layers.
    ///
    ///     var cache = TransformerDecoderCache(layers: 6)
    public init(layers: Int) {
        self.layers = Array(repeating: DecoderLayerCache(), count: layers)
    }

    /// The number of target tokens whose keys and values are cached: the position of the next
    /// token.
    ///
    ///     cache.length   // 0 before the first step
    public var length: Int { layers.first?.selfAttention?.length ?? 0 }
}

/// N decoder layers applied in turn, then an optional LayerNorm.
///
///     let decoder = TransformerDecoder(TransformerLayerConfig(dModel: 64, nhead: 4), numLayers: 2,
///                                      finalNorm: true, using: &rng)
///     let y = decoder(targetEmbedded, memory: memory, memoryMask: sourceMask)   // (B, T, 64)
public final class TransformerDecoder: Module {
    /// The layers, bottom first (`layers.0`, `layers.1`, …).
    public let layers: [TransformerDecoderLayer]
    /// The LayerNorm after the last layer (`norm`), if any.
    public let norm: LayerNorm?
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// `numLayers` layers of the given shape, with a final LayerNorm when `finalNorm`.
    ///
    ///     let decoder = TransformerDecoder(config, numLayers: 6, finalNorm: true, using: &rng)
    public init(_ config: TransformerLayerConfig, numLayers: Int, finalNorm: Bool, using generator: inout SeededGenerator) {
        require(numLayers >= 0, "TransformerDecoder: numLayers must be non-negative, got \(numLayers)")
        layers = (0..<numLayers).map { _ in TransformerDecoderLayer(config, using: &generator) }
        norm = finalNorm ? config.makeNorm() : nil
    }

    public var children: NamedModules {
        namedList("layers", layers) + (norm.map { [("norm", $0 as any Module)] } ?? [])
    }

    /// Every layer in turn over the whole target `x` (B, T, d), attending to `memory` (B, S, d).
    ///
    ///     let y = decoder(target, memory: memory, memoryMask: sourceMask)   // (B, T, d)
    public func callAsFunction(_ x: Tensor, memory: Tensor, targetMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               isCausal: Bool = true) -> Tensor {
        var cache = TransformerDecoderCache(layers: layers.count)
        return self(x, memory: memory, targetMask: targetMask, memoryMask: memoryMask, isCausal: isCausal, cache: &cache)
    }

    /// Every layer in turn over the newest target tokens `x` (B, t, d), reading and extending
    /// `cache`. Decoding one token at a time this way gives the same outputs as the full pass.
    ///
    ///     var cache = TransformerDecoderCache(layers: decoder.layers.count)
    ///     let first = decoder(bosEmbedded, memory: memory, cache: &cache)    // (B, 1, d)
    ///
    /// - Precondition: `cache` has one entry per layer.
    public func callAsFunction(_ x: Tensor, memory: Tensor, targetMask: Tensor? = nil, memoryMask: Tensor? = nil,
                               isCausal: Bool = true, cache: inout TransformerDecoderCache) -> Tensor {
        require(cache.layers.count == layers.count,
                "TransformerDecoder: a cache for \(cache.layers.count) layers given to a decoder of \(layers.count); make it with TransformerDecoderCache(layers: \(layers.count))")
        var h = x                                                                // (B, t, d)
        for (index, layer) in layers.enumerated() {
            h = layer(h, memory: memory, targetMask: targetMask, memoryMask: memoryMask, isCausal: isCausal,
                      cache: &cache.layers[index])
        }
        return norm.map { $0(h) } ?? h                                           // (B, t, d)
    }
}
