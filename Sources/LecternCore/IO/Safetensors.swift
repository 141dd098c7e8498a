// The safetensors file format (Hugging Face), and writing it.
//
// Reference: https://github.com/huggingface/safetensors — the README's "Format" section and
// safetensors/src/tensor.rs (`prepare`, `serialize`), which the Python package
// (`safetensors.torch.save_file`, `safetensors.numpy.save_file`) calls. A file is
//
//     8 bytes      N, the header length, an unsigned 64-bit little-endian integer
//     N bytes      the header: UTF-8 JSON, {"__metadata__": {str: str}?, name: {"dtype": "F32",
//                  "shape": [2, 3], "data_offsets": [begin, end]}, ...}, padded with spaces
//     the rest     the byte buffer: each tensor's elements, little-endian, row-major, at
//                  [begin, end) counted from the start of the buffer
//
// The writer reproduces the reference byte for byte (the tests compare against files written
// by the Python package): tensors are laid out by decreasing alignment (I64 before F32), then
// by name in UTF-8 byte order; the header is compact JSON listing "__metadata__" first, then
// the tensors in buffer order; spaces pad it to a multiple of 8 bytes so that every tensor
// starts 8-byte aligned in a memory-mapped file. One difference: the reference writes the
// metadata keys in hash-map order, which changes from run to run; we sort them, so our files
// are reproducible (and identical to the reference's whenever it has at most one key).
//
// Reading is in SafetensorsFile.swift; the JSON header in SafetensorsHeader.swift.

import Foundation

/// The safetensors format: its dtypes, and writing tensors to a file. Read files with
/// ``SafetensorsFile``.
///
///     try Safetensors.write(["w": (shape: [2, 2], floats: [1, 2, 3, 4])], metadata: ["format": "pt"], to: url)
///     let file = try SafetensorsFile.open(url)
///     try file.floats("w")   // [1, 2, 3, 4]
public enum Safetensors {
    /// The largest header the format allows (100 MB, the reference's `MAX_HEADER_SIZE`). A
    /// larger declared length means the file is not a safetensors file, and refusing it
    /// protects against a hostile file making us parse gigabytes of JSON.
    ///
    ///     Safetensors.headerSizeLimit   // 100_000_000
    public static let headerSizeLimit = 100_000_000

    /// The element types the format defines, spelled as in the header ("F32", "BF16"…).
    ///
    ///     Safetensors.DType(rawValue: "BF16")   // .bfloat16
    ///     Safetensors.DType.int64.bitWidth      // 64
    ///
    /// ``SafetensorsFile`` opens files holding any of them (to list names, shapes and
    /// metadata), and materialises F32, F16, BF16, BOOL and the integer types except U64.
    public enum DType: String, CaseIterable, Sendable {
        /// One byte per element, 0 (false) or 1 (true).
        case bool = "BOOL"
        /// 4-bit float (E2M1), two per byte.
        case float4 = "F4"
        /// 6-bit float with 2 exponent bits.
        case float6E2M3 = "F6_E2M3"
        /// 6-bit float with 3 exponent bits.
        case float6E3M2 = "F6_E3M2"
        /// Unsigned 8-bit integer.
        case uint8 = "U8"
        /// Signed 8-bit integer.
        case int8 = "I8"
        /// 8-bit float with 5 exponent bits.
        case float8E5M2 = "F8_E5M2"
        /// 8-bit float with 4 exponent bits.
        case float8E4M3 = "F8_E4M3"
        /// 8-bit exponent-only scale (microscaling formats).
        case float8E8M0 = "F8_E8M0"
        /// 8-bit float with 4 exponent bits, no negative zero or infinities.
        case float8E4M3FNUZ = "F8_E4M3FNUZ"
        /// 8-bit float with 5 exponent bits, no negative zero or infinities.
        case float8E5M2FNUZ = "F8_E5M2FNUZ"
        /// Signed 16-bit integer.
        case int16 = "I16"
        /// Unsigned 16-bit integer.
        case uint16 = "U16"
        /// IEEE 754 half precision.
        case float16 = "F16"
        /// bfloat16: the upper 16 bits of a Float.
        case bfloat16 = "BF16"
        /// Signed 32-bit integer.
        case int32 = "I32"
        /// Unsigned 32-bit integer.
        case uint32 = "U32"
        /// IEEE 754 single precision: Swift's `Float`.
        case float32 = "F32"
        /// Complex number of two F32 (real, imaginary).
        case complex64 = "C64"
        /// IEEE 754 double precision.
        case float64 = "F64"
        /// Signed 64-bit integer: token ids, position ids.
        case int64 = "I64"
        /// Unsigned 64-bit integer.
        case uint64 = "U64"

        /// Bits per element. Most dtypes are whole bytes; F4 and the F6 types pack elements,
        /// so a tensor of them must hold a whole number of bytes.
        ///
        ///     Safetensors.DType.float16.bitWidth   // 16
        ///     Safetensors.DType.float4.bitWidth    // 4
        public var bitWidth: Int {
            switch self {
            case .float4: return 4
            case .float6E2M3, .float6E3M2: return 6
            case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0, .float8E4M3FNUZ, .float8E5M2FNUZ: return 8
            case .int16, .uint16, .float16, .bfloat16: return 16
            case .int32, .uint32, .float32: return 32
            case .complex64, .float64, .int64, .uint64: return 64
            }
        }
    }

    /// What the header says about one tensor.
    ///
    ///     let info = file.info("wte.weight")!
    ///     info.dtype          // .float32
    ///     info.shape          // [50257, 768]
    ///     info.elementCount   // 38597376
    public struct TensorInfo: Equatable, Sendable {
        /// The element type.
        public var dtype: DType
        /// The dimensions, outermost first; `[]` for a scalar (one element).
        public var shape: [Int]
        /// Where the elements are, in bytes from the start of the byte buffer (which begins
        /// right after the header).
        public var dataOffsets: Range<Int>

        /// Describes a tensor; offsets are counted from the start of the byte buffer.
        ///
        ///     Safetensors.TensorInfo(dtype: .float32, shape: [2, 3], dataOffsets: 0..<24)
        public init(dtype: DType, shape: [Int], dataOffsets: Range<Int>) {
            self.dtype = dtype
            self.shape = shape
            self.dataOffsets = dataOffsets
        }

        /// The number of elements: the product of the shape (1 for a scalar, 0 if any
        /// dimension is 0).
        ///
        ///     Safetensors.TensorInfo(dtype: .float32, shape: [], dataOffsets: 0..<4).elementCount   // 1
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The contents of one tensor to write: a shape and its values in row-major order.
    ///
    ///     let tensors: [String: Safetensors.TensorData] = [
    ///         "wte.weight": .float32(shape: [4, 2], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
    ///         "token_ids": .int64(shape: [3], [50256, 15496, 11]),
    ///     ]
    ///     try Safetensors.write(tensors, to: url)
    public enum TensorData: Sendable {
        /// F32 values.
        case float32(shape: [Int], [Float])
        /// I64 values, e.g. token ids.
        case int64(shape: [Int], [Int64])

        /// The dtype written to the header.
        ///
        ///     Safetensors.TensorData.int64(shape: [1], [7]).dtype   // .int64
        public var dtype: DType {
            switch self {
            case .float32: return .float32
            case .int64: return .int64
            }
        }

        /// The shape written to the header.
        ///
        ///     Safetensors.TensorData.float32(shape: [2], [1, 2]).shape   // [2]
        public var shape: [Int] {
            switch self {
            case .float32(let shape, _), .int64(let shape, _): return shape
            }
        }

        var valueCount: Int {
            switch self {
            case .float32(_, let values): return values.count
            case .int64(_, let values): return values.count
            }
        }

        /// Calls `body` with the values as little-endian bytes; returns what `body` returns.
        func withLittleEndianBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            switch self {
            case .float32(_, let values):
                #if _endian(little)
                return values.withUnsafeBytes(body)   // already little-endian: no copy
                #else
                return values.map { $0.bitPattern.littleEndian }.withUnsafeBytes(body)
                #endif
            case .int64(_, let values):
                #if _endian(little)
                return values.withUnsafeBytes(body)
                #else
                return values.map { $0.littleEndian }.withUnsafeBytes(body)
                #endif
            }
        }
    }

    /// Writes F32 tensors (each a shape and its row-major values) and optional string
    /// metadata to `url`, atomically: the file is written under a temporary name in the same
    /// folder, flushed to disk, then renamed over `url`, so a crash never leaves half a
    /// checkpoint behind.
    ///
    ///     try Safetensors.write(
    ///         ["layer.weight": (shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]),
    ///          "layer.bias": (shape: [3], floats: [0, 0, 0])],
    ///         metadata: ["step": "1000"],
    ///         to: URL(fileURLWithPath: "checkpoint.safetensors"))
    ///
    /// The folder must exist (it is not created, so a mistyped path fails instead of
    /// scattering folders).
    ///
    /// - Throws: ``SafetensorsError/invalidTensor(name:problem:)`` if a shape does not match
    ///   its number of values; ``SafetensorsError/cannotWrite(path:reason:)`` if the file
    ///   cannot be written (the previous file, if any, is then unchanged).
    public static func write(_ tensors: [String: (shape: [Int], floats: [Float])], metadata: [String: String] = [:],
                             to url: URL) throws(SafetensorsError) {
        try write(tensors.mapValues { TensorData.float32(shape: $0.shape, $0.floats) }, metadata: metadata, to: url)
    }

    /// Writes F32 and I64 tensors and optional string metadata to `url`, atomically (a
    /// temporary file renamed over `url` once complete). The bytes are those the Python package
    /// `safetensors` writes for the same tensors and metadata.
    ///
    ///     try Safetensors.write(["logits": .float32(shape: [2], [0.5, -1]),
    ///                            "ids": .int64(shape: [2], [464, 3290])],
    ///                           metadata: ["format": "pt"], to: url)
    ///
    /// - Throws: ``SafetensorsError/invalidTensor(name:problem:)`` or
    ///   ``SafetensorsError/cannotWrite(path:reason:)``.
    public static func write(_ tensors: [String: TensorData], metadata: [String: String] = [:],
                             to url: URL) throws(SafetensorsError) {
        let layout = try Layout(tensors, metadata: metadata)
        try AtomicOutput.write(to: url) { (output: inout AtomicOutput) -> String? in
            if let failure = output.append(layout.prefix) { return failure }
            for (_, tensor) in layout.order {
                if let failure = tensor.withLittleEndianBytes({ output.append($0) }) { return failure }
            }
            return nil
        }
    }

    /// The bytes of a safetensors file holding `tensors` and `metadata`, in memory: what
    /// `write(_:metadata:to:)` puts in the file.
    ///
    ///     let bytes = try Safetensors.serialize(["x": .float32(shape: [1], [1])])
    ///     bytes.count   // 68: 8 + a 56-byte header (54 + 2 spaces of padding) + 4
    ///     let file = try SafetensorsFile(data: bytes)
    public static func serialize(_ tensors: [String: TensorData], metadata: [String: String] = [:]) throws(SafetensorsError) -> Data {
        let layout = try Layout(tensors, metadata: metadata)
        var data = Data(layout.prefix)
        data.reserveCapacity(layout.prefix.count + layout.bufferSize)
        for (_, tensor) in layout.order {
            tensor.withLittleEndianBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The number of bits a tensor of `dtype` and `shape` occupies, or nil if that overflows
    /// an Int. (Bits, not bytes: the packed F4 and F6 dtypes need not fill whole bytes.)
    static func bitCount(of dtype: DType, shape: [Int]) -> Int? {
        var bits = dtype.bitWidth
        for dimension in shape {
            let (product, overflow) = bits.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            bits = product
        }
        return bits
    }

    /// The order of the tensors in the buffer, and the 8-byte length plus header before them.
    private struct Layout {
        var order: [(name: String, tensor: TensorData)]
        var prefix: [UInt8]
        var bufferSize = 0

        init(_ tensors: [String: TensorData], metadata: [String: String]) throws(SafetensorsError) {
            for (name, tensor) in tensors {
                try Self.check(name, tensor)
            }
            // The reference's order, for the two dtypes we write: I64 before F32 (it puts larger
            // alignments first, so each tensor is aligned to its element size whenever the
            // buffer is), then names in UTF-8 byte order.
            order = tensors.map { (name: $0.key, tensor: $0.value) }.sorted {
                let (a, b) = ($0.tensor.dtype.bitWidth, $1.tensor.dtype.bitWidth)
                return a != b ? a > b : utf8Precedes($0.name, $1.name)
            }
            var header: [UInt8] = [UInt8(ascii: "{")]
            var first = true
            func separate() {
                if !first { header.append(UInt8(ascii: ",")) }
                first = false
            }
            if !metadata.isEmpty {
                separate()
                JSONWriter.appendString(SafetensorsHeader.metadataKey, to: &header)
                header += Array(":{".utf8)
                for (index, key) in metadata.keys.sorted(by: utf8Precedes).enumerated() {
                    if index > 0 { header.append(UInt8(ascii: ",")) }
                    JSONWriter.appendString(key, to: &header)
                    header.append(UInt8(ascii: ":"))
                    JSONWriter.appendString(metadata[key] ?? "", to: &header)
                }
                header.append(UInt8(ascii: "}"))
            }
            for (name, tensor) in order {
                let size = tensor.valueCount * tensor.dtype.bitWidth / 8
                separate()
                JSONWriter.appendString(name, to: &header)
                header += Array(":{\"dtype\":".utf8)
                JSONWriter.appendString(tensor.dtype.rawValue, to: &header)
                header += Array(",\"shape\":".utf8)
                JSONWriter.appendIntegers(tensor.shape, to: &header)
                header += Array(",\"data_offsets\":".utf8)
                JSONWriter.appendIntegers([bufferSize, bufferSize + size], to: &header)
                header.append(UInt8(ascii: "}"))
                bufferSize += size
            }
            header.append(UInt8(ascii: "}"))
            // Pad with spaces (valid JSON whitespace) so that the buffer starts at a multiple
            // of 8 bytes from the start of the file, as the reference does.
            header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
            guard header.count <= Safetensors.headerSizeLimit else {
                throw .invalidTensor(name: order.first?.name ?? "", problem: "the header would be \(header.count) bytes, above the format's limit of \(Safetensors.headerSizeLimit); save fewer tensors per file")
            }
            prefix = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
        }

        private static func check(_ name: String, _ tensor: TensorData) throws(SafetensorsError) {
            guard name != SafetensorsHeader.metadataKey else {
                throw .invalidTensor(name: name, problem: "\"\(name)\" is reserved for the file's metadata")
            }
            if let negative = tensor.shape.first(where: { $0 < 0 }) {
                throw .invalidTensor(name: name, problem: "shape \(tensor.shape) has a negative dimension (\(negative))")
            }
            let (expected, overflow) = tensor.shape.reduce((1, false)) { partial, dimension in
                let (product, overflow) = partial.0.multipliedReportingOverflow(by: dimension)
                return (product, partial.1 || overflow)
            }
            guard !overflow, expected == tensor.valueCount else {
                let count = overflow ? "more elements than an Int can count" : "\(expected) element\(expected == 1 ? "" : "s")"
                throw .invalidTensor(name: name, problem: "shape \(tensor.shape) has \(count), but \(tensor.valueCount) value\(tensor.valueCount == 1 ? " was" : "s were") given")
            }
        }
    }
}
