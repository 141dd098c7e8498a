// GPT-2's pre-tokenization: openai/gpt-2 encoder.py's pattern, as Hugging Face tokenizers'
// ByteLevel pre-tokenizer applies it (SplitDelimiterBehavior::Isolated, so the pieces tile the
// text), written out as a scanner over Unicode scalars instead of a regular expression:
//
//     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// A backtracking engine tries the alternatives in order at each position and takes the first
// that matches, so the scanner does the same, case by case:
//   • an apostrophe (U+0027 only) followed by s, t, m, d, re, ve or ll — lower case only, so
//     "'S" is "'" then "S";
//   • an optional single space (U+0020, not any \s) then a run of letters, of numbers, or of
//     anything else that is not whitespace — "'" included, so " 's" is " '" then "s";
//   • a whitespace run that reaches the end of the text is taken whole; one followed by a
//     non-space loses its last scalar (the look-ahead `(?!\S)` backtracks by one), which then
//     starts the next piece, as " ?\p{L}+" if it is a space before a letter, or alone via `\s+`.
// Classes as Hugging Face's Oniguruma sees them (checked code point by code point against it
// in the tests): \s is the Unicode White_Space property (so U+0085, U+00A0, U+2028, U+3000 are
// whitespace, U+001C…U+001F are not), \p{L} the general categories L*, \p{N} Nd, Nl and No —
// as of Unicode 16, the version of the Oniguruma inside tokenizers 0.23: a letter that Swift's
// newer tables know (Unicode 17 added 2000) is still unassigned, so "other", for Hugging Face.

/// GPT-2's split of text into pre-tokens, over the UTF-8 bytes of the text.
///
/// ```swift
/// GPT2PreTokenizer.split("It's  a test!!")
/// // ["It", "'s", " ", " a", " test", "!!"]
/// ```
public enum GPT2PreTokenizer {
    /// The pieces of `text`, in order; concatenated they give `text` back.
    ///
    /// ```swift
    /// GPT2PreTokenizer.split("hello   world\n")   // ["hello", "  ", " world", "\n"]
    /// ```
    public static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var pieces: [String] = []
            forEachPiece(in: bytes) { range in pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)) }
            return pieces
        }
    }

    /// Calls `body` with the byte range of each piece of the UTF-8 text `bytes`, in order.
    /// `bytes` must be valid UTF-8 (as a `String`'s storage is).
    ///
    /// ```swift
    /// var text = "a b"
    /// text.withUTF8 { GPT2PreTokenizer.forEachPiece(in: $0) { print($0) } }   // 0..<1, 1..<3
    /// ```
    @inlinable
    public static func forEachPiece(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let end = bytes.count
        var start = 0
        while start < end {
            let pieceEnd = endOfPiece(in: bytes, from: start)
            body(start..<pieceEnd)
            start = pieceEnd
        }
    }

    /// The end of the piece that starts at `start` (< bytes.count).
    @usableFromInline
    static func endOfPiece(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let end = bytes.count
        let first = bytes[start]
        // 's 't 'm 'd 're 've 'll
        if first == UInt8(ascii: "'"), start + 1 < end {
            let second = bytes[start + 1]
            switch second {
            case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                return start + 2
            case UInt8(ascii: "r"), UInt8(ascii: "v"):
                if start + 2 < end, bytes[start + 2] == UInt8(ascii: "e") { return start + 3 }
            case UInt8(ascii: "l"):
                if start + 2 < end, bytes[start + 2] == UInt8(ascii: "l") { return start + 3 }
            default:
                break
            }
        }
        var (kind, length) = ScalarClass.of(bytes, at: start)
        var runStart = start
        // " ?X+": a single space then a run of letters, numbers or other non-space.
        if first == UInt8(ascii: " "), start + 1 < end {
            let (next, nextLength) = ScalarClass.of(bytes, at: start + 1)
            if next != .space {
                kind = next
                length = nextLength
                runStart = start + 1
            }
        }
        if kind != .space {
            var position = runStart + length
            while position < end {
                let (next, nextLength) = ScalarClass.of(bytes, at: position)
                guard next == kind else { break }
                position += nextLength
            }
            return position
        }
        // "\s+(?!\S)|\s+": the run, less its last scalar when a non-space follows it.
        var lastStart = start
        var position = start + length
        while position < end {
            let (next, nextLength) = ScalarClass.of(bytes, at: position)
            guard next == .space else { return lastStart > start ? lastStart : position }
            lastStart = position
            position += nextLength
        }
        return position
    }
}

/// The four classes the GPT-2 pattern distinguishes.
@usableFromInline
enum ScalarClass: UInt8, Sendable {
    case letter, number, space, other

    /// The class of an ASCII byte, by comparisons rather than a table: a global table costs a
    /// lazy-initialisation check on every access, which the profile showed.
    @inlinable @inline(__always)
    static func ascii(_ byte: UInt8) -> ScalarClass {
        let folded = byte | 0x20   // ASCII letters, either case, to lower case
        if folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z") { return .letter }
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { return .number }
        if byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D) { return .space }
        return .other
    }

    /// The class and UTF-8 length of the scalar starting at `index` in valid UTF-8 `bytes`.
    @inlinable @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (ScalarClass, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (ascii(lead), 1) }
        return decodeAndClassify(bytes, at: index)
    }

    @usableFromInline
    static func decodeAndClassify(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (ScalarClass, Int) {
        let lead = UInt32(bytes[index])
        let value: UInt32
        let length: Int
        if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
            length = 3
        } else {
            value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
            length = 4
        }
        return (classify(Unicode.Scalar(value) ?? "\u{FFFD}"), length)
    }

    /// The newest Unicode version whose letters and numbers Hugging Face's regex knows.
    static let unicodeMajorVersion = 16

    /// \s (White_Space), \p{L}, \p{N}, or anything else.
    @usableFromInline
    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        let kind: ScalarClass
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            kind = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            kind = .number
        default:
            return .other
        }
        if let age = properties.age, age.major > unicodeMajorVersion { return .other }
        return kind
    }
}
