// The JSON header of a safetensors file: a strict reader, the checks on its entries, and a
// writer that produces the same bytes as the reference implementation.
//
// References:
//   - RFC 8259 (JSON), for the grammar the reader accepts.
//   - huggingface/safetensors, safetensors/src/tensor.rs (`read_metadata`, `Metadata::validate`,
//     `prepare`): the header is `{"__metadata__": {str: str}?, name: {"dtype", "shape",
//     "data_offsets"}, ...}`, serialised by serde_json in compact form and padded with spaces
//     to a multiple of 8 bytes; unknown fields in a tensor entry are ignored.
//   - serde_json's string escaping (src/ser.rs, `ESCAPE`): `"` and `\` are escaped, the control
//     characters U+0000–U+001F are written as \b \t \n \f \r or \u00xx (lowercase hex), and
//     everything else — `/`, U+007F, non-ASCII — is written as raw UTF-8.
//
// Why not Foundation's JSONSerialization: it cannot report a repeated key (the format forbids
// them), returns numbers as Double-backed NSNumbers (offsets of files above 2⁵³ bytes would
// round), escapes `/` on some platforms (so written files would differ from the reference's),
// and words its errors differently on Linux and macOS. The header grammar is small enough that
// a 150-line reader is the simpler thing to trust.

/// A parsed JSON value. Objects keep their keys in file order, repeated keys included, so the
/// header checks can reject repeats; numbers keep their text, so integers convert exactly.
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// "an object", "the number 1.5"…: how error messages describe what they found.
    var kindDescription: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let text): return "the string \"\(text)\""
        case .number(let text): return "the number \(text)"
        case .bool(let value): return "\(value)"
        case .null: return "null"
        }
    }
}

/// A strict RFC 8259 reader over bytes already known to be valid UTF-8.
struct JSONReader {
    /// Nesting deeper than this is refused, so a hostile header of a million `[` cannot
    /// overflow the stack (serde_json, which the reference uses, has the same limit).
    static let maximumDepth = 128

    struct Failure: Error {
        let problem: String
        let offset: Int
    }

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var depth = 0

    /// Parses the whole of `bytes` as one JSON value, surrounded by optional whitespace (the
    /// reference pads headers with spaces).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.parseValue()
        reader.skipWhitespace()
        if reader.position < bytes.count {
            throw reader.failure("unexpected \(reader.describeCurrent()) after the end of the JSON value")
        }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func failure(_ problem: String) -> Failure { Failure(problem: problem, offset: position) }

    private func describeCurrent() -> String {
        guard let byte = current else { return "end of header" }
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(Failure) -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw failure("invalid literal (expected \(literal))") }
            position += 1
        }
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard let byte = current else { throw failure("expected a value, found end of header") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func enterContainer() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        position += 1   // the opening bracket
        skipWhitespace()
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enterContainer()
        var members: [(key: String, value: JSONValue)] = []
        if current == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a key in double quotes, found \(describeCurrent())") }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after the key \"\(key)\", found \(describeCurrent())") }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if current == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return .object(members)
            } else {
                throw failure("expected ',' or '}' in an object, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        if current == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            } else if current == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return .array(elements)
            } else {
                throw failure("expected ',' or ']' in an array, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = position
        func digits(_ reader: inout JSONReader) -> Int {
            let first = reader.position
            while let byte = reader.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.position += 1 }
            return reader.position - first
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
            if let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                throw failure("a number cannot have a leading zero")
            }
        } else if digits(&self) == 0 {
            throw failure("expected a digit, found \(describeCurrent())")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            if digits(&self) == 0 { throw failure("expected a digit after the decimal point, found \(describeCurrent())") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            if digits(&self) == 0 { throw failure("expected a digit in the exponent, found \(describeCurrent())") }
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private mutating func parseString() throws(Failure) -> String {
        position += 1   // the opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw failure("control character 0x\(String(byte, radix: 16, uppercase: true)) in a string (it must be escaped)")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw failure("unterminated string") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte); return
        case UInt8(ascii: "b"): utf8.append(0x08); return
        case UInt8(ascii: "f"): utf8.append(0x0C); return
        case UInt8(ascii: "n"): utf8.append(0x0A); return
        case UInt8(ascii: "r"): utf8.append(0x0D); return
        case UInt8(ascii: "t"): utf8.append(0x09); return
        case UInt8(ascii: "u"): break
        default:
            position -= 1
            throw failure("invalid escape: a backslash followed by \(describeCurrent())")
        }
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by an escaped low one; together they encode
            // one scalar above U+FFFF.
            guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate in a \\u escape")
            }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw failure("unpaired surrogate in a \\u escape")
        }
        // Not a surrogate (checked above), so always a valid scalar.
        utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw failure("expected 4 hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}

// MARK: - Header entries

/// The decoded header: free-form metadata and each tensor's description, checked one by one
/// (the checks across tensors — overlaps, gaps, file size — are in ``validateLayout``).
struct SafetensorsHeader {
    var metadata: [String: String] = [:]
    var tensors: [String: Safetensors.TensorInfo] = [:]

    /// The reserved key for the string-to-string metadata map.
    static let metadataKey = "__metadata__"

    init(_ json: JSONValue) throws(SafetensorsError) {
        guard case .object(let members) = json else { throw .headerNotObject(found: json.kindDescription) }
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else {
                throw .invalidEntry(name: name, problem: "the name appears twice in the header (the format forbids repeated names)")
            }
            if name == Self.metadataKey {
                metadata = try Self.decodeMetadata(value)
            } else {
                tensors[name] = try Self.decodeTensor(name, value)
            }
        }
    }

    private static func decodeMetadata(_ value: JSONValue) throws(SafetensorsError) -> [String: String] {
        switch value {
        case .null:
            return [:]   // serde's Option: the reference accepts null as "no metadata"
        case .object(let members):
            var metadata: [String: String] = [:]
            for (key, entry) in members {
                guard case .string(let text) = entry else {
                    throw .invalidEntry(name: metadataKey, problem: "metadata values must be strings, but \"\(key)\" is \(entry.kindDescription)")
                }
                guard metadata.updateValue(text, forKey: key) == nil else {
                    throw .invalidEntry(name: metadataKey, problem: "the key \"\(key)\" appears twice")
                }
            }
            return metadata
        default:
            throw .invalidEntry(name: metadataKey, problem: "must be an object of strings, but it is \(value.kindDescription)")
        }
    }

    private static func decodeTensor(_ name: String, _ value: JSONValue) throws(SafetensorsError) -> Safetensors.TensorInfo {
        guard case .object(let fields) = value else {
            throw .invalidEntry(name: name, problem: "must be an object with \"dtype\", \"shape\" and \"data_offsets\", but it is \(value.kindDescription)")
        }
        func field(_ key: String) throws(SafetensorsError) -> JSONValue {
            // Unknown fields are ignored, as serde does for the reference.
            guard let found = fields.first(where: { $0.key == key }) else {
                throw .invalidEntry(name: name, problem: "missing field \"\(key)\"")
            }
            return found.value
        }
        guard case .string(let dtypeName) = try field("dtype") else {
            throw .invalidEntry(name: name, problem: "\"dtype\" must be a string such as \"F32\"")
        }
        guard let dtype = Safetensors.DType(rawValue: dtypeName) else {
            throw .unknownDType(name: name, dtype: dtypeName)
        }
        let shape = try nonNegativeIntegers(try field("shape"), field: "shape", of: name)
        let offsets = try nonNegativeIntegers(try field("data_offsets"), field: "data_offsets", of: name)
        guard offsets.count == 2 else {
            throw .invalidEntry(name: name, problem: "\"data_offsets\" must be [begin, end], but it has \(offsets.count) number\(offsets.count == 1 ? "" : "s")")
        }
        guard offsets[0] <= offsets[1] else {
            throw .reversedOffsets(name: name, begin: offsets[0], end: offsets[1])
        }
        let info = Safetensors.TensorInfo(dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
        // The shape and dtype must account for the offsets' span exactly. -1 stands for a size
        // that overflows an Int (only a damaged or hostile header can ask for that).
        let bits = Safetensors.bitCount(of: dtype, shape: shape)
        if let bits, bits % 8 != 0 {
            throw .invalidEntry(name: name, problem: "shape \(shape) of \(dtype.rawValue) is \(bits) bits, not a whole number of bytes")
        }
        let needed = bits.map { $0 / 8 } ?? -1
        guard needed == info.dataOffsets.count else {
            throw .sizeMismatch(name: name, dtype: dtype, shape: shape, expectedBytes: needed, actualBytes: info.dataOffsets.count)
        }
        return info
    }

    private static func nonNegativeIntegers(_ value: JSONValue, field: String, of name: String) throws(SafetensorsError) -> [Int] {
        guard case .array(let elements) = value else {
            throw .invalidEntry(name: name, problem: "\"\(field)\" must be an array of non-negative integers, but it is \(value.kindDescription)")
        }
        var integers: [Int] = []
        for element in elements {
            // Int(text) rejects fractions and exponents ("1.0", "1e3"), as serde rejects them
            // for the reference's usize fields, and returns nil past Int.max.
            guard case .number(let text) = element, let integer = Int(text), integer >= 0 else {
                throw .invalidEntry(name: name, problem: "\"\(field)\" must hold non-negative integers, but it holds \(element.kindDescription)")
            }
            integers.append(integer)
        }
        return integers
    }
}

// MARK: - Writing

/// Compact JSON with serde_json's escaping (see the header of this file), appended to `out`.
enum JSONWriter {
    static func appendString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x00..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendIntegers(_ values: [Int], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        out += Array(values.map(String.init).joined(separator: ",").utf8)
        out.append(UInt8(ascii: "]"))
    }
}

/// True when `a` sorts before `b` byte by byte in UTF-8, the order of Rust's `String` (which
/// the reference sorts names with). Swift's `<` on String compares Unicode scalars after
/// normalisation, which can differ for non-ASCII names.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
