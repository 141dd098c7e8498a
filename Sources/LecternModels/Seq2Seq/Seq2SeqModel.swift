// An RNN encoder–decoder: embed the source, encode it into a context c (the encoder's final
// state), start a decoder from c and predict the target one token at a time.
//
// Reference: I. Sutskever, O. Vinyals, Q. V. Le (2014), "Sequence to Sequence Learning with
// Neural Networks", NeurIPS; K. Cho et al. (2014), "Learning Phrase Representations using RNN
// Encoder–Decoder for Statistical Machine Translation", EMNLP. The model:
//
//     e = Embedding(x)                      (B, S, E)
//     _, c = Encoder(e, lengths)            c: (L·D, B, H), padding never read
//     s₀ = c (D = 1) or tanh(W[c→; c←] + b) (D = 2)          (L, B, H)
//     o = Decoder(Embedding([<bos>, y₁, …, y_{T−1}]), s₀)    (B, T, H)
//     logits = Output(o)                    (B, T, V);  p(y_t | y_<t, x) = softmax(logits_t)
//
// Choices, and why:
//   - One embedding table for source and target (`embedding.weight`): the lectures' toy tasks
//     share one vocabulary, and copying is easier when both sides use the same vectors.
//   - Bidirectional encoder: the decoder is unidirectional, so each layer's forward and
//     backward final states are concatenated and mapped by a learned `bridge` Linear(2H → H)
//     with tanh, as Bahdanau et al. (2015, appendix A.2.2) initialise their decoder; a sum
//     would tie the two directions to the same coordinates. An LSTM's cell state, which is
//     not bounded, goes through its own `cell_bridge` without tanh.
//   - No attention: the whole source must pass through c, which is the lectures' point
//     (the bottleneck that attention later removes).
//   - Parameter names are what the same PyTorch module would have (`embedding.weight`,
//     `encoder.weight_ih_l0`, `decoder.bias_hh_l0`, `bridge.weight`, `output.weight`).
// The loss is in Seq2SeqLoss.swift and greedy decoding in Seq2SeqGreedyDecoding.swift.

/// A GRU/LSTM encoder–decoder over token ids (Sutskever et al. 2014; Cho et al. 2014).
///
///     var rng = SeededGenerator(seed: 0)
///     let config = Seq2SeqConfig(vocabSize: 13, embeddingDim: 16, hiddenSize: 32, bosID: 1, eosID: 2)
///     let model = Seq2SeqModel(config, using: &rng)
///     let source = [[3, 4, 5], [6, 7, 0]]                         // padded with <pad> = 0
///     let target = [[3, 4, 5, 2], [6, 7, 2, 0]]                   // ends with <eos> = 2
///     let loss = model.loss(source: source, target: target)       // teacher forcing; scalar
///     loss.backward()
///     let output = model.greedyDecode(source, maxLength: 5)      // [[Int]] ending in <eos>, then pads
public final class Seq2SeqModel: EncoderDecoder {
    /// The hyper-parameters and special ids the model was built with.
    ///
    ///     model.config.hiddenSize   // 32
    public let config: Seq2SeqConfig
    /// The token embedding shared by source and target, (V, E).
    ///
    ///     model.embedding.weight.shape   // [13, 16]
    public let embedding: Embedding
    /// The encoder's and the decoder's stacks (GRU or LSTM).
    let encoderStack: Seq2SeqRecurrence
    let decoderStack: Seq2SeqRecurrence
    /// Combines a bidirectional encoder's two final states per layer into the decoder's start,
    /// Linear(2H → H) followed by tanh; nil for a unidirectional encoder.
    ///
    ///     model.bridge?.weight.shape   // [32, 64] when bidirectionalEncoder
    public let bridge: Linear?
    /// The bridge for an LSTM's cell state, Linear(2H → H) without tanh; nil unless the model
    /// is an LSTM with a bidirectional encoder.
    ///
    ///     model.cellBridge?.weight.shape   // [32, 64]
    public let cellBridge: Linear?
    /// The projection from a decoder state to vocabulary logits, Linear(H → V).
    ///
    ///     model.output.weight.shape   // [13, 32]
    public let output: Linear
    /// Training mode flag (no layer here has dropout; kept for the Module protocol).
    ///
    ///     model.eval(); model.training   // false
    public var training = true

    /// A model with PyTorch's initialisation of each layer, drawn in the order embedding,
    /// encoder, decoder, bridges, output.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let model = Seq2SeqModel(Seq2SeqConfig(vocabSize: 13, embeddingDim: 8, hiddenSize: 16,
    ///                                            cell: .lstm, bosID: 1, eosID: 2), using: &rng)
    ///
    /// - Precondition: positive sizes, and the three special ids are distinct ids in `0..<vocabSize`.
    public init(_ config: Seq2SeqConfig, using generator: inout SeededGenerator) {
        config.requireValid(for: "Seq2SeqModel")
        self.config = config
        embedding = Embedding(numEmbeddings: config.vocabSize, embeddingDim: config.embeddingDim, using: &generator)
        encoderStack = Seq2SeqRecurrence(config.cell, inputSize: config.embeddingDim, hiddenSize: config.hiddenSize,
                                         numLayers: config.numLayers, bidirectional: config.bidirectionalEncoder,
                                         using: &generator)
        decoderStack = Seq2SeqRecurrence(config.cell, inputSize: config.embeddingDim, hiddenSize: config.hiddenSize,
                                         numLayers: config.numLayers, bidirectional: false, using: &generator)
        (bridge, cellBridge) = makeBridges(config, using: &generator)
        output = Linear(inFeatures: config.hiddenSize, outFeatures: config.vocabSize, using: &generator)
    }

    /// The encoder layer (a ``GRU`` or ``LSTM``), for inspection.
    ///
    ///     (model.encoder as? GRU)?.bidirectional   // config.bidirectionalEncoder
    public var encoder: any Module { encoderStack.module }

    /// The decoder layer (a unidirectional ``GRU`` or ``LSTM``), for inspection.
    ///
    ///     model.decoder.namedParameters().first!.name   // "weight_ih_l0"
    public var decoder: any Module { decoderStack.module }

    /// The children under PyTorch attribute names: `embedding`, `encoder`, `decoder`, then
    /// `bridge` and `cell_bridge` when present, and `output`.
    ///
    ///     model.namedParameters().map(\.name).first   // "embedding.weight"
    public var children: NamedModules {
        var result: NamedModules = [("embedding", embedding), ("encoder", encoder), ("decoder", decoder)]
        if let bridge { result.append(("bridge", bridge)) }
        if let cellBridge { result.append(("cell_bridge", cellBridge)) }
        result.append(("output", output))
        return result
    }

    /// Teacher-forced logits: the decoder reads `decoderInput` (already shifted: `<bos>`, y₁,
    /// …, y_{T−1}; see ``shiftedRight(_:)``) from the encoded `source`. Row t of the result
    /// scores y_t.
    ///
    ///     let logits = model(source: [[3, 4, 5]], decoderInput: [[1, 3, 4, 5]])   // (1, 4, V)
    ///
    /// - Parameters:
    ///   - source: B rows of equal length S, padded with `padID` at the end.
    ///   - decoderInput: B rows of equal length T.
    ///   - sourceLengths: the real length of each source row; default ``sourceLengths(_:)``.
    /// - Returns: logits (B, T, V).
    public func callAsFunction(source: [[Int]], decoderInput: [[Int]], sourceLengths: [Int]? = nil) -> Tensor {
        require(source.count == decoderInput.count,
                "Seq2SeqModel: \(source.count) source rows but \(decoderInput.count) decoder-input rows")
        let context = encode(source, lengths: sourceLengths)       // (L, B, H)
        return decode(decoderInput, from: context).logits          // (B, T, V)
    }

    /// Runs the decoder over `tokens` from `state` and projects to the vocabulary: the logits
    /// (B, T, V) and the state after the last step (to continue decoding from).
    ///
    ///     var state = model.encode(source)
    ///     let (logits, next) = model.decode([[1], [1]], from: state)   // one step: (2, 1, V)
    ///     state = next
    public func decode(_ tokens: [[Int]], from state: Seq2SeqState) -> (logits: Tensor, state: Seq2SeqState) {
        let x = embedding(tokens)                                  // (B, T, E)
        let (states, next) = decoderStack(x, state, lengths: nil)  // (B, T, H), (L, B, H)
        return (output(states), next)                              // (B, T, V)
    }

    /// The decoder's starting state: ``encode(_:lengths:)``.
    ///
    ///     let state = model.startDecoding([[3, 4, 5]], sourceLengths: nil)   // (L, 1, H)
    public func startDecoding(_ source: [[Int]], sourceLengths: [Int]?) -> Seq2SeqState {
        encode(source, lengths: sourceLengths)                     // (L, B, H)
    }

    /// One decoder step: ``decode(_:from:)`` on one token per row; logits (B, V).
    ///
    ///     let (logits, next) = model.decodeStep([1, 1], from: state)   // (2, V)
    public func decodeStep(_ previous: [Int], from state: Seq2SeqState) -> (logits: Tensor, state: Seq2SeqState) {
        let (logits, next) = decode(previous.map { [$0] }, from: state)   // (B, 1, V)
        return (logits.squeezed(axis: 1), next)                           // (B, V)
    }
}
