// Turning WordPiece tokens back into text, following Hugging Face `tokenizers`
// (decoders/wordpiece.rs, `WordPiece` decoder, and its `cleanup`): a token with the "##"
// prefix is glued to the one before it, any other token is preceded by a space, and with
// `cleanup` the spaces BERT's splitting put before punctuation and English contractions are
// taken out again, token by token, exactly as HF does.

/// Joins WordPiece tokens into text.
///
/// ```swift
/// WordPieceDecoder().decode(["hello", ",", "un", "##aff", "##able", "world", "!"])
/// // "hello, unaffable world!"
/// ```
public struct WordPieceDecoder: Sendable, Equatable {
    /// The continuation marker to remove (BERT: "##").
    ///
    /// ```swift
    /// WordPieceDecoder(prefix: "@@").decode(["a", "@@b"])   // "ab"
    /// ```
    public var prefix: String
    /// Remove the spaces before `. ? ! ,` and in contractions (" n't", " 's", …), as HF does.
    ///
    /// ```swift
    /// WordPieceDecoder(cleanup: true).decode(["a", "!"])   // "a!"
    /// ```
    public var cleanup: Bool

    /// A decoder with HF's defaults.
    ///
    /// ```swift
    /// WordPieceDecoder(cleanup: false).decode(["a", "."])   // "a ."
    /// ```
    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    /// The text of `tokens`.
    ///
    /// ```swift
    /// WordPieceDecoder().decode(["do", "not", "##hing"])   // "do nothing"
    /// ```
    public func decode(_ tokens: [String]) -> String {
        var text = ""
        let prefixBytes = Array(prefix.utf8)
        for (index, token) in tokens.enumerated() {
            var piece: String
            // Byte comparison: `hasPrefix` would compare canonically equivalent strings as equal.
            if index > 0 {
                let bytes = Array(token.utf8)
                if !prefixBytes.isEmpty, bytes.starts(with: prefixBytes) {
                    piece = String(decoding: bytes.dropFirst(prefixBytes.count), as: UTF8.self)
                } else {
                    piece = " " + token
                }
            } else {
                piece = token
            }
            if cleanup { piece = Self.cleanup(piece) }
            text += piece
        }
        return text
    }

    /// HF's `cleanup`, replacement by replacement, in its order.
    ///
    /// ```swift
    /// WordPieceDecoder.cleanup(" don 't")   // " don't"
    /// ```
    public static func cleanup(_ text: String) -> String {
        var result = Array(text.utf8)
        for (from, to) in replacements { result = replace(result, Array(from.utf8), Array(to.utf8)) }
        return String(decoding: result, as: UTF8.self)
    }

    static let replacements: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
        (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    /// Every non-overlapping occurrence of `pattern` in `bytes`, left to right, replaced (Rust's
    /// `str::replace`, on bytes so that no canonical equivalence creeps in).
    static func replace(_ bytes: [UInt8], _ pattern: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
        guard bytes.count >= pattern.count else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count, bytes[index..<index + pattern.count].elementsEqual(pattern) {
                output.append(contentsOf: replacement)
                index += pattern.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
