// The hyper-parameters of a whole encoder–decoder Transformer over token ids.
//
// Reference: Vaswani et al. (2017) §3.4–3.5 (shared embeddings scaled by √d_model, tied to the
// pre-softmax projection; sinusoidal positions) and Table 3 (the base and big models). One flat
// JSON object, as a Hugging Face `config.json`: the stack's keys are `torch.nn.Transformer`'s
// arguments (`d_model`, `nhead`, `num_encoder_layers`, …; see TransformerConfig.swift), the
// token side uses Hugging Face's names (`vocab_size`, `max_position_embeddings`,
// `scale_embedding` as in Marian/BART, `tie_word_embeddings`, `pad_token_id`, `bos_token_id`,
// `eos_token_id`). `position_embedding_type` is "sinusoidal" (the paper) or "learned".

/// How a ``TransformerSeq2SeqModel`` tells tokens where they are.
///
///     PositionEmbeddingType(rawValue: "sinusoidal")   // .sinusoidal
public enum PositionEmbeddingType: String, Codable, Sendable, CaseIterable {
    /// The paper's fixed sine/cosine encodings (no parameters, any length).
    case sinusoidal
    /// A trainable table of `max_position_embeddings` vectors (BERT, GPT-2).
    case learned
}

/// The shape and special tokens of a ``TransformerSeq2SeqModel``: the encoder–decoder stack
/// (read through this config, `config.dModel`) and the token side.
///
///     let config = TransformerSeq2SeqConfig(
///         vocabSize: 13, transformer: TransformerConfig(
///             layer: TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 128, dropout: 0.1),
///             numEncoderLayers: 2, numDecoderLayers: 2),
///         padID: 0, bosID: 1, eosID: 2)
///     config.dModel                            // 64
///     try JSONEncoder().encode(config)         // {"vocab_size":13,"d_model":64,"nhead":4,…}
@dynamicMemberLookup
public struct TransformerSeq2SeqConfig: EncoderDecoderConfig, Codable, Hashable {
    /// The number of token ids V, shared by source and target (one embedding table).
    ///
    ///     config.vocabSize   // 13
    public var vocabSize: Int
    /// The encoder–decoder stack.
    ///
    ///     config.transformer.numEncoderLayers   // 2
    public var transformer: TransformerConfig
    /// Sinusoidal (the paper) or learned positions.
    ///
    ///     config.positionEmbeddingType   // .sinusoidal
    public var positionEmbeddingType: PositionEmbeddingType
    /// The longest sequence with a learned position, and the size of the precomputed sinusoid
    /// table (`max_position_embeddings`).
    ///
    ///     config.maxPositionEmbeddings   // 512
    public var maxPositionEmbeddings: Int
    /// Whether token embeddings are multiplied by √d_model before positions are added
    /// (`scale_embedding`; the paper does, §3.4).
    ///
    ///     config.scaleEmbedding   // true
    public var scaleEmbedding: Bool
    /// Whether the output projection is the embedding matrix itself (`tie_word_embeddings`; the
    /// paper shares one matrix between both embeddings and the pre-softmax projection).
    ///
    ///     config.tieWordEmbeddings   // true
    public var tieWordEmbeddings: Bool
    /// The padding id (`pad_token_id`).
    public var padID: Int
    /// The id the decoder reads first (`bos_token_id`).
    public var bosID: Int
    /// The id that ends a sequence (`eos_token_id`).
    public var eosID: Int

    /// A config; the defaults follow the paper (sinusoidal positions, scaled and tied embeddings).
    ///
    ///     let base = TransformerSeq2SeqConfig(vocabSize: 37_000, padID: 0, bosID: 1, eosID: 2)   // the base model
    public init(vocabSize: Int, transformer: TransformerConfig = TransformerConfig(),
                positionEmbeddingType: PositionEmbeddingType = .sinusoidal, maxPositionEmbeddings: Int = 512,
                scaleEmbedding: Bool = true, tieWordEmbeddings: Bool = true,
                padID: Int = 0, bosID: Int, eosID: Int) {
        self.vocabSize = vocabSize
        self.transformer = transformer
        self.positionEmbeddingType = positionEmbeddingType
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.scaleEmbedding = scaleEmbedding
        self.tieWordEmbeddings = tieWordEmbeddings
        self.padID = padID
        self.bosID = bosID
        self.eosID = eosID
    }

    /// A field of the stack's config, read through this one: `config.dModel`, `config.numEncoderLayers`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<TransformerConfig, Value>) -> Value {
        get { transformer[keyPath: keyPath] }
        set { transformer[keyPath: keyPath] = newValue }
    }

    /// Why no model can be built from this config, or nil: the stack's reasons, positive
    /// `vocab_size` and `max_position_embeddings`, and three distinct special ids inside the
    /// vocabulary.
    ///
    ///     TransformerSeq2SeqConfig(vocabSize: 5, padID: 0, bosID: 1, eosID: 7).invalidReason
    ///     // "pad, bos and eos ids must be distinct ids in 0..<5 (vocab_size), got 0, 1, 7"
    public var invalidReason: String? {
        if let reason = transformer.invalidReason { return reason }
        if vocabSize <= 0 { return "vocab_size must be positive, got \(vocabSize)" }
        if maxPositionEmbeddings <= 0 { return "max_position_embeddings must be positive, got \(maxPositionEmbeddings)" }
        return specialTokensProblem
    }

    /// Stops with a message naming `model` when ``invalidReason`` is not nil.
    func requireValid(for model: String) {
        if let reason = invalidReason { fatalError("\(model): \(reason)") }
    }

    /// Reads one flat object; missing keys take the defaults above (and torch's for the stack).
    public init(from decoder: any Decoder) throws {
        transformer = try TransformerConfig(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        positionEmbeddingType = try c.decodeIfPresent(PositionEmbeddingType.self, forKey: .positionEmbeddingType) ?? .sinusoidal
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        scaleEmbedding = try c.decodeIfPresent(Bool.self, forKey: .scaleEmbedding) ?? true
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true
        padID = try c.decodeIfPresent(Int.self, forKey: .padID) ?? 0
        bosID = try c.decode(Int.self, forKey: .bosID)
        eosID = try c.decode(Int.self, forKey: .eosID)
    }

    /// Writes one flat object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabSize, forKey: .vocabSize)
        try transformer.encode(to: encoder)
        try c.encode(positionEmbeddingType, forKey: .positionEmbeddingType)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(scaleEmbedding, forKey: .scaleEmbedding)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        try c.encode(padID, forKey: .padID)
        try c.encode(bosID, forKey: .bosID)
        try c.encode(eosID, forKey: .eosID)
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case positionEmbeddingType = "position_embedding_type"
        case maxPositionEmbeddings = "max_position_embeddings"
        case scaleEmbedding = "scale_embedding"
        case tieWordEmbeddings = "tie_word_embeddings"
        case padID = "pad_token_id"
        case bosID = "bos_token_id"
        case eosID = "eos_token_id"
    }
}
