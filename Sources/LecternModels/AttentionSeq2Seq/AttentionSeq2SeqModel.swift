// An RNN encoder–decoder with attention: every decoder step looks back at all encoder states.
//
// Reference: D. Bahdanau, K. Cho, Y. Bengio (2015), "Neural Machine Translation by Jointly
// Learning to Align and Translate", ICLR; M.-T. Luong, H. Pham, C. D. Manning (2015),
// "Effective Approaches to Attention-based Neural Machine Translation", EMNLP. The model:
//
//     e = Embedding(x)                                   (B, S, E)
//     h, c_final = Encoder(e, lengths)                   h: (B, S, D·H) annotations
//     s₀ = c_final (D = 1) or tanh(W[c→; c←] + b)        (L, B, H), as in Seq2SeqModel
//   Bahdanau, step i:
//     α_i = softmax_j score(s_{i−1}, h_j);  c_i = Σ_j α_ij h_j          (B, S), (B, D·H)
//     s_i = RNN([Embedding(y_{i−1}); c_i], s_{i−1})                       (B, H)
//     logits_i = Output([s_i; c_i])                                       (B, V)
//   Luong, step t:
//     h_t = RNN(Embedding(y_{t−1}) [; h̃_{t−1} with input feeding], h_{t−1})   (B, H)
//     a_t = softmax_s score(h_t, h̄_s);  c_t = Σ_s a_ts h̄_s                  (B, S), (B, D·H)
//     h̃_t = tanh(W_c [c_t; h_t]);  logits_t = Output(h̃_t)                    (B, H), (B, V)
//
// Departures from the papers, on purpose:
//   - Bahdanau's output layer is a maxout "deep output" over (s_{i−1}, y_{i−1}, c_i); here it
//     is one Linear over [s_i; c_i], which is enough for the toy tasks and keeps the step short.
//   - Luong stacks 4 unidirectional LSTM layers; any GRU/LSTM stack works here, and the
//     encoder may be bidirectional (then the score maps H-sized queries to 2H-sized keys,
//     which the dot score cannot do — it asks for a unidirectional encoder).
//   - Teacher forcing runs the decoder one step at a time for both styles (Luong's decoder
//     without input feeding could run all steps at once); one step function serves training
//     and generation alike, which is what the lesson reads.
//   - Parameter names are what the same PyTorch module would have: `embedding.weight`,
//     `encoder.weight_ih_l0`, `decoder.weight_ih_l0`, `bridge.weight`, `attention.W.weight`,
//     `position.W_p.weight` (local only), `combine.weight` (Luong's W_c), `output.weight`.
// The decoder step is in AttentionDecoderStep.swift; greedy decoding with the weights of every
// step in AttentionGreedyDecoding.swift; the loss and plain greedy decoding come with the
// ``EncoderDecoder`` protocol.

/// A GRU/LSTM encoder–decoder with Bahdanau or Luong attention (global, local or hard).
///
///     var rng = SeededGenerator(seed: 0)
///     let config = Seq2SeqConfig(vocabSize: 13, embeddingDim: 16, hiddenSize: 32,
///                                bidirectionalEncoder: true, bosID: 1, eosID: 2)
///     let model = AttentionSeq2SeqModel(config, attention: AttentionConfig(style: .bahdanau, score: .additive),
///                                       using: &rng)
///     let loss = model.loss(source: [[3, 4, 5]], target: [[5, 4, 3, 2]])     // train as usual
///     let (ids, weights) = model.greedyDecodeWithAttention([[3, 4, 5]], maxLength: 6)
///     print(AttentionHeatmap(weights.index(axis: 0, 0)).render())             // where each step looked
public final class AttentionSeq2SeqModel: EncoderDecoder {
    /// Sizes, cell and special tokens (shared with ``Seq2SeqModel``).
    ///
    ///     model.config.hiddenSize   // 32
    public let config: Seq2SeqConfig
    /// How the decoder attends.
    ///
    ///     model.attentionConfig.style   // .bahdanau
    public let attentionConfig: AttentionConfig
    /// The token embedding shared by source and target, (V, E).
    ///
    ///     model.embedding.weight.shape   // [13, 16]
    public let embedding: Embedding
    let encoderStack: Seq2SeqRecurrence
    let decoderStack: Seq2SeqRecurrence
    /// Linear(2H → H) + tanh from a bidirectional encoder's final states to the decoder's start.
    ///
    ///     model.bridge?.weight.shape   // [32, 64]
    public let bridge: Linear?
    /// The LSTM cell-state bridge, Linear(2H → H); nil unless LSTM and bidirectional.
    ///
    ///     model.cellBridge   // nil for a GRU
    public let cellBridge: Linear?
    /// The score function (decoder state H against encoder states D·H).
    ///
    ///     model.attention is AdditiveScore   // true for score: .additive
    public let attention: any AttentionScore
    /// Local-p's position predictor; nil unless `alignment == .local`.
    ///
    ///     model.position?.W_p.weight.shape   // [A, H]
    public let position: PredictedPosition?
    /// Luong's W_c, a bias-free Linear(D·H + H → H) giving h̃ = tanh(W_c [c; h]); nil for Bahdanau.
    ///
    ///     model.combine?.weight.shape   // [32, 96]
    public let combine: Linear?
    /// The vocabulary projection: Linear(H + D·H → V) over [s; c] (Bahdanau) or
    /// Linear(H → V) over h̃ (Luong).
    ///
    ///     model.output.weight.shape   // [13, 96] for Bahdanau with D = 2, H = 32
    public let output: Linear
    /// Training mode flag (no layer here has dropout; kept for the Module protocol).
    ///
    ///     model.eval(); model.training   // false
    public var training = true

    /// The size D·H of each encoder state (a key and value of attention).
    ///
    ///     model.encoderStateSize   // 64 for a bidirectional encoder with H = 32
    public var encoderStateSize: Int { (config.bidirectionalEncoder ? 2 : 1) * config.hiddenSize }

    /// A model with PyTorch's initialisation of each layer, drawn in the order embedding,
    /// encoder, decoder, bridges, attention, position, combine, output.
    ///
    ///     let model = AttentionSeq2SeqModel(config, attention: AttentionConfig(style: .luong, score: .general),
    ///                                       using: &rng)
    ///
    /// - Precondition: the config is valid for ``Seq2SeqModel``; the dot score needs a
    ///   unidirectional encoder; local attention needs `window ≥ 1`.
    public init(_ config: Seq2SeqConfig, attention attentionConfig: AttentionConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "AttentionSeq2SeqModel")
        require(attentionConfig.score != .dot || !config.bidirectionalEncoder,
                "AttentionSeq2SeqModel: the dot score compares vectors of equal size, but a bidirectional encoder's states are 2H; use a unidirectional encoder or the general, concat or additive score")
        require(attentionConfig.alignment != .local || attentionConfig.window >= 1,
                "AttentionSeq2SeqModel: local attention needs window ≥ 1, got \(attentionConfig.window)")
        require(attentionConfig.attentionSize >= 0, "AttentionSeq2SeqModel: attentionSize must be ≥ 0 (0 = hiddenSize)")
        self.config = config
        self.attentionConfig = attentionConfig
        let (e, h) = (config.embeddingDim, config.hiddenSize)
        let keySize = (config.bidirectionalEncoder ? 2 : 1) * h
        let attentionSize = attentionConfig.attentionSize > 0 ? attentionConfig.attentionSize : h
        let bahdanau = attentionConfig.style == .bahdanau
        let decoderInput = bahdanau ? e + keySize : e + (attentionConfig.inputFeeding ? h : 0)

        embedding = Embedding(numEmbeddings: config.vocabSize, embeddingDim: e, using: &generator)
        encoderStack = Seq2SeqRecurrence(config.cell, inputSize: e, hiddenSize: h, numLayers: config.numLayers,
                                         bidirectional: config.bidirectionalEncoder, using: &generator)
        decoderStack = Seq2SeqRecurrence(config.cell, inputSize: decoderInput, hiddenSize: h,
                                         numLayers: config.numLayers, bidirectional: false, using: &generator)
        (bridge, cellBridge) = makeBridges(config, using: &generator)
        switch attentionConfig.score {
        case .dot: attention = DotScore()
        case .general: attention = GeneralScore(querySize: h, keySize: keySize, using: &generator)
        case .concat: attention = ConcatScore(querySize: h, keySize: keySize, attentionSize: attentionSize, using: &generator)
        case .additive: attention = AdditiveScore(querySize: h, keySize: keySize, attentionSize: attentionSize, using: &generator)
        }
        position = attentionConfig.alignment == .local
            ? PredictedPosition(querySize: h, attentionSize: attentionSize, using: &generator) : nil
        combine = bahdanau ? nil : Linear(inFeatures: keySize + h, outFeatures: h, bias: false, using: &generator)
        output = Linear(inFeatures: bahdanau ? h + keySize : h, outFeatures: config.vocabSize, using: &generator)
    }

    /// The encoder layer (a bidirectional or unidirectional ``GRU`` or ``LSTM``).
    ///
    ///     (model.encoder as? GRU)?.bidirectional   // config.bidirectionalEncoder
    public var encoder: any Module { encoderStack.module }

    /// The decoder layer (a unidirectional ``GRU`` or ``LSTM``).
    ///
    ///     model.decoder.namedParameters().first!.name   // "weight_ih_l0"
    public var decoder: any Module { decoderStack.module }

    /// The children under PyTorch attribute names: `embedding`, `encoder`, `decoder`, `bridge`
    /// and `cell_bridge` when present, `attention`, `position` (local), `combine` (Luong), `output`.
    ///
    ///     model.children.map(\.name)   // ["embedding", "encoder", "decoder", "bridge", "attention", "output"]
    public var children: NamedModules {
        var result: NamedModules = [("embedding", embedding), ("encoder", encoder), ("decoder", decoder)]
        if let bridge { result.append(("bridge", bridge)) }
        if let cellBridge { result.append(("cell_bridge", cellBridge)) }
        result.append(("attention", attention))
        if let position { result.append(("position", position)) }
        if let combine { result.append(("combine", combine)) }
        result.append(("output", output))
        return result
    }

    /// Encodes `source` (B padded rows): the states to attend to and the decoder's start.
    ///
    ///     let (encoded, start) = model.encode([[3, 4, 5], [6, 0, 0]])
    ///     encoded.states.shape   // [2, 3, D·H];  start.h.shape: [L, 2, H]
    ///
    /// - Parameter lengths: the real length of each row, in 1...S; default ``sourceLengths(_:)``.
    public func encode(_ source: [[Int]], lengths: [Int]? = nil) -> (source: EncodedSource, state: Seq2SeqState) {
        require(!source.isEmpty && !source[0].isEmpty, "AttentionSeq2SeqModel.encode: the source batch is empty")
        let lengths = lengths ?? sourceLengths(source)
        let x = embedding(source)                                                     // (B, S, E)
        let (states, final) = encoderStack(x, nil, lengths: lengths)                  // (B, S, D·H), (L·D, B, H)
        let start = bridgeEncoderState(final, bridge: bridge, cellBridge: cellBridge, numLayers: config.numLayers)  // (L, B, H)
        return (EncodedSource(states: states, lengths: lengths), start)
    }

    /// Teacher-forced logits (B, T, V) and the attention weights of every step (B, T, S).
    ///
    ///     let (logits, weights) = model.forward(source: [[3, 4, 5]], decoderInput: [[1, 5, 4, 3]])
    ///     weights.shape   // [1, 4, 3]: row t is where step t looked
    public func forward(source: [[Int]], decoderInput: [[Int]], sourceLengths: [Int]? = nil) -> (logits: Tensor, attention: Tensor) {
        require(source.count == decoderInput.count,
                "AttentionSeq2SeqModel: \(source.count) source rows but \(decoderInput.count) decoder-input rows")
        require(!decoderInput[0].isEmpty && decoderInput.allSatisfy { $0.count == decoderInput[0].count },
                "AttentionSeq2SeqModel: decoder-input rows must be non-empty and of equal length")
        var state = startDecoding(source, sourceLengths: sourceLengths)
        var logits: [Tensor] = [], weights: [Tensor] = []
        for t in decoderInput[0].indices {
            let step = decodeStep(decoderInput.map { $0[t] }, from: state)   // (B, V)
            state = step.state
            logits.append(step.logits)
            weights.append(state.weights!)                                    // (B, S)
        }
        return (Tensor.stack(logits, axis: 1), Tensor.stack(weights, axis: 1))   // (B, T, V), (B, T, S)
    }

    /// Teacher-forced logits (B, T, V); see ``forward(source:decoderInput:sourceLengths:)``.
    ///
    ///     let logits = model(source: [[3, 4, 5]], decoderInput: [[1, 5, 4, 3]])   // (1, 4, V)
    public func callAsFunction(source: [[Int]], decoderInput: [[Int]], sourceLengths: [Int]? = nil) -> Tensor {
        forward(source: source, decoderInput: decoderInput, sourceLengths: sourceLengths).logits   // (B, T, V)
    }

    /// The state before the first decoder step: the encoded source and the bridged encoder state.
    ///
    ///     let state = model.startDecoding([[3, 4, 5]], sourceLengths: nil)
    public func startDecoding(_ source: [[Int]], sourceLengths: [Int]?) -> AttentionDecodingState {
        let (encoded, start) = encode(source, lengths: sourceLengths)
        return AttentionDecodingState(source: encoded, recurrent: start)
    }
}
