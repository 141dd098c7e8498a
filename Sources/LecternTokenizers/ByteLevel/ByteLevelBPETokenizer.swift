// Byte-level BPE, the tokenizer of GPT-2 (Radford et al. 2019, "Language Models are
// Unsupervised Multitask Learners", §2.2), with the exact behaviour of Hugging Face tokenizers'
// BPE model behind the ByteLevel pre-tokenizer and decoder (karpathy/minbpe's GPT4Tokenizer is
// the same idea in a page of Python):
//   1. added tokens ("<|endoftext|>") are cut out of the text first and never split;
//   2. each remaining stretch optionally gets a leading space (`add_prefix_space`), then is cut
//      into pre-tokens by GPT-2's pattern (GPT2PreTokenizer.swift);
//   3. each pre-token's UTF-8 bytes start as one token per byte (spelled with GPT-2's byte
//      alphabet, ByteAlphabet.swift), and merges are applied by rank inside the pre-token only
//      (PieceMerger.swift), with a cache of pre-tokens already seen (PieceCache.swift);
//   4. decoding maps every token back to bytes, joins ALL the bytes, and only then decodes
//      UTF-8 — a character split across tokens comes back whole, and U+FFFD appears only for
//      bytes that are invalid UTF-8 as a whole.
// Because every byte has a token, there is no unknown token: any text encodes, and
// decode(encode(text)) gives `text` back byte for byte.

/// A byte-level BPE tokenizer (GPT-2, RoBERTa, GPT-J…).
///
/// ```swift
/// let tokenizer = try TokenizerFile.load(URL(fileURLWithPath: "gpt2")) as! ByteLevelBPETokenizer
/// tokenizer.encode("Hello world").tokens   // ["Hello", "Ġworld"]
/// tokenizer.decode([15496, 995])           // "Hello world"
/// ```
public struct ByteLevelBPETokenizer: Tokenizer {
    /// Every token (spelled in GPT-2's byte alphabet) and added token, with its id.
    ///
    /// ```swift
    /// tokenizer.vocabulary.id(of: "Ġworld")   // 995
    /// ```
    public let vocabulary: Vocabulary
    /// The merges in rank order, as token pairs: ("Ġ", "t") makes "Ġt".
    ///
    /// ```swift
    /// tokenizer.merges.first   // (left: "Ġ", right: "t")
    /// ```
    public let merges: [(left: String, right: String)]
    /// Tokens kept whole wherever they appear, such as "<|endoftext|>".
    ///
    /// ```swift
    /// tokenizer.addedTokens.map(\.content)   // ["<|endoftext|>"]
    /// ```
    public let addedTokens: [AddedToken]
    /// Put a space in front of text that does not start with one, so the first word is
    /// tokenized like the others ("Hello" → "ĠHello"). Hugging Face's `add_prefix_space`.
    ///
    /// ```swift
    /// tokenizer.addPrefixSpace   // false for GPT-2
    /// ```
    public let addPrefixSpace: Bool
    /// Take a pre-token that is itself in the vocabulary whole, without merging (Llama 3's
    /// `ignore_merges`).
    ///
    /// ```swift
    /// tokenizer.ignoreMerges   // false for GPT-2, true for Llama 3
    /// ```
    public let ignoreMerges: Bool

    let model: ByteLevelBPEModel

    /// A tokenizer from a vocabulary in GPT-2's byte alphabet and merges in rank order.
    /// Added tokens missing from `vocabulary` are added to it with their ids.
    ///
    /// Throws ``TokenizerError/mergeNotInVocabulary(path:index:merge:missing:)`` when a merge
    /// names a token, or makes one, that the vocabulary lacks.
    ///
    /// ```swift
    /// var vocabulary = Vocabulary()
    /// for byte in 0..<256 { vocabulary.insert(String(ByteAlphabet.scalar(for: UInt8(byte))), id: byte) }
    /// vocabulary.insert("hi", id: 256)
    /// let tokenizer = try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: [("h", "i")])
    /// tokenizer.encode("hi").ids   // [256]
    /// ```
    public init(vocabulary: Vocabulary, merges: [(left: String, right: String)], addedTokens: [AddedToken] = [],
                addPrefixSpace: Bool = false, ignoreMerges: Bool = false, unknownToken: String? = nil) throws(TokenizerError) {
        try self.init(vocabulary: vocabulary, merges: merges, addedTokens: addedTokens, addPrefixSpace: addPrefixSpace,
                      ignoreMerges: ignoreMerges, unknownToken: unknownToken, source: "merges")
    }

    /// As the public initializer; `source` names the file in errors.
    init(vocabulary: Vocabulary, merges: [(left: String, right: String)], addedTokens: [AddedToken],
         addPrefixSpace: Bool, ignoreMerges: Bool, unknownToken: String?, source: String) throws(TokenizerError) {
        var vocabulary = vocabulary
        for token in addedTokens where vocabulary.bytes(of: token.id) != Array(token.content.utf8) {
            vocabulary.insert(token.content, id: token.id)
        }
        var mergeIDs: [(left: Int, right: Int, merged: Int)] = []
        mergeIDs.reserveCapacity(merges.count)
        for (index, merge) in merges.enumerated() {
            let leftBytes = Array(merge.left.utf8), rightBytes = Array(merge.right.utf8)
            func missing(_ token: String) -> TokenizerError {
                .mergeNotInVocabulary(path: source, index: index, merge: "\(merge.left) \(merge.right)", missing: token)
            }
            guard let left = vocabulary.id(of: leftBytes) else { throw missing(merge.left) }
            guard let right = vocabulary.id(of: rightBytes) else { throw missing(merge.right) }
            guard let merged = vocabulary.id(of: leftBytes + rightBytes) else { throw missing(merge.left + merge.right) }
            mergeIDs.append((left, right, merged))
        }
        self.vocabulary = vocabulary
        self.merges = merges
        self.addedTokens = addedTokens
        self.addPrefixSpace = addPrefixSpace
        self.ignoreMerges = ignoreMerges
        model = ByteLevelBPEModel(vocabulary: vocabulary, merges: mergeIDs, addedTokens: addedTokens,
                                  addPrefixSpace: addPrefixSpace, ignoreMerges: ignoreMerges,
                                  unknownID: unknownToken.flatMap { vocabulary.id(of: $0) })
    }

    /// Ids and tokens of `text`; every token has type id 0 and attention 1.
    ///
    /// ```swift
    /// tokenizer.encode("It's").tokens   // ["It", "'s"]
    /// ```
    public func encode(_ text: String) -> Encoding {
        let ids = model.encode(text)
        return Encoding(ids: ids, tokens: ids.map { model.tokenStrings[$0] })
    }

    /// Only the ids of `text`: ``encode(_:)`` without building the token strings.
    ///
    /// ```swift
    /// tokenizer.encodeIDs("Hello world")   // [15496, 995]
    /// ```
    public func encodeIDs(_ text: String) -> [Int] {
        model.encode(text)
    }

    /// The text of `ids`: all their bytes joined, then decoded as UTF-8 (U+FFFD for each
    /// invalid sequence). Special tokens are kept (as `transformers` does by default); unknown
    /// ids are skipped.
    ///
    /// ```swift
    /// tokenizer.decode(tokenizer.encodeIDs("naïve 👩‍👩‍👧"))   // "naïve 👩‍👩‍👧"
    /// ```
    public func decode(_ ids: [Int]) -> String {
        String(decoding: model.decodeBytes(ids), as: UTF8.self)
    }

    /// The id of `token`, spelled as in the vocabulary ("Ġworld"), compared by bytes.
    ///
    /// ```swift
    /// tokenizer.id(of: "<|endoftext|>")   // 50256
    /// ```
    public func id(of token: String) -> Int? { vocabulary.id(of: token) }

    /// The vocabulary spelling of `id`, or nil.
    ///
    /// ```swift
    /// tokenizer.token(of: 995)   // "Ġworld"
    /// ```
    public func token(of id: Int) -> String? { vocabulary.token(of: id) }

    /// The number of tokens, added tokens included.
    ///
    /// ```swift
    /// tokenizer.vocabularySize   // 50257
    /// ```
    public var vocabularySize: Int { vocabulary.count }
}
