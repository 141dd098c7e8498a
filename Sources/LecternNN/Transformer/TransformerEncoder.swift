// A stack of encoder layers, with an optional final LayerNorm.
//
// Reference: Vaswani et al. (2017) §3.1 ("a stack of N = 6 identical layers") and
// `torch.nn.TransformerEncoder(encoder_layer, num_layers, norm)` (PyTorch 2.x): parameters
// `layers.0.…`, `layers.1.…`, and `norm.…` when there is a final norm. A pre-LN stack needs that
// final norm (its residual stream is never normalised otherwise); `nn.Transformer` adds it in
// both orders.
//
// Departure: torch deep-copies one layer N times, so a standalone TransformerEncoder starts with
// N identical layers; here each layer is initialised on its own (nn.Transformer re-initialises
// its matrices anyway).

/// N encoder layers applied in turn, then an optional LayerNorm.
///
///     var rng = SeededGenerator(seed: 0)
///     let encoder = TransformerEncoder(TransformerLayerConfig(dModel: 64, nhead: 4), numLayers: 2,
///                                      finalNorm: true, using: &rng)
///     let memory = encoder(x, attentionMask: sourceMask)   // (B, S, 64)
public final class TransformerEncoder: Module {
    /// The layers, bottom first (`layers.0`, `layers.1`, …).
    ///
    ///     encoder.layers.count   // 2
    public let layers: [TransformerEncoderLayer]
    /// The LayerNorm after the last layer (`norm`), if any.
    public let norm: LayerNorm?
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// `numLayers` layers of the given shape, with a final LayerNorm when `finalNorm`.
    ///
    ///     let encoder = TransformerEncoder(config, numLayers: 6, finalNorm: false, using: &rng)
    public init(_ config: TransformerLayerConfig, numLayers: Int, finalNorm: Bool, using generator: inout SeededGenerator) {
        require(numLayers >= 0, "TransformerEncoder: numLayers must be non-negative, got \(numLayers)")
        layers = (0..<numLayers).map { _ in TransformerEncoderLayer(config, using: &generator) }
        norm = finalNorm ? config.makeNorm() : nil
    }

    public var children: NamedModules {
        namedList("layers", layers) + (norm.map { [("norm", $0 as any Module)] } ?? [])
    }

    /// Every layer in turn over `x` (B, T, d), then the final norm.
    ///
    ///     let memory = encoder(embedded, attentionMask: attentionMask(lengths: lengths, maxLength: s))
    public func callAsFunction(_ x: Tensor, attentionMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        var h = x                                                                // (B, T, d)
        for layer in layers { h = layer(h, attentionMask: attentionMask, isCausal: isCausal) }
        return norm.map { $0(h) } ?? h                                           // (B, T, d)
    }
}
