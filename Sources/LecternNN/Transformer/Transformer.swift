// The encoder–decoder Transformer, without embeddings or output layer.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) Figure 1, and
// `torch.nn.Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers,
// dim_feedforward, dropout, activation, layer_norm_eps, batch_first=True, norm_first, bias)`
// (PyTorch 2.x): an encoder of N layers with a final LayerNorm (`encoder.layers.*`,
// `encoder.norm`), a decoder likewise (`decoder.layers.*`, `decoder.norm`), and every matrix
// re-initialised xavier-uniform (`_reset_parameters`). Parameter names match torch's state dict.
//
// The three attentions: encoder self-attention (each source token over the whole source),
// decoder masked self-attention (each target token over the tokens before it), and
// encoder–decoder attention (each target token over the encoder output). Token embeddings,
// positions and the output projection belong to a whole model (LecternModels'
// `TransformerSeq2SeqModel`), as they do around `nn.Transformer` in torch.
//
// Uses: the encoder alone is BERT's shape (classification, tagging, retrieval), the decoder
// alone without cross-attention is GPT's (language modelling), and both together translate.

/// `torch.nn.Transformer`: an encoder stack and a decoder stack over already-embedded sequences.
///
///     var rng = SeededGenerator(seed: 0)
///     let transformer = Transformer(TransformerConfig(layer: TransformerLayerConfig(dModel: 64, nhead: 4),
///                                                     numEncoderLayers: 2, numDecoderLayers: 2), using: &rng)
///     let y = transformer(source: src, target: tgt, sourceMask: srcMask)   // src (B, S, 64), tgt (B, T, 64) → (B, T, 64)
///     Transformer(TransformerConfig(), using: &rng).parameterCount      // 44_140_544, the base model without embeddings
public final class Transformer: Module {
    /// The stack's shape.
    ///
    ///     transformer.config.numEncoderLayers   // 2
    public let config: TransformerConfig
    /// The encoder, with its final LayerNorm (`encoder`).
    public let encoder: TransformerEncoder
    /// The decoder, with its final LayerNorm (`decoder`).
    public let decoder: TransformerDecoder
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// A Transformer initialised as torch's: every parameter of rank ≥ 2 xavier-uniform.
    ///
    ///     let base = Transformer(TransformerConfig(), using: &rng)   // 6 + 6 layers, d 512, 8 heads
    public init(_ config: TransformerConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "Transformer")
        self.config = config
        encoder = TransformerEncoder(config.layer, numLayers: config.numEncoderLayers, finalNorm: true, using: &generator)
        decoder = TransformerDecoder(config.layer, numLayers: config.numDecoderLayers, finalNorm: true, using: &generator)
        for parameter in parameters() where parameter.shape.count > 1 {
            parameter.value = Tensor.xavierUniform(parameter.shape, using: &generator)
        }
    }

    public var children: NamedModules { [("encoder", encoder), ("decoder", decoder)] }

    /// The decoder's output for `target` (B, T, d), attending to the encoded `source` (B, S, d).
    ///
    ///     let y = transformer(source: src, target: tgt,
    ///                         sourceMask: attentionMask(lengths: srcLengths, maxLength: s))   // (B, T, d)
    ///
    /// - Parameters:
    ///   - sourceMask: which source tokens are real, 1 = attend: (B, S). Used by encoder
    ///     self-attention and by cross-attention.
    ///   - targetMask: which target tokens are real, 1 = attend: (B, T). Rarely needed: with
    ///     right padding the causal mask already keeps real tokens from seeing padding.
    ///   - isCausal: hide future target tokens (torch's `tgt_mask = generate_square_subsequent_mask(T)`).
    public func callAsFunction(source: Tensor, target: Tensor, sourceMask: Tensor? = nil, targetMask: Tensor? = nil,
                               isCausal: Bool = true) -> Tensor {
        let memory = encoder(source, attentionMask: sourceMask)                   // (B, S, d)
        return decoder(target, memory: memory, targetMask: targetMask, memoryMask: sourceMask, isCausal: isCausal)  // (B, T, d)
    }
}
