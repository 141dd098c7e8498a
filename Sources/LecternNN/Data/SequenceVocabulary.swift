// A character-level vocabulary with the four special tokens of a seq2seq model.
//
// Reference: the `Lang` class of the PyTorch tutorial "NLP From Scratch: Translation with a
// Sequence to Sequence Network and Attention" (SOS/EOS tokens) and the special-token
// conventions of fairseq / Hugging Face (`<pad>`, `<s>`/`<bos>`, `</s>`/`<eos>`, `<unk>`).
//
// Why `<pad>` is id 0: padded positions are then the zeros of the id matrix, an embedding's
// `padding_idx` and a loss's `ignoreIndex` can both be 0, and a lesson can say "0 is padding"
// once. The order `<pad>`, `<bos>`, `<eos>`, `<unk>` is fixed, so the special ids are
// constants rather than lookups.
//
// Named `SequenceVocabulary` so as not to clash with LecternTokenizers' subword `Vocabulary`.

/// Maps the characters (or tokens) of a seq2seq task to ids, with `<pad>` = 0, `<bos>` = 1,
/// `<eos>` = 2 and `<unk>` = 3 before the ordinary tokens.
///
///     let vocabulary = SequenceVocabulary.characters(in: ["12", "21"])
///     vocabulary.tokens                          // ["<pad>", "<bos>", "<eos>", "<unk>", "1", "2"]
///     vocabulary.encode("211")                   // [5, 4, 4]
///     vocabulary.decode([5, 4, 2, 0])            // "21"  (stops at <eos>)
public struct SequenceVocabulary: Sendable, Hashable {
    /// The padding token, id 0.
    ///
    ///     SequenceVocabulary.pad   // "<pad>"
    public static let pad = "<pad>"
    /// The begin-of-sequence token, id 1: the decoder's first input.
    ///
    ///     SequenceVocabulary.bos   // "<bos>"
    public static let bos = "<bos>"
    /// The end-of-sequence token, id 2: the decoder's last target, where generation stops.
    ///
    ///     SequenceVocabulary.eos   // "<eos>"
    public static let eos = "<eos>"
    /// The unknown token, id 3: what a token outside the vocabulary encodes to.
    ///
    ///     SequenceVocabulary.unk   // "<unk>"
    public static let unk = "<unk>"
    /// The special tokens in id order.
    ///
    ///     SequenceVocabulary.specialTokens.count   // 4
    public static let specialTokens = [pad, bos, eos, unk]

    /// The id of `<pad>` (0).
    ///
    ///     crossEntropy(logits: logits, targets: flat, ignoreIndex: vocabulary.padID)
    public let padID = 0
    /// The id of `<bos>` (1).
    ///
    ///     var decoderInput = [vocabulary.bosID]
    public let bosID = 1
    /// The id of `<eos>` (2).
    ///
    ///     if next == vocabulary.eosID { break }
    public let eosID = 2
    /// The id of `<unk>` (3).
    ///
    ///     vocabulary.encode("?")   // [vocabulary.unkID] if "?" is not in the vocabulary
    public let unkID = 3

    /// Every token, indexed by id: the special tokens, then the ordinary ones.
    ///
    ///     vocabulary.tokens[4]   // the first ordinary token
    public let tokens: [String]
    private let ids: [String: Int]

    /// A vocabulary of the special tokens followed by `tokens` in the given order (duplicates
    /// and special tokens in `tokens` are skipped).
    ///
    ///     let v = SequenceVocabulary(tokens: ["a", "b", "a"])
    ///     v.count   // 6
    public init(tokens: some Sequence<String>) {
        var all = SequenceVocabulary.specialTokens
        var ids = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
        for token in tokens where ids[token] == nil {
            ids[token] = all.count
            all.append(token)
        }
        self.tokens = all
        self.ids = ids
    }

    /// The vocabulary of every character in `texts`, in sorted order (so that it does not depend
    /// on the order of the examples).
    ///
    ///     let v = SequenceVocabulary.characters(in: ["March 5, 2021", "2021-03-05"])
    public static func characters(in texts: some Sequence<String>) -> SequenceVocabulary {
        var set = Set<String>()
        for text in texts { for c in text { set.insert(String(c)) } }
        return SequenceVocabulary(tokens: set.sorted())
    }

    /// The vocabulary of every character in the sources and targets of `pairs`.
    ///
    ///     let v = SequenceVocabulary.characters(in: data.train + data.test)
    public static func characters(in pairs: [SequencePair]) -> SequenceVocabulary {
        characters(in: pairs.flatMap { [$0.source, $0.target] })
    }

    /// The number of tokens, special ones included: the embedding's and the output layer's size.
    ///
    ///     Embedding(numEmbeddings: vocabulary.count, embeddingDim: 32, using: &rng)
    public var count: Int { tokens.count }

    /// The id of `token`, or ``unkID`` if it is not in the vocabulary.
    ///
    ///     vocabulary.id(of: "<eos>")   // 2
    public func id(of token: String) -> Int { ids[token] ?? unkID }

    /// The token with id `id`.
    ///
    ///     vocabulary.token(for: 0)   // "<pad>"
    /// - Precondition: `id` is in `0..<count`.
    public func token(for id: Int) -> String {
        require(tokens.indices.contains(id), "SequenceVocabulary: id \(id) is not in 0..<\(count)")
        return tokens[id]
    }

    /// The ids of the characters of `text` (no `<bos>`/`<eos>`: batching adds those).
    ///
    ///     vocabulary.encode("05.03")   // one id per character; unknown ones are unkID
    public func encode(_ text: String) -> [Int] { text.map { id(of: String($0)) } }

    /// The ids of a sequence of tokens (for token-level tasks).
    ///
    ///     vocabulary.encode(tokens: ["the", "cat"])
    public func encode(tokens: [String]) -> [Int] { tokens.map { id(of: $0) } }

    /// The tokens of `ids`, stopping at the first `<eos>` and dropping `<pad>` and `<bos>`
    /// (unless `stopAtEOS` / `skipSpecial` say otherwise). `<unk>` is kept: it is a prediction.
    ///
    ///     vocabulary.decodeTokens([1, 5, 4, 2, 4])   // ["2", "1"]
    public func decodeTokens(_ ids: [Int], stopAtEOS: Bool = true, skipSpecial: Bool = true) -> [String] {
        var out: [String] = []
        for id in ids {
            if stopAtEOS && id == eosID { break }
            if skipSpecial && (id == padID || id == bosID || id == eosID) { continue }
            out.append(token(for: id))
        }
        return out
    }

    /// The text of `ids`: ``decodeTokens(_:stopAtEOS:skipSpecial:)`` joined without separators,
    /// the inverse of ``encode(_:)`` for character-level vocabularies.
    ///
    ///     vocabulary.decode(vocabulary.encode("2021-03-05"))   // "2021-03-05"
    public func decode(_ ids: [Int], stopAtEOS: Bool = true, skipSpecial: Bool = true) -> String {
        decodeTokens(ids, stopAtEOS: stopAtEOS, skipSpecial: skipSpecial).joined()
    }
}
