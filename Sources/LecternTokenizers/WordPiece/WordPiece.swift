// The WordPiece model: a word to vocabulary pieces, greedy longest-match-first, following
// Hugging Face `tokenizers` (models/wordpiece/mod.rs, `WordPiece::tokenize`) and Google's BERT
// (tokenization.py, `WordpieceTokenizer`): take the longest vocabulary entry that starts the
// word, then the longest "##"-prefixed entry that continues it, and so on; if some remainder
// has no entry at all, the whole word becomes the unknown token, as does a word longer than
// `maxInputCharsPerWord` Unicode scalars.

/// Cuts one word into vocabulary pieces.
///
/// ```swift
/// let model = WordPiece(vocabulary: Vocabulary(tokens: ["[UNK]", "un", "##aff", "##able"]))
/// model.tokenize("unaffable")   // ["un", "##aff", "##able"]
/// model.tokenize("unfit")       // ["[UNK]"]: no piece continues "un" with "fit"
/// ```
public struct WordPiece: Sendable {
    /// Token ↔ id, continuation tokens spelled with their prefix ("##able").
    ///
    /// ```swift
    /// model.vocabulary.id(of: "##able")   // 3
    /// ```
    public let vocabulary: Vocabulary
    /// The token a word becomes when it cannot be cut into pieces (BERT: "[UNK]").
    ///
    /// ```swift
    /// model.unknownToken   // "[UNK]"
    /// ```
    public let unknownToken: String
    /// What marks a piece that continues a word (BERT: "##").
    ///
    /// ```swift
    /// model.continuingSubwordPrefix   // "##"
    /// ```
    public let continuingSubwordPrefix: String
    /// Longer words, in Unicode scalars, become `unknownToken` at once (BERT: 100).
    ///
    /// ```swift
    /// model.maxInputCharsPerWord   // 100
    /// ```
    public let maxInputCharsPerWord: Int

    /// The id of `unknownToken`, or nil when the vocabulary lacks it (then a word that cannot
    /// be cut yields no ids at all; the loaders refuse such vocabularies).
    ///
    /// ```swift
    /// model.unknownID   // 0
    /// ```
    public let unknownID: Int?
    let trie: WordPieceTrie

    /// A model over `vocabulary` with BERT's settings unless told otherwise.
    ///
    /// ```swift
    /// let model = WordPiece(vocabulary: Vocabulary(tokens: ["[UNK]", "a"]), maxInputCharsPerWord: 5)
    /// model.tokenize("aaaaaa")   // ["[UNK]"]: six scalars is too long
    /// ```
    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) {
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        unknownID = vocabulary.id(of: unknownToken)
        trie = WordPieceTrie(entries: vocabulary.entries, continuationPrefix: Array(continuingSubwordPrefix.utf8))
    }

    /// The pieces of `word` (one word: no splitting on spaces or punctuation happens here).
    ///
    /// ```swift
    /// let model = WordPiece(vocabulary: Vocabulary(tokens: ["[UNK]", "walk", "##ing"]))
    /// model.tokenize("walking")   // ["walk", "##ing"]
    /// ```
    public func tokenize(_ word: String) -> [String] {
        ids(of: word).map { vocabulary.token(of: $0) ?? unknownToken }
    }

    /// The ids of `word`'s pieces.
    ///
    /// ```swift
    /// let model = WordPiece(vocabulary: Vocabulary(tokens: ["[UNK]", "walk", "##ing"]))
    /// model.ids(of: "walking")   // [1, 2]
    /// ```
    public func ids(of word: String) -> [Int] {
        var ids: [Int] = []
        let scalarCount = word.unicodeScalars.count
        var word = word
        word.withUTF8 { bytes in appendIDs(of: bytes, scalarCount: scalarCount, to: &ids) }
        return ids
    }

    /// Appends the ids of the pieces of `word` (UTF-8, `scalarCount` scalars long) to `ids`.
    func appendIDs(of word: UnsafeBufferPointer<UInt8>, scalarCount: Int, to ids: inout [Int]) {
        var sink = IDSink(model: self, ids: ids)
        ids = []
        sink.word(word, scalarCount: scalarCount)
        ids = sink.ids
    }

    /// Collects the ids of the words a ``BertWordSplitter`` hands over.
    struct IDSink: BertWordSink {
        let trie: WordPieceTrie
        let unknownID: Int?
        let maxInputCharsPerWord: Int
        var ids: [Int]

        init(model: WordPiece, ids: [Int] = []) {
            trie = model.trie
            unknownID = model.unknownID
            maxInputCharsPerWord = model.maxInputCharsPerWord
            self.ids = ids
        }

        @inline(__always)
        mutating func word(_ word: UnsafeBufferPointer<UInt8>, scalarCount: Int) {
            guard !word.isEmpty else { return }
            if scalarCount > maxInputCharsPerWord {
                if let unknownID { ids.append(unknownID) }
                return
            }
            let first = ids.count
            var start = 0
            while start < word.count {
                guard let match = trie.longestMatch(in: word, from: start, continuation: start > 0) else {
                    // One remainder has no piece: the whole word is unknown, pieces found so far too.
                    ids.removeSubrange(first...)
                    if let unknownID { ids.append(unknownID) }
                    return
                }
                ids.append(Int(match.id))
                start = match.end
            }
        }
    }
}
