// The one interface every tokenizer in this module offers — BPE, byte-level BPE, WordPiece —
// so lessons, the command line and the loaders can hold `any Tokenizer`. It follows the shape
// of Hugging Face `tokenizers` (`Tokenizer.encode` returning an `Encoding`, `decode`,
// `token_to_id`, `id_to_token`, `get_vocab_size`), reduced to what a single text needs.

/// Turns text into token ids and back.
///
/// Implementations are immutable values (or classes with internal, thread-safe caches), so a
/// tokenizer can be shared between tasks.
///
/// ```swift
/// let tokenizer = try TokenizerFile.load(URL(fileURLWithPath: "gpt2/tokenizer.json"))
/// let encoding = tokenizer.encode("Hello world")
/// encoding.ids                          // [15496, 995]
/// tokenizer.decode(encoding.ids)        // "Hello world"
/// ```
public protocol Tokenizer: Sendable {
    /// Splits `text` into tokens and maps them to ids.
    ///
    /// ```swift
    /// tokenizer.encode("Hello").tokens   // ["Hello"]
    /// ```
    func encode(_ text: String) -> Encoding

    /// The text `ids` stand for. Unknown ids are skipped.
    ///
    /// ```swift
    /// tokenizer.decode([15496, 995])   // "Hello world"
    /// ```
    func decode(_ ids: [Int]) -> String

    /// The id of the vocabulary entry spelled exactly `token` (compared by UTF-8 bytes, so
    /// "é" and "e\u{301}" are different tokens), or nil.
    ///
    /// ```swift
    /// tokenizer.id(of: "<|endoftext|>")   // 50256
    /// ```
    func id(of token: String) -> Int?

    /// The vocabulary entry with this id, as the tokenizer spells it (byte-level BPE: in
    /// GPT-2's printable byte alphabet, "Ġworld"), or nil.
    ///
    /// ```swift
    /// tokenizer.token(of: 995)   // "Ġworld"
    /// ```
    func token(of id: Int) -> String?

    /// How many ids the tokenizer can produce, special tokens included.
    ///
    /// ```swift
    /// tokenizer.vocabularySize   // 50257
    /// ```
    var vocabularySize: Int { get }
}

/// The result of encoding one text: parallel arrays, one element per token, as in Hugging Face
/// `tokenizers`' `Encoding` (`ids`, `tokens`, `type_ids`, `attention_mask`).
///
/// ```swift
/// let encoding = Encoding(ids: [15496, 995], tokens: ["Hello", "Ġworld"])
/// encoding.typeIDs         // [0, 0]
/// encoding.attentionMask   // [1, 1]
/// ```
public struct Encoding: Equatable, Sendable {
    /// The token ids.
    ///
    /// ```swift
    /// tokenizer.encode("Hello world").ids   // [15496, 995]
    /// ```
    public var ids: [Int]
    /// The tokens, spelled as in the vocabulary.
    ///
    /// ```swift
    /// tokenizer.encode("Hello world").tokens   // ["Hello", "Ġworld"]
    /// ```
    public var tokens: [String]
    /// The segment each token belongs to (BERT's sentence A = 0, sentence B = 1).
    ///
    /// ```swift
    /// tokenizer.encode("Hello world").typeIDs   // [0, 0]
    /// ```
    public var typeIDs: [Int]
    /// 1 for a real token, 0 for padding.
    ///
    /// ```swift
    /// tokenizer.encode("Hello world").attentionMask   // [1, 1]
    /// ```
    public var attentionMask: [Int]

    /// An encoding of `ids` and `tokens` (same length); type ids default to all 0 (one
    /// segment) and the attention mask to all 1 (no padding).
    ///
    /// ```swift
    /// Encoding(ids: [1, 2], tokens: ["a", "b"]).attentionMask   // [1, 1]
    /// ```
    public init(ids: [Int], tokens: [String], typeIDs: [Int]? = nil, attentionMask: [Int]? = nil) {
        guard ids.count == tokens.count else { fatalError("Encoding: \(ids.count) ids but \(tokens.count) tokens") }   // fatalError: the message survives -O
        self.ids = ids
        self.tokens = tokens
        self.typeIDs = typeIDs ?? Array(repeating: 0, count: ids.count)
        self.attentionMask = attentionMask ?? Array(repeating: 1, count: ids.count)
    }

    /// The number of tokens.
    ///
    /// ```swift
    /// Encoding(ids: [1, 2], tokens: ["a", "b"]).count   // 2
    /// ```
    public var count: Int { ids.count }
}
