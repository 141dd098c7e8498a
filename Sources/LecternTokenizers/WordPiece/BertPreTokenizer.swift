// BERT's pre-tokenizer, following Hugging Face `tokenizers` (pre_tokenizers/bert.rs,
// `BertPreTokenizer`): split on whitespace (dropped), then split off every punctuation
// character as a word of its own (HF's `is_bert_punc`: ASCII punctuation or Unicode P*).

/// Splits (normalized) text into the words WordPiece then cuts into pieces.
///
/// ```swift
/// BertPreTokenizer().preTokenize("Hey, you're $5!")
/// // ["Hey", ",", "you", "'", "re", "$", "5", "!"]
/// ```
public struct BertPreTokenizer: Sendable, Equatable {
    /// The pre-tokenizer (it has no options).
    ///
    /// ```swift
    /// let preTokenizer = BertPreTokenizer()
    /// ```
    public init() {}

    /// The words of `text`: runs of non-whitespace, with each punctuation character apart.
    /// No normalization happens here: "Ünïcode" stays one word as it is.
    ///
    /// ```swift
    /// BertPreTokenizer().preTokenize("a\u{00A0}b—c")   // ["a", "b", "—", "c"]
    /// ```
    public func preTokenize(_ text: String) -> [String] {
        var words: [String] = []
        var text = text
        text.withUTF8 { bytes in
            Self.splitter.split(bytes) { word, _ in words.append(String(decoding: word, as: UTF8.self)) }
        }
        return words
    }

    /// A splitter whose normalizer does nothing: the pre-tokenizer alone.
    static let splitter = BertWordSplitter(
        normalizer: BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false))
}
