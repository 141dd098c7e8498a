// Everything that can go wrong reading or writing a safetensors file, one case per problem.
//
// Reference: the `SafeTensorError` enum of huggingface/safetensors (safetensors/src/tensor.rs),
// whose checks we follow. Its messages are terse ("invalid offset for tensor `b`"); ours say
// what was expected and what was found, because the person reading them is usually a student
// whose checkpoint does not load, and "expected 1536 bytes, found 1024" points at the cause.

/// Why a safetensors file could not be read or written, or a tensor could not be materialised.
/// `description` is a complete sentence meant for the person running the program.
///
///     do {
///         let file = try SafetensorsFile.open(url)
///         let weights = try file.floats("wte.weight")
///     } catch {
///         print(error)   // e.g. no tensor named "wte.weight" in model.safetensors; did you mean "transformer.wte.weight"?
///     }
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read (missing, a folder, no permission…).
    case cannotRead(path: String, reason: String)
    /// The file could not be written; any previous file at `path` is unchanged.
    case cannotWrite(path: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case fileTooShort(byteCount: Int)
    /// The 8-byte header length is above the format's limit (100 MB), so the file is not a
    /// safetensors file, or is damaged.
    case headerTooLarge(declared: UInt64, limit: Int)
    /// The header length says `declared` bytes of JSON follow, but only `available` do.
    case headerTruncated(declared: Int, available: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8
    /// The header is not valid JSON; `problem` says what the parser met at `byteOffset`
    /// (counted from the start of the JSON, i.e. file offset − 8).
    case invalidJSON(problem: String, byteOffset: Int)
    /// The header is valid JSON but not an object (`found` is e.g. "an array").
    case headerNotObject(found: String)
    /// A header entry is malformed: a missing field, a field of the wrong type, a negative
    /// dimension, a non-string metadata value, a name used twice… (`name` is "__metadata__"
    /// for the metadata entry).
    case invalidEntry(name: String, problem: String)
    /// A tensor's dtype is not one the format defines.
    case unknownDType(name: String, dtype: String)
    /// The tensor's shape × dtype size (`expectedBytes`, or −1 if it overflows an Int)
    /// differs from its data offsets' span (`actualBytes`).
    case sizeMismatch(name: String, dtype: Safetensors.DType, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// A tensor's data offsets end before they begin.
    case reversedOffsets(name: String, begin: Int, end: Int)
    /// Two tensors' data overlap in the byte buffer.
    case overlappingTensors(name: String, other: String)
    /// Bytes `range` of the byte buffer (after the header) belong to no tensor: a gap between
    /// two tensors, or trailing bytes after the last one. The format forbids both.
    case uncoveredBytes(range: Range<Int>, bufferSize: Int)
    /// The tensors need `expected` bytes of data after the header, but only `present` are in
    /// the file: it was cut short (an interrupted download or copy).
    case truncatedBuffer(expected: Int, present: Int)
    /// No tensor has this name; `suggestions` are the closest names the file has.
    case tensorNotFound(name: String, suggestions: [String])
    /// The tensor's dtype cannot be read as `requested` (e.g. floats of an I64 tensor).
    case dtypeMismatch(name: String, dtype: Safetensors.DType, requested: String)
    /// The file's tensor names differ from the expected set (see ``SafetensorsFile/checkNames(expected:)``).
    /// Both lists are sorted.
    case namesMismatch(missing: [String], unexpected: [String])
    /// A tensor passed to ``Safetensors/write(_:metadata:to:)`` is inconsistent (its shape
    /// does not match its number of values, a dimension is negative, a reserved name…).
    case invalidTensor(name: String, problem: String)

    /// A one-paragraph explanation, naming the tensor, the numbers involved and a likely fix.
    ///
    ///     let error = SafetensorsError.truncatedBuffer(expected: 4096, present: 1000)
    ///     print(error)   // the file is truncated: its tensors need 4096 bytes of data after the header, but only 1000 are present…
    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason) (the previous file, if any, is unchanged)"
        case let .fileTooShort(byteCount):
            return "not a safetensors file: it has \(byteCount) byte\(byteCount == 1 ? "" : "s"), fewer than the 8 that hold the header length"
        case let .headerTooLarge(declared, limit):
            return "not a safetensors file, or a damaged one: its first 8 bytes declare a header of \(declared) bytes, above the format's limit of \(limit)"
        case let .headerTruncated(declared, available):
            return "the file is truncated: its header should be \(declared) bytes long, but only \(available) bytes follow the header length"
        case .headerNotUTF8:
            return "the safetensors header is not valid UTF-8 text"
        case let .invalidJSON(problem, byteOffset):
            return "the safetensors header is not valid JSON: \(problem) at byte \(byteOffset) of the header"
        case let .headerNotObject(found):
            return "the safetensors header must be a JSON object mapping tensor names to their dtype, shape and offsets, but it is \(found)"
        case let .invalidEntry(name, problem):
            return "header entry \(quoted(name)): \(problem)"
        case let .unknownDType(name, dtype):
            let known = Safetensors.DType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor \(quoted(name)) has dtype \(quoted(dtype)), which is not a safetensors dtype (known: \(known))"
        case let .sizeMismatch(name, dtype, shape, expectedBytes, actualBytes):
            let expected = expectedBytes < 0 ? "more bytes than an Int can count" : "\(expectedBytes) bytes"
            return "tensor \(quoted(name)): shape \(shape) of \(dtype.rawValue) needs \(expected), but its data offsets span \(actualBytes)"
        case let .reversedOffsets(name, begin, end):
            return "tensor \(quoted(name)): its data offsets [\(begin), \(end)] end before they begin"
        case let .overlappingTensors(name, other):
            return "tensors \(quoted(other)) and \(quoted(name)) overlap in the byte buffer; every byte must belong to one tensor"
        case let .uncoveredBytes(range, bufferSize):
            let what = range.upperBound == bufferSize ? "trailing bytes after the last tensor" : "a gap between tensors"
            return "bytes \(range.lowerBound)..<\(range.upperBound) of the \(bufferSize)-byte buffer belong to no tensor (\(what)); the format requires the tensors to cover the buffer exactly"
        case let .truncatedBuffer(expected, present):
            return "the file is truncated: its tensors need \(expected) bytes of data after the header, but only \(present) are present (\(expected - present) missing); download or copy it again"
        case let .tensorNotFound(name, suggestions):
            var message = "no tensor named \(quoted(name)) in the file"
            if !suggestions.isEmpty {
                message += "; did you mean " + suggestions.map(quoted).joined(separator: " or ") + "?"
            }
            return message
        case let .dtypeMismatch(name, dtype, requested):
            return "tensor \(quoted(name)) holds \(dtype.rawValue) values, which cannot be read as \(requested)\(dtype.readingAdvice)"
        case let .namesMismatch(missing, unexpected):
            var lines = ["the file's tensors do not match the expected names:"]
            if !missing.isEmpty {
                lines.append("  missing (\(missing.count)):")
                for name in missing.prefix(10) {
                    let near = closeNames(to: name, among: unexpected, limit: 1)
                    lines.append("    \(name)" + (near.isEmpty ? "" : "  (the file has \(near[0]))"))
                }
                if missing.count > 10 { lines.append("    … and \(missing.count - 10) more") }
            }
            if !unexpected.isEmpty {
                lines.append("  unexpected (\(unexpected.count)):")
                lines += unexpected.prefix(10).map { "    \($0)" }
                if unexpected.count > 10 { lines.append("    … and \(unexpected.count - 10) more") }
            }
            return lines.joined(separator: "\n")
        case let .invalidTensor(name, problem):
            return "cannot save tensor \(quoted(name)): \(problem)"
        }
    }
}

extension Safetensors.DType {
    /// The reader to use instead, appended to a dtype-mismatch message.
    fileprivate var readingAdvice: String {
        switch self {
        case .float32, .float16, .bfloat16:
            return "; read it with floats(_:)"
        case .int64, .int32, .int16, .int8, .uint32, .uint16, .uint8, .bool:
            return "; read it with int64s(_:), or with floats(_:convertingIntegers: true) to round the values to Float"
        default:
            return " (this library reads F32, F16, BF16 and the integer dtypes up to I64)"
        }
    }
}

/// A string in double quotes, so that names with spaces or empty names stay visible.
private func quoted(_ text: String) -> String { "\"\(text)\"" }

// MARK: - Did you mean…

/// The names among `candidates` closest to `name`, best first: those that differ from it only
/// by a prefix such as "model." or "transformer." (the usual state-dict mismatch), then those
/// within a small edit distance (a typo, `weight` for `weights`, `h.0` for `h.1`).
func closeNames(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
    let target = Array(name.unicodeScalars)
    // Allow about one edit in three characters, and at least two: enough for typos and
    // off-by-one layer indices, not so many that unrelated names are suggested.
    let allowed = max(2, target.count / 3)
    var scored: [(score: Int, name: String)] = []
    for candidate in candidates where candidate != name {
        if candidate.hasSuffix("." + name) || name.hasSuffix("." + candidate) {
            scored.append((-1, candidate))
            continue
        }
        let distance = editDistance(target, Array(candidate.unicodeScalars), atMost: allowed)
        if distance <= allowed { scored.append((distance, candidate)) }
    }
    scored.sort { $0.score != $1.score ? $0.score < $1.score : $0.name < $1.name }
    return scored.prefix(limit).map(\.name)
}

/// Levenshtein distance between `a` and `b`, or some value above `bound` as soon as the
/// distance is known to exceed it (two rows of the classic dynamic program, cut short early).
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost bound: Int) -> Int {
    if abs(a.count - b.count) > bound { return bound + 1 }
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        var rowMinimum = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            rowMinimum = min(rowMinimum, current[j])
        }
        if rowMinimum > bound { return bound + 1 }
        swap(&previous, &current)
    }
    return previous[b.count]
}
