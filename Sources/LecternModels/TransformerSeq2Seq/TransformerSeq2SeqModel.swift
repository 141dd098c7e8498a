// The encoder–decoder Transformer over token ids: embeddings, positions, `nn.Transformer`, and
// the output projection — the model of "Attention Is All You Need".
//
// Reference: Vaswani et al. (2017) Figure 1 and §3.4–3.5:
//
//     x = Dropout(Embedding(source) · √d_model + PE(0 … S−1))            (B, S, d)
//     y = Dropout(Embedding(decoder input) · √d_model + PE(0 … T−1))      (B, T, d)
//     memory = Encoder(x, source padding mask)                            (B, S, d)
//     h = Decoder(y, memory, causal mask, source padding mask)            (B, T, d)
//     logits = h · Eᵀ   (tied: the embedding matrix E is also the output projection)   (B, T, V)
//
// Why √d_model: embeddings are initialised small (xavier, std ≈ √(2 / (V + d))) while positional
// encodings are in [−1, 1]; the scale keeps the token signal from being drowned by the position
// signal. The source and target share one vocabulary and one embedding table here (the paper
// shared a 37,000-token BPE vocabulary between English and German).
//
// Training is teacher forcing through the ``EncoderDecoder`` protocol (`loss`, `fit`); decoding
// runs the encoder once and the decoder one token at a time with a key/value cache, whose
// step logits equal those of the full forward pass.
//
// Names: `embedding`, `positions` (learned only), `transformer.*` (torch's `nn.Transformer`
// state-dict names), `lm_head` (untied only; Hugging Face's name).
//
// Departures from the reference: the paper's label smoothing, Noam schedule and Adam betas are
// the training recipe (`fit(…)` in Seq2SeqFit.swift), not part of the model; no beam search
// (the decoding lesson).

/// A Transformer encoder–decoder over token ids, conforming to ``EncoderDecoder`` (so `loss`,
/// `greedyDecode` and `fit` come with it).
///
///     var rng = SeededGenerator(seed: 0)
///     let config = TransformerSeq2SeqConfig(vocabSize: 13, transformer: TransformerConfig(
///         layer: TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 128, dropout: 0.1),
///         numEncoderLayers: 2, numDecoderLayers: 2), padID: 0, bosID: 1, eosID: 2)
///     let model = TransformerSeq2SeqModel(config, using: &rng)
///     let logits = model(source: [[5, 6, 7]], decoderInput: [[1, 7, 6]])   // (1, 3, 13)
///     let output = model.greedyDecode([[5, 6, 7]], maxLength: 5)          // cached decoding
public final class TransformerSeq2SeqModel: EncoderDecoder {
    /// The model's shape and special tokens.
    ///
    ///     model.config.dModel   // 64
    public let config: TransformerSeq2SeqConfig
    /// The token embedding shared by source, target and (when tied) the output projection:
    /// (V, d_model) (`embedding`).
    ///
    ///     model.embedding.weight.shape   // [13, 64]
    public let embedding: Embedding
    /// The position signal: sinusoidal (no parameters) or learned (`positions.weight`).
    public let positions: any PositionalEncoding
    /// The encoder–decoder stack, `torch.nn.Transformer` (`transformer`).
    ///
    ///     model.transformer.decoder.layers.count   // 2
    public let transformer: Transformer
    /// The output projection when it is not tied to the embedding (`lm_head`, no bias).
    public let lmHead: Linear?
    /// Dropout on the embeddings plus positions (the paper's P_drop on "the sums of the
    /// embeddings and the positional encodings").
    public let dropout: Dropout
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// A model of the given shape. Every matrix is initialised xavier-uniform, as the Annotated
    /// Transformer and `nn.Transformer` do.
    ///
    ///     let model = TransformerSeq2SeqModel(config, using: &rng)
    public init(_ config: TransformerSeq2SeqConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "TransformerSeq2SeqModel")
        self.config = config
        let d = config.dModel
        embedding = Embedding(weight: Tensor.xavierUniform([config.vocabSize, d], using: &generator))
        switch config.positionEmbeddingType {
        case .sinusoidal: positions = SinusoidalPositionalEncoding(dim: d, maxLength: config.maxPositionEmbeddings)
        case .learned: positions = LearnedPositionalEmbedding(maxPositions: config.maxPositionEmbeddings, dim: d,
                                                              std: 0.02, using: &generator)
        }
        transformer = Transformer(config.transformer, using: &generator)
        lmHead = config.tieWordEmbeddings ? nil
            : Linear(weight: Tensor.xavierUniform([config.vocabSize, d], using: &generator))
        dropout = Dropout(p: config.dropout, seed: generator.next())
    }

    public var children: NamedModules {
        var list: NamedModules = [("embedding", embedding), ("positions", positions), ("dropout", dropout),
                                  ("transformer", transformer)]
        if let lmHead { list.append(("lm_head", lmHead)) }
        return list
    }

    /// Teacher-forced logits (B, T, V): the encoder reads `source`, the decoder reads
    /// `decoderInput` (`<bos>` y₁ … y_{T−1}) under the causal mask, and row t scores y_t.
    ///
    ///     let logits = model(source: [[5, 6, 7, 0]], decoderInput: [[1, 7, 6, 5]])   // (1, 4, V)
    ///
    /// - Parameter sourceLengths: the real length of each source row; default: up to its last
    ///   non-pad token. Positions past it are hidden from every attention.
    public func callAsFunction(source: [[Int]], decoderInput: [[Int]], sourceLengths: [Int]? = nil) -> Tensor {
        let state = startDecoding(source, sourceLengths: sourceLengths)
        let h = transformer.decoder(embed(decoderInput, offset: 0), memory: state.memory,
                                    memoryMask: state.memoryMask)                 // (B, T, d)
        return project(h)                                                         // (B, T, V)
    }

    /// Runs the encoder: the memory the decoder attends to, its padding mask, and an empty
    /// decoder cache.
    ///
    ///     var state = model.startDecoding([[5, 6, 7]], sourceLengths: nil)
    public func startDecoding(_ source: [[Int]], sourceLengths: [Int]?) -> TransformerDecodingState {
        let lengths = sourceLengths ?? self.sourceLengths(source)
        let width = source.first?.count ?? 0
        require(lengths.count == source.count, "TransformerSeq2SeqModel: \(lengths.count) source lengths for \(source.count) rows")
        let mask = attentionMask(lengths: lengths, maxLength: width)             // (B, S): 1 = real token
        let memory = transformer.encoder(embed(source, offset: 0), attentionMask: mask)   // (B, S, d)
        return TransformerDecodingState(memory: memory, memoryMask: mask,
                                        cache: TransformerDecoderCache(layers: transformer.decoder.layers.count))
    }

    /// One decoding step: embeds `previous` (one id per row) at the next position, runs the
    /// decoder over it with the cache, and returns the next token's logits (B, V) and the state
    /// after the step. The old state stays valid (the new one's cache is a copy): in a loop,
    /// ``decodeStep(_:state:)`` writes into the cache in place instead.
    ///
    ///     let (logits, next) = model.decodeStep([1, 1], from: state)   // (2, V)
    public func decodeStep(_ previous: [Int], from state: TransformerDecodingState) -> (logits: Tensor, state: TransformerDecodingState) {
        var next = state
        let logits = decodeStep(previous, state: &next)                             // (B, V)
        return (logits, next)
    }

    /// One decoding step that appends the new token's keys and values to `state`'s cache in
    /// place (only the new rows are written) and returns the next token's logits (B, V).
    ///
    ///     var state = model.startDecoding(source, sourceLengths: nil)
    ///     let logits = model.decodeStep([bos], state: &state)          // (1, V)
    public func decodeStep(_ previous: [Int], state: inout TransformerDecodingState) -> Tensor {
        let x = embed(previous.map { [$0] }, offset: state.cache.length)           // (B, 1, d)
        let h = transformer.decoder(x, memory: state.memory, memoryMask: state.memoryMask,
                                    cache: &state.cache)                            // (B, 1, d)
        return project(h).squeezed(axis: 1)                                         // (B, V)
    }

    /// The token embeddings (scaled by √d when configured) plus the positions from `offset`.
    func embed(_ ids: [[Int]], offset: Int) -> Tensor {
        var x = embedding(ids)                                                      // (B, T, d)
        if config.scaleEmbedding { x = x * Float(config.dModel).squareRoot() }
        let length = ids.first?.count ?? 0
        return dropout(x + positions(length: length, offset: offset))              // (B, T, d) + (T, d)
    }

    /// The vocabulary logits of decoder states h (B, T, d): h·Eᵀ when tied, else `lm_head`.
    func project(_ h: Tensor) -> Tensor {
        if let lmHead { return lmHead(h) }                                          // (B, T, V)
        return h.linear(embedding.weight.value)                                     // (B, T, V)
    }
}

/// What the Transformer decoder carries between generated tokens: the encoder output, its
/// padding mask, and the key/value cache of every decoder layer.
///
///     let state = model.startDecoding(source, sourceLengths: nil)
///     state.memory.shape   // (B, S, d)
public struct TransformerDecodingState: Sendable {
    /// The encoder output, (B, S, d).
    public var memory: Tensor
    /// The source's `attention_mask`, (B, S): 1 = real token.
    public var memoryMask: Tensor
    /// The decoder's keys and values so far; `cache.length` is the next position.
    public var cache: TransformerDecoderCache
}
