// Reading a JSON vocabulary (token → id) with every key's exact bytes. JSONSerialization builds
// a [String: Any], and Swift's String keys treat canonically equivalent spellings as one key:
// a vocabulary holding both "é" (U+00E9) and "e" + U+0301, as multilingual WordPiece
// vocabularies can, silently loses one of them. Hugging Face reads the map with serde into a
// Rust HashMap<String, u32>, which compares bytes; this scanner does the same for the one
// object that needs it, and the rest of the file is still read with JSONSerialization.
//
// The result is handed on inside the parsed dictionary (the vocabulary object replaced by a
// `Vocabulary` value), where `JSONFields.vocabulary(_:)` picks it up — so every loader,
// including BertWordPieceTokenizer(tokenizerJSON:path:), gets the exact vocabulary.
import Foundation

/// Token → id objects read byte for byte from JSON text.
///
/// ```swift
/// let data = Data(#"{"model": {"vocab": {"\u00e9": 0, "e\u0301": 1}}}"#.utf8)
/// ExactJSONVocabulary.read(data, at: ["model", "vocab"])?.count   // 2 (JSONSerialization: 1)
/// ```
enum ExactJSONVocabulary {
    /// The object at `keyPath` ([] for the top level) as a vocabulary, or nil when it is not
    /// there or not an object of integers (the caller then reports the error from the parsed
    /// JSON, with its key path).
    static func read(_ data: Data, at keyPath: [String]) -> Vocabulary? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.vocabulary(at: keyPath.map { Array($0.utf8) })
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func vocabulary(at keyPath: [[UInt8]]) -> Vocabulary? {
            skipSpace()
            for key in keyPath {
                guard take(UInt8(ascii: "{")) else { return nil }
                var found = false
                while !found {
                    skipSpace()
                    guard let name = string() else { return nil }
                    skipSpace()
                    guard take(UInt8(ascii: ":")) else { return nil }
                    skipSpace()
                    if name == key {
                        found = true
                    } else {
                        guard skipValue(depth: 0) else { return nil }
                        skipSpace()
                        guard take(UInt8(ascii: ",")) else { return nil }   // "}": the key is absent
                    }
                }
            }
            guard take(UInt8(ascii: "{")) else { return nil }
            var vocabulary = Vocabulary()
            skipSpace()
            if take(UInt8(ascii: "}")) { return vocabulary }
            while true {
                skipSpace()
                guard let token = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard let id = integer(), id < JSONFields.idLimit else { return nil }
                vocabulary.insert(token, id: id)
                skipSpace()
                if take(UInt8(ascii: "}")) { return vocabulary }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A non-negative integer written with digits only.
        mutating func integer() -> Int? {
            var value = 0, digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 16 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            guard digits > 0, index >= bytes.count || ![UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index])
            else { return nil }
            return value
        }

        /// A string's UTF-8 bytes, escapes decoded.
        mutating func string() -> [UInt8]? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return out
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(code) {   // a surrogate pair
                            guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low)
                            else { return nil }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        out.append(contentsOf: Array(String(scalar).utf8))
                    default:
                        return nil
                    }
                default:
                    out.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Skips one value of any kind.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth < 512, index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let isObject = close == UInt8(ascii: "}")
                index += 1
                skipSpace()
                if take(close) { return true }
                while true {
                    skipSpace()
                    if isObject {
                        guard string() != nil else { return false }
                        skipSpace()
                        guard take(UInt8(ascii: ":")) else { return false }
                        skipSpace()
                    }
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    if take(close) { return true }
                    guard take(UInt8(ascii: ",")) else { return false }
                }
            default:   // number, true, false, null
                let start = index
                while index < bytes.count, !([UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])) {
                    index += 1
                }
                return index > start
            }
        }
    }
}
