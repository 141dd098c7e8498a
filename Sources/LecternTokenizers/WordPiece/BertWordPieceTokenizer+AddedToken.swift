// A token matched in the raw text and never split, following Hugging Face `tokenizers`'
// `AddedToken` (tokenizer/added_vocabulary.rs) as `tokenizer.json` lists it in `added_tokens`.
// Only `content`, `id` and `special` are honoured: BERT's special tokens never set
// `single_word`, `lstrip` or `rstrip`, and are not normalized before matching.

extension BertWordPieceTokenizer {
    /// A special or added token.
    ///
    /// ```swift
    /// BertWordPieceTokenizer.AddedToken(content: "[MASK]", id: 103)
    /// ```
    public struct AddedToken: Sendable, Equatable {
        /// The exact text (bytes) that stands for the token.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken(content: "[SEP]", id: 102).content   // "[SEP]"
        /// ```
        public var content: String
        /// Its id.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken(content: "[SEP]", id: 102).id   // 102
        /// ```
        public var id: Int
        /// Special tokens are left out by `decode` (HF's skip_special_tokens).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken(content: "[SEP]", id: 102).special   // true
        /// ```
        public var special: Bool

        /// An added token, special unless told otherwise.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken(content: "<new>", id: 30522, special: false)
        /// ```
        public init(content: String, id: Int, special: Bool = true) {
            self.content = content
            self.id = id
            self.special = special
        }

        /// BERT's special tokens, in its `vocab.txt` order.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken.bertSpecialContents.first   // "[PAD]"
        /// ```
        public static let bertSpecialContents = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

        /// Whichever of BERT's special tokens `vocabulary` has, with their ids there.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.AddedToken.bertSpecialTokens(in: Vocabulary(tokens: ["[UNK]", "a"]))
        /// // [AddedToken(content: "[UNK]", id: 0, special: true)]
        /// ```
        public static func bertSpecialTokens(in vocabulary: Vocabulary) -> [AddedToken] {
            bertSpecialContents.compactMap { content in vocabulary.id(of: content).map { AddedToken(content: content, id: $0) } }
        }
    }
}
