// Reading safetensors files: open (map the file, parse and check the header), then materialise
// tensors one at a time, on request.
//
// Reference: huggingface/safetensors, safetensors/src/tensor.rs — `SafeTensors::read_metadata`
// and `Metadata::validate`, whose checks we make, in the same order:
//   1. at least 8 bytes; the header length N is at most 100 MB and fits in the file;
//   2. the header is UTF-8 JSON: an object of tensor entries and an optional "__metadata__";
//   3. each tensor's dtype is known and shape × dtype size equals its data_offsets span;
//   4. sorted by offsets, the tensors tile the byte buffer: each begins where the previous one
//      ended (no overlap, no gap), and the last one ends exactly at the end of the file.
// Like the reference, we ignore unknown fields in a tensor entry and accept spaces around the
// JSON. Unlike it, we reject a name that appears twice (the README forbids it; serde keeps the
// last one silently) and report each failure with its numbers (see SafetensorsError.swift).
//
// Conversions: F32 is copied; F16 and BF16 are widened exactly (HalfPrecision.swift); integer
// types widen exactly to Int64, and to Float only on request, since that rounds above 2²⁴.

import Foundation

/// A safetensors file, open for reading: its tensor names, shapes, dtypes and metadata are
/// known, and each tensor's values are read from the file when you ask for them.
///
///     let file = try SafetensorsFile.open(URL(fileURLWithPath: "gpt2/model.safetensors"))
///     file.names.first                       // "h.0.attn.bias"
///     file.metadata["format"]                // "pt"
///     file.info("wte.weight")?.shape         // [50257, 768]
///     let wte = try file.floats("wte.weight") // 38 597 376 Floats, read now
///
/// Opening maps the file into memory instead of reading it: a 500 MB checkpoint opens
/// instantly and costs memory only for the tensors you materialise. The value is immutable
/// and can be shared between threads; the mapping lasts as long as any copy of it.
public struct SafetensorsFile: Sendable {
    /// Every tensor name in the file, sorted (the "__metadata__" entry is not a tensor).
    ///
    ///     try SafetensorsFile.open(url).names   // ["h.0.attn.bias", "h.0.attn.weight", …]
    public let names: [String]

    /// The file's free-form string metadata (its "__metadata__" entry); empty if it has none.
    ///
    ///     try SafetensorsFile.open(url).metadata   // ["format": "pt"]
    public let metadata: [String: String]

    /// True when the file's bytes are memory-mapped rather than copied into memory: always
    /// for ``open(_:)`` on Linux and macOS, never for ``init(data:)``.
    ///
    ///     try SafetensorsFile.open(url).isMemoryMapped   // true
    public var isMemoryMapped: Bool { storage.isMemoryMapped }

    private let storage: FileBytes
    private let tensors: [String: Safetensors.TensorInfo]
    /// Where the byte buffer starts in the file: 8 + the header length.
    private let bufferStart: Int

    /// Opens the safetensors file at `url`: maps it into memory and checks its header and
    /// layout, without reading any tensor data.
    ///
    ///     let file = try SafetensorsFile.open(URL(fileURLWithPath: "model.safetensors"))
    ///
    /// - Throws: ``SafetensorsError/cannotRead(path:reason:)`` if the file cannot be opened;
    ///   otherwise the specific problem with its contents (``SafetensorsError/truncatedBuffer(expected:present:)``,
    ///   ``SafetensorsError/invalidJSON(problem:byteOffset:)``…).
    public static func open(_ url: URL) throws(SafetensorsError) -> SafetensorsFile {
        try SafetensorsFile(storage: FileBytes.map(url))
    }

    /// Reads a safetensors file already in memory (downloaded, or built by
    /// ``Safetensors/serialize(_:metadata:)``). The bytes are copied once.
    ///
    ///     let file = try SafetensorsFile(data: try Safetensors.serialize(["x": .float32(shape: [], [3])]))
    ///     try file.floats("x")   // [3]
    ///
    /// - Throws: the same errors as ``open(_:)``, except ``SafetensorsError/cannotRead(path:reason:)``.
    public init(data: Data) throws(SafetensorsError) {
        try self.init(storage: FileBytes(copying: data))
    }

    private init(storage: FileBytes) throws(SafetensorsError) {
        let bytes = storage.bytes
        guard bytes.count >= 8 else { throw .fileTooShort(byteCount: bytes.count) }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Safetensors.headerSizeLimit) else {
            throw .headerTooLarge(declared: declared, limit: Safetensors.headerSizeLimit)
        }
        let headerLength = Int(declared)   // ≤ 100 MB, so it fits
        guard headerLength <= bytes.count - 8 else {
            throw .headerTruncated(declared: headerLength, available: bytes.count - 8)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + headerLength)])
        // transcode(…, stoppingOnError: true) returns true when it meets invalid UTF-8: the
        // standard library's validator, without building a String of the whole header.
        let invalidUTF8 = transcode(headerBytes.makeIterator(), from: UTF8.self, to: UTF8.self, stoppingOnError: true) { _ in }
        guard !invalidUTF8 else { throw .headerNotUTF8 }
        let json: JSONValue
        do {
            json = try JSONReader.parse(headerBytes)
        } catch {
            throw .invalidJSON(problem: error.problem, byteOffset: error.offset)
        }
        let header = try SafetensorsHeader(json)
        try Self.validateLayout(header.tensors, bufferSize: bytes.count - 8 - headerLength)

        self.storage = storage
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.names = header.tensors.keys.sorted()
        self.bufferStart = 8 + headerLength
    }

    /// Checks that the tensors tile the byte buffer exactly: sorted by offsets, each begins
    /// where the previous one ends, and the last one ends at the end of the file.
    private static func validateLayout(_ tensors: [String: Safetensors.TensorInfo], bufferSize: Int) throws(SafetensorsError) {
        // Sort by (begin, end), then name, so that a zero-size tensor sharing its offset with
        // a larger one comes first, and errors name the same tensor every time.
        let ordered = tensors.sorted {
            ($0.value.dataOffsets.lowerBound, $0.value.dataOffsets.upperBound, $0.key)
                < ($1.value.dataOffsets.lowerBound, $1.value.dataOffsets.upperBound, $1.key)
        }
        var end = 0
        var previous: String?
        for (name, info) in ordered {
            let range = info.dataOffsets
            if range.lowerBound < end, let previous {
                throw .overlappingTensors(name: name, other: previous)
            }
            if range.lowerBound > end {
                // Bytes nobody claims. If they lie beyond the end of the file, the file is cut
                // short rather than gapped: report that, it is the likelier story.
                guard range.lowerBound <= bufferSize else { break }
                throw .uncoveredBytes(range: end..<range.lowerBound, bufferSize: bufferSize)
            }
            end = range.upperBound
            previous = name
        }
        let needed = ordered.last.map { $0.value.dataOffsets.upperBound } ?? 0
        if needed > bufferSize { throw .truncatedBuffer(expected: needed, present: bufferSize) }
        if needed < bufferSize { throw .uncoveredBytes(range: needed..<bufferSize, bufferSize: bufferSize) }
    }

    /// The dtype, shape and data offsets of the tensor named `name`, or nil if there is none.
    /// Reads no tensor data.
    ///
    ///     if let info = file.info("h.0.mlp.c_fc.weight") {
    ///         print(info.dtype, info.shape)   // float32 [768, 3072]
    ///     }
    public func info(_ name: String) -> Safetensors.TensorInfo? {
        tensors[name]
    }

    /// The values of the tensor named `name` as Floats, in row-major order. F32 values are
    /// copied; F16 and BF16 are converted exactly (every half and bfloat16 value is a Float,
    /// including subnormals, infinities and NaN). Integer tensors are refused, unless
    /// `convertingIntegers` is true: then each value is rounded to the nearest Float (exact up
    /// to 2²⁴ = 16 777 216).
    ///
    ///     let weights = try file.floats("lm_head.weight")            // F32, F16 or BF16
    ///     let mask = try file.floats("attn.mask", convertingIntegers: true)   // I64 → Float
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(name:suggestions:)`` for an unknown name,
    ///   ``SafetensorsError/dtypeMismatch(name:dtype:requested:)`` for a dtype it cannot read.
    public func floats(_ name: String, convertingIntegers: Bool = false) throws(SafetensorsError) -> [Float] {
        let (info, raw) = try locate(name)
        let count = info.elementCount
        switch info.dtype {
        case .float32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                #if _endian(little)
                // The file's bytes are the Floats' bytes: one memcpy (which, unlike a typed
                // load, does not care whether the file put them at an aligned address).
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                #else
                for index in 0..<count {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                }
                #endif
                initialized = count
            }
        case .float16:
            return Self.map(raw, count: count, as: UInt16.self) { HalfPrecision.float(float16Bits: $0) }
        case .bfloat16:
            return Self.map(raw, count: count, as: UInt16.self) { HalfPrecision.float(bfloat16Bits: $0) }
        default:
            if convertingIntegers, let integers = Self.integers(raw, dtype: info.dtype, count: count) {
                return integers.map { Float($0) }
            }
            throw .dtypeMismatch(name: name, dtype: info.dtype, requested: "floats")
        }
    }

    /// The values of the integer tensor named `name` as Int64s, in row-major order: I64 as
    /// stored; I32, I16, I8, U32, U16 and U8 widened exactly; BOOL as 0 or 1.
    ///
    ///     let ids = try file.int64s("input_ids")   // e.g. [15496, 11, 995]
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(name:suggestions:)`` for an unknown name,
    ///   ``SafetensorsError/dtypeMismatch(name:dtype:requested:)`` for a floating-point or
    ///   U64 tensor (U64 values may not fit in an Int64).
    public func int64s(_ name: String) throws(SafetensorsError) -> [Int64] {
        let (info, raw) = try locate(name)
        guard let integers = Self.integers(raw, dtype: info.dtype, count: info.elementCount) else {
            throw .dtypeMismatch(name: name, dtype: info.dtype, requested: "64-bit integers")
        }
        return integers
    }

    /// Checks that the file holds exactly the tensors named in `expected`, e.g. a model's
    /// parameter names before loading a checkpoint into it, and reports every difference at
    /// once: names the file lacks and names it has that nothing expects.
    ///
    ///     try file.checkNames(expected: Set(model.parameters.keys))
    ///     // the file's tensors do not match the expected names:
    ///     //   missing (1):
    ///     //     h.0.attn.bias  (the file has transformer.h.0.attn.bias)
    ///     //   unexpected (1):
    ///     //     transformer.h.0.attn.bias
    ///
    /// - Throws: ``SafetensorsError/namesMismatch(missing:unexpected:)``, both lists sorted.
    public func checkNames(expected: Set<String>) throws(SafetensorsError) {
        let present = Set(names)
        let missing = expected.subtracting(present).sorted()
        let unexpected = present.subtracting(expected).sorted()
        if !missing.isEmpty || !unexpected.isEmpty {
            throw .namesMismatch(missing: missing, unexpected: unexpected)
        }
    }

    // MARK: - Materialising

    /// The tensor's description and its bytes in the mapped file.
    private func locate(_ name: String) throws(SafetensorsError) -> (Safetensors.TensorInfo, UnsafeRawBufferPointer) {
        guard let info = tensors[name] else {
            throw .tensorNotFound(name: name, suggestions: closeNames(to: name, among: names))
        }
        // In bounds: the layout was checked when the file was opened.
        let range = (bufferStart + info.dataOffsets.lowerBound)..<(bufferStart + info.dataOffsets.upperBound)
        return (info, UnsafeRawBufferPointer(rebasing: storage.bytes[range]))
    }

    /// Loads `count` little-endian `Element`s from `raw` (at any alignment) and transforms each.
    private static func map<Element: FixedWidthInteger, Result>(
        _ raw: UnsafeRawBufferPointer, count: Int, as type: Element.Type, _ transform: (Element) -> Result
    ) -> [Result] {
        let stride = MemoryLayout<Element>.size
        return (0..<count).map { index in
            transform(Element(littleEndian: raw.loadUnaligned(fromByteOffset: index * stride, as: Element.self)))
        }
    }

    /// The values of an integer or BOOL tensor widened to Int64, or nil for other dtypes.
    private static func integers(_ raw: UnsafeRawBufferPointer, dtype: Safetensors.DType, count: Int) -> [Int64]? {
        switch dtype {
        case .int64: return map(raw, count: count, as: Int64.self) { $0 }
        case .int32: return map(raw, count: count, as: Int32.self) { Int64($0) }
        case .int16: return map(raw, count: count, as: Int16.self) { Int64($0) }
        case .int8: return map(raw, count: count, as: Int8.self) { Int64($0) }
        case .uint32: return map(raw, count: count, as: UInt32.self) { Int64($0) }
        case .uint16: return map(raw, count: count, as: UInt16.self) { Int64($0) }
        case .uint8: return map(raw, count: count, as: UInt8.self) { Int64($0) }
        // Any non-zero byte is true, as in NumPy and PyTorch when they view bytes as bools.
        case .bool: return map(raw, count: count, as: UInt8.self) { $0 == 0 ? 0 : 1 }
        default: return nil
        }
    }
}
