// The hyper-parameters of an encoder–decoder model, as a small Codable config.
//
// Reference: Sutskever et al. (2014) and Cho et al. (2014) for the architecture; the JSON keys
// follow Hugging Face config names (`vocab_size`, `hidden_size`, `num_layers`,
// `pad_token_id`, `bos_token_id`, `eos_token_id`) so that a config file reads familiarly.
// Why the special ids are fields: the model must not depend on a particular vocabulary type,
// so whatever builds the vocabulary passes its `<pad>`, `<bos>` and `<eos>` ids here.

/// The shape and special tokens of a ``Seq2SeqModel``.
///
///     let config = Seq2SeqConfig(vocabSize: 13, embeddingDim: 16, hiddenSize: 32, numLayers: 1,
///                                cell: .gru, bidirectionalEncoder: true,
///                                padID: 0, bosID: 1, eosID: 2)
///     let json = try JSONEncoder().encode(config)   // {"vocab_size":13,"hidden_size":32,…}
public struct Seq2SeqConfig: EncoderDecoderConfig, Codable, Hashable {
    /// The number of token ids V, shared by source and target (one embedding table).
    ///
    ///     config.vocabSize   // 13
    public var vocabSize: Int
    /// The size E of each token's embedding.
    ///
    ///     config.embeddingDim   // 16
    public var embeddingDim: Int
    /// The size H of the encoder's (each direction's) and the decoder's state.
    ///
    ///     config.hiddenSize   // 32
    public var hiddenSize: Int
    /// The number L of stacked recurrent layers, in the encoder and in the decoder alike (each
    /// decoder layer starts from the matching encoder layer's final state).
    ///
    ///     config.numLayers   // 1
    public var numLayers: Int
    /// GRU (Cho et al. 2014) or LSTM (Sutskever et al. 2014), for both encoder and decoder.
    ///
    ///     config.cell   // .gru
    public var cell: Seq2SeqCellKind
    /// Whether the encoder also reads the source backwards. The two final states of each layer
    /// are then combined by a learned bridge, tanh(W·[h→; h←] + b), into the decoder's start.
    ///
    ///     config.bidirectionalEncoder   // false
    public var bidirectionalEncoder: Bool
    /// The padding id: ignored by the loss, emitted by finished rows in greedy decoding, and
    /// (trailing) not read by the encoder.
    ///
    ///     config.padID   // 0
    public var padID: Int
    /// The id the decoder reads first, `<bos>`.
    ///
    ///     config.bosID   // 1
    public var bosID: Int
    /// The id that ends a generated sequence, `<eos>`.
    ///
    ///     config.eosID   // 2
    public var eosID: Int

    /// A config; defaults: one layer, GRU, unidirectional encoder, `<pad>` = 0.
    ///
    ///     let config = Seq2SeqConfig(vocabSize: 13, embeddingDim: 16, hiddenSize: 32, bosID: 1, eosID: 2)
    public init(vocabSize: Int, embeddingDim: Int, hiddenSize: Int, numLayers: Int = 1,
                cell: Seq2SeqCellKind = .gru, bidirectionalEncoder: Bool = false,
                padID: Int = 0, bosID: Int, eosID: Int) {
        self.vocabSize = vocabSize
        self.embeddingDim = embeddingDim
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.cell = cell
        self.bidirectionalEncoder = bidirectionalEncoder
        self.padID = padID
        self.bosID = bosID
        self.eosID = eosID
    }

    /// Stops with a message naming `model` unless the sizes are positive and the three special
    /// ids are distinct ids in `0..<vocabSize`; every model checks its config this way.
    func requireValid(for model: String) {
        require(vocabSize > 0 && embeddingDim > 0 && hiddenSize > 0 && numLayers > 0,
                "\(model): sizes must be positive, got \(self)")
        if let problem = specialTokensProblem { fatalError("\(model): \(problem)") }
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case embeddingDim = "embedding_dim"
        case hiddenSize = "hidden_size"
        case numLayers = "num_layers"
        case cell
        case bidirectionalEncoder = "bidirectional_encoder"
        case padID = "pad_token_id"
        case bosID = "bos_token_id"
        case eosID = "eos_token_id"
    }
}
