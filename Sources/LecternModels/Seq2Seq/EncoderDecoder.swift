// What every encoder–decoder over token ids shares: special tokens, the source lengths read
// from padding, teacher forcing (the target shifted right), and step-by-step decoding.
//
// Reference: Sutskever et al. (2014) §2–3 and Bahdanau et al. (2015) §3: both factor
// p(y | x) = Π_t p(y_t | y_<t, x), train on the true prefix (teacher forcing) and generate one
// token at a time. Why a protocol: the plain encoder–decoder (Lesson 1) and the attention
// models (Lesson 2) differ only in how one decoder step uses the source, so the loss
// (Seq2SeqLoss.swift) and greedy decoding (Seq2SeqGreedyDecoding.swift) are written once here
// and a lesson can train both with the same code, side by side.

/// What an encoder–decoder's config must tell the code written once for every model: the
/// vocabulary size and the special tokens. ``Seq2SeqConfig`` and ``TransformerSeq2SeqConfig``
/// conform.
///
///     func padOf(_ config: some EncoderDecoderConfig) -> Int { config.padID }
public protocol EncoderDecoderConfig: Sendable {
    /// The number of token ids V.
    ///
    ///     config.vocabSize   // 13
    var vocabSize: Int { get }
    /// The padding id, ignored by the loss and emitted by finished rows.
    ///
    ///     config.padID   // 0
    var padID: Int { get }
    /// The id the decoder reads first, `<bos>`.
    ///
    ///     config.bosID   // 1
    var bosID: Int { get }
    /// The id that ends a generated sequence, `<eos>`.
    ///
    ///     config.eosID   // 2
    var eosID: Int { get }
}

extension EncoderDecoderConfig {
    /// Why the special tokens cannot work, or nil: `<pad>`, `<bos>` and `<eos>` must be three
    /// distinct ids inside the vocabulary. Every model's config checks this.
    ///
    ///     Seq2SeqConfig(vocabSize: 5, embeddingDim: 4, hiddenSize: 4, bosID: 1, eosID: 1).specialTokensProblem
    ///     // "pad, bos and eos ids must be distinct ids in 0..<5 (vocab_size), got 0, 1, 1"
    public var specialTokensProblem: String? {
        let specials = [padID, bosID, eosID]
        guard specials.allSatisfy({ (0..<vocabSize).contains($0) }) && Set(specials).count == 3 else {
            return "pad, bos and eos ids must be distinct ids in 0..<\(vocabSize) (vocab_size), got \(specials.map(String.init).joined(separator: ", "))"
        }
        return nil
    }
}

/// An encoder–decoder over token ids: teacher-forced logits for training, and a decoder that
/// advances one token at a time for generation. ``Seq2SeqModel``, ``AttentionSeq2SeqModel`` and
/// ``TransformerSeq2SeqModel`` conform; ``loss(source:target:reduction:)`` and ``greedyDecode(_:maxLength:sourceLengths:)``
/// come with the protocol.
///
///     func accuracy(of model: some EncoderDecoder, on batch: SequenceBatch) -> Double {
///         let output = model.greedyDecode(batch.sourceIDs, maxLength: 12)
///         return exactMatch(output, batch.targetOutputIDs, padID: model.config.padID)
///     }
public protocol EncoderDecoder: Module {
    /// What the decoder carries from one generated token to the next (its recurrent state,
    /// and for attention models the encoded source).
    associatedtype DecodingState
    /// The model's config type, which names its special tokens.
    associatedtype Config: EncoderDecoderConfig

    /// Sizes and special tokens (`<pad>`, `<bos>`, `<eos>`).
    ///
    ///     model.config.eosID   // 2
    var config: Config { get }

    /// Teacher-forced logits (B, T, V): the decoder reads `decoderInput` (`<bos>`, y₁, …,
    /// y_{T−1}) and row t scores y_t.
    ///
    ///     let logits = model(source: [[3, 4, 5]], decoderInput: [[1, 3, 4, 5]])   // (1, 4, V)
    func callAsFunction(source: [[Int]], decoderInput: [[Int]], sourceLengths: [Int]?) -> Tensor

    /// Encodes `source` and returns the decoder's state before its first token.
    ///
    ///     var state = model.startDecoding([[3, 4, 5]], sourceLengths: nil)
    func startDecoding(_ source: [[Int]], sourceLengths: [Int]?) -> DecodingState

    /// One decoder step: reads one token per row (`previous`, B ids) and returns the logits of
    /// the next token, (B, V), and the state after the step.
    ///
    ///     let (logits, next) = model.decodeStep([1], from: state)   // (1, V)
    func decodeStep(_ previous: [Int], from state: DecodingState) -> (logits: Tensor, state: DecodingState)

    /// One decoder step that updates `state` in place and returns the next token's logits
    /// (B, V). A model whose state holds a key/value cache writes the new token's keys and
    /// values into it without copying the cache (the copy of ``decodeStep(_:from:)`` shares
    /// the old state's buffers, which must then be copied); the default calls that one.
    ///
    ///     let logits = model.decodeStep([1], state: &state)   // (1, V)
    func decodeStep(_ previous: [Int], state: inout DecodingState) -> Tensor
}

extension EncoderDecoder {
    public func decodeStep(_ previous: [Int], state: inout DecodingState) -> Tensor {
        let (logits, next) = decodeStep(previous, from: state)
        state = next
        return logits
    }
}

extension EncoderDecoder {
    /// The real length of each source row: everything up to its last non-`padID` token, at
    /// least 1 (an all-padding row is read as one `<pad>`, since the layers need length ≥ 1).
    ///
    ///     model.sourceLengths([[3, 4, 0, 0], [5, 6, 7, 8]])   // [2, 4]
    public func sourceLengths(_ source: [[Int]]) -> [Int] {
        source.map { row in Swift.max(1, (row.lastIndex { $0 != config.padID } ?? -1) + 1) }
    }

    /// The decoder's teacher-forcing input for each target row: `<bos>` followed by the row
    /// without its last token (same length as the row).
    ///
    ///     model.shiftedRight([[3, 4, 2], [5, 2, 0]])   // [[1, 3, 4], [1, 5, 2]] with <bos> = 1
    public func shiftedRight(_ target: [[Int]]) -> [[Int]] {
        target.map { [config.bosID] + $0.dropLast() }
    }
}
