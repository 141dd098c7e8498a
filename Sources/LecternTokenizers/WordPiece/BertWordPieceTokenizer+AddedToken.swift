// BERT's special tokens as added tokens (see ByteLevel/AddedToken.swift for the type, shared by
// every tokenizer of the module), following Hugging Face `tokenizers`' `AddedToken`
// (tokenizer/added_vocabulary.rs) as `tokenizer.json` lists it in `added_tokens`. Only
// `content`, `id` and `special` are honoured: BERT's special tokens never set `single_word`,
// `lstrip` or `rstrip`, and are not normalized before matching.

extension BertWordPieceTokenizer {
    /// The module's ``LecternTokenizers/AddedToken``, under the name BERT code reads naturally.
    ///
    /// ```swift
    /// BertWordPieceTokenizer.AddedToken(content: "[MASK]", id: 103)
    /// ```
    public typealias AddedToken = LecternTokenizers.AddedToken
}

extension AddedToken {
    /// BERT's special tokens, in its `vocab.txt` order.
    ///
    /// ```swift
    /// AddedToken.bertSpecialContents.first   // "[PAD]"
    /// ```
    public static let bertSpecialContents = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// Whichever of BERT's special tokens `vocabulary` has, with their ids there.
    ///
    /// ```swift
    /// AddedToken.bertSpecialTokens(in: Vocabulary(tokens: ["[UNK]", "a"]))
    /// // [AddedToken(content: "[UNK]", id: 0, special: true)]
    /// ```
    public static func bertSpecialTokens(in vocabulary: Vocabulary) -> [AddedToken] {
        bertSpecialContents.compactMap { content in vocabulary.id(of: content).map { AddedToken(content: content, id: $0) } }
    }
}
