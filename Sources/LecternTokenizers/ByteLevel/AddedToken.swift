// Tokens added on top of a model's vocabulary, such as GPT-2's "<|endoftext|>": Hugging Face
// tokenizers' `AddedToken` / `AddedVocabulary`. They are found in the raw text before
// pre-tokenization and kept whole, so "a<|endoftext|>b" never becomes "<|", "endoftext", "|>".
// Where two could match at one place the longest wins, and matching resumes after it — the
// leftmost-longest rule of HF's Aho-Corasick matcher. (HF's lstrip / rstrip / single_word
// options are not implemented; the tokenizers we load and train do not use them.)

/// A token kept whole wherever it appears in the text.
///
/// ```swift
/// let eot = AddedToken(content: "<|endoftext|>", id: 50256, special: true)
/// ```
public struct AddedToken: Sendable, Equatable {
    /// The text that is matched, exactly (by bytes).
    ///
    /// ```swift
    /// AddedToken(content: "<|endoftext|>", id: 0).content   // "<|endoftext|>"
    /// ```
    public var content: String
    /// Its id.
    ///
    /// ```swift
    /// AddedToken(content: "<|endoftext|>", id: 50256).id   // 50256
    /// ```
    public var id: Int
    /// A special token (end of text, padding…) rather than an ordinary added word.
    ///
    /// ```swift
    /// AddedToken(content: "<new>", id: 9, special: false).special   // false
    /// ```
    public var special: Bool

    /// An added token.
    ///
    /// ```swift
    /// AddedToken(content: "<pad>", id: 1, special: true)
    /// ```
    public init(content: String, id: Int, special: Bool = true) {
        self.content = content
        self.id = id
        self.special = special
    }
}

/// Finds added tokens in UTF-8 text, leftmost-longest.
///
/// ```swift
/// let matcher = AddedTokenMatcher([AddedToken(content: "<|endoftext|>", id: 0)])
/// // "a<|endoftext|>b": segment 0..<1, token 0 at 1..<14, segment 14..<15
/// ```
struct AddedTokenMatcher: Sendable {
    private let tokens: [(bytes: [UInt8], id: Int)]   // longest first
    private let starts: [Bool]                         // can a token start with this byte?

    init(_ addedTokens: [AddedToken]) {
        tokens = addedTokens.filter { !$0.content.isEmpty }
            .map { (Array($0.content.utf8), $0.id) }
            .sorted { $0.bytes.count > $1.bytes.count }
        var starts = [Bool](repeating: false, count: 256)
        for token in tokens { starts[Int(token.bytes[0])] = true }
        self.starts = starts
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// Calls `text(range)` for each stretch of ordinary text and `token(id)` for each added
    /// token, in order.
    func split(_ bytes: UnsafeBufferPointer<UInt8>, text: (Range<Int>) -> Void, token: (Int) -> Void) {
        var segmentStart = 0
        var index = 0
        while index < bytes.count {
            if starts[Int(bytes[index])], let (length, id) = match(bytes, at: index) {
                if segmentStart < index { text(segmentStart..<index) }
                token(id)
                index += length
                segmentStart = index
            } else {
                index += 1
            }
        }
        if segmentStart < bytes.count { text(segmentStart..<bytes.count) }
    }

    private func match(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int)? {
        for candidate in tokens where candidate.bytes.count <= bytes.count - index {
            var equal = true
            for offset in 0..<candidate.bytes.count where bytes[index + offset] != candidate.bytes[offset] {
                equal = false
                break
            }
            if equal { return (candidate.bytes.count, candidate.id) }
        }
        return nil
    }
}
