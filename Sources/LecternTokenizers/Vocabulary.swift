// A tokenizer vocabulary: token ↔ id, keyed by the token's bytes. Follows the `vocab` /
// `vocab_r` pair of Hugging Face `tokenizers` models (a HashMap<String, u32> and its reverse);
// Rust compares `String`s byte by byte, and so do we — Swift's `String ==` would treat
// canonically equivalent spellings ("é" U+00E9 and "e" + U+0301) as one key and silently merge
// two distinct tokens.

/// Token bytes ↔ id. Ids may have gaps (a `tokenizer.json` may skip ids); `count` is the number
/// of entries, `idLimit` one past the largest id.
///
/// ```swift
/// var vocabulary = Vocabulary()
/// vocabulary.insert("é", id: 0)
/// vocabulary.insert("e\u{301}", id: 1)     // a different token: compared by bytes
/// vocabulary.id(of: "e\u{301}")            // 1
/// vocabulary.token(of: 0)                  // "é"
/// ```
public struct Vocabulary: Sendable, Equatable {
    private var idsByBytes: [[UInt8]: Int] = [:]
    private var bytesByID: [[UInt8]?] = []

    /// An empty vocabulary.
    ///
    /// ```swift
    /// Vocabulary().count   // 0
    /// ```
    public init() {}

    /// A vocabulary whose ids are the positions in `tokens` (the layout of BERT's `vocab.txt`).
    /// A repeated token keeps its last id, as Hugging Face does when it reads a map.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["[PAD]", "[UNK]"]).id(of: "[UNK]")   // 1
    /// ```
    public init(tokens: [String]) {
        for (id, token) in tokens.enumerated() { insert(Array(token.utf8), id: id) }
    }

    /// The number of entries.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["a", "b"]).count   // 2
    /// ```
    public var count: Int { idsByBytes.count }

    /// One past the largest id (0 when empty): the size an embedding table needs.
    ///
    /// ```swift
    /// var vocabulary = Vocabulary(); vocabulary.insert("a", id: 9)
    /// vocabulary.idLimit   // 10
    /// ```
    public var idLimit: Int { bytesByID.count }

    /// Adds `bytes` with `id`, replacing what either had before (an id holds one token, a token
    /// one id).
    ///
    /// ```swift
    /// var vocabulary = Vocabulary()
    /// vocabulary.insert([0xC3, 0xA9], id: 5)   // "é"
    /// ```
    public mutating func insert(_ bytes: [UInt8], id: Int) {
        guard id >= 0 else { fatalError("Vocabulary: negative id \(id)") }   // fatalError: the message survives -O
        if let old = idsByBytes[bytes], old != id { bytesByID[old] = nil }
        if id < bytesByID.count, let previous = bytesByID[id], previous != bytes { idsByBytes[previous] = nil }
        if id >= bytesByID.count { bytesByID.append(contentsOf: repeatElement(nil, count: id + 1 - bytesByID.count)) }
        bytesByID[id] = bytes
        idsByBytes[bytes] = id
    }

    /// Adds `token` (its UTF-8 bytes) with `id`.
    ///
    /// ```swift
    /// var vocabulary = Vocabulary()
    /// vocabulary.insert("hello", id: 0)
    /// ```
    public mutating func insert(_ token: String, id: Int) {
        insert(Array(token.utf8), id: id)
    }

    /// The id of the token with exactly these bytes, or nil.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["a"]).id(of: [0x61])   // 0
    /// ```
    public func id(of bytes: [UInt8]) -> Int? { idsByBytes[bytes] }

    /// The id of the token with `token`'s UTF-8 bytes (not Swift string equality), or nil.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["é"]).id(of: "e\u{301}")   // nil
    /// ```
    public func id(of token: String) -> Int? { idsByBytes[Array(token.utf8)] }

    /// The bytes of the token with this id, or nil.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["a"]).bytes(of: 0)   // [0x61]
    /// ```
    public func bytes(of id: Int) -> [UInt8]? {
        id >= 0 && id < bytesByID.count ? bytesByID[id] : nil
    }

    /// The token with this id as a string, or nil. (Tokens from files are valid UTF-8.)
    ///
    /// ```swift
    /// Vocabulary(tokens: ["a"]).token(of: 0)   // "a"
    /// ```
    public func token(of id: Int) -> String? {
        bytes(of: id).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every (token bytes, id) pair, in id order.
    ///
    /// ```swift
    /// Vocabulary(tokens: ["a", "b"]).entries.map(\.id)   // [0, 1]
    /// ```
    public var entries: [(bytes: [UInt8], id: Int)] {
        bytesByID.enumerated().compactMap { id, bytes in bytes.map { ($0, id) } }
    }
}
