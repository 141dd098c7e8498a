// Tests of the safetensors reader and writer against files written by the reference
// implementation (the Python `safetensors` package, with PyTorch for F16 and BF16).
//
// The fixtures are in Fixtures/safetensors/, written by Scripts/fixtures/safetensors_files.py
// (re-run it to regenerate them; see its header). expected.json records every tensor's values
// as float32 bit patterns or decimal integers, so comparisons are exact.
// The error tests build damaged files by hand, one defect each, and check that each gives its
// specific error with the right numbers.
import Foundation
import LecternCore
import XCTest

/// The JSON written by Scripts/fixtures/safetensors_files.py.
private struct SafetensorsFixtures: Decodable {
    struct TensorCase: Decodable {
        let dtype: String
        let shape: [Int]
        let floatBits: [UInt32]?
        let ints: [String]?
        // Explicit keys: convertFromSnakeCase would also rewrite the tensor names used as
        // dictionary keys ("token_ids").
        enum CodingKeys: String, CodingKey { case dtype, shape, floatBits = "float_bits", ints }
    }
    struct FileCase: Decodable {
        let file: String
        let metadata: [String: String]
        let tensors: [String: TensorCase]
    }
    let torchVersion: String
    let safetensorsVersion: String
    let files: [FileCase]
    let written: [FileCase]
    enum CodingKeys: String, CodingKey {
        case torchVersion = "torch_version", safetensorsVersion = "safetensors_version", files, written
    }

    static func url(_ name: String) throws -> URL {
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        return try XCTUnwrap(Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures/safetensors"),
                             "Fixtures/safetensors/\(name) is missing from the test bundle")
    }

    static func load() throws -> SafetensorsFixtures {
        try JSONDecoder().decode(SafetensorsFixtures.self, from: Data(contentsOf: url("expected.json")))
    }
}

/// Asserts that `actual` has exactly the bits of `expected`, except that any NaN matches any
/// NaN of the same sign (payloads may differ between conversions of a signaling NaN).
private func assertSameFloats(_ actual: [Float], bits expected: [UInt32], _ message: String,
                              file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message): lengths differ", file: file, line: line)
    for (index, (value, bits)) in zip(actual, expected).enumerated() {
        let wanted = Float(bitPattern: bits)
        if wanted.isNaN {
            XCTAssertTrue(value.isNaN && value.sign == wanted.sign, "\(message)[\(index)]: got \(value), expected \(wanted)", file: file, line: line)
        } else {
            XCTAssertEqual(value.bitPattern, bits, "\(message)[\(index)]: got \(value), expected \(wanted)", file: file, line: line)
        }
    }
}

/// Asserts that `body` throws a SafetensorsError for which `matches` holds, and returns it.
/// (`body` is untyped because closures do not infer typed throws; the API's `throws(SafetensorsError)`
/// is checked by the compiler in `testErrorsAreTyped`.)
@discardableResult
private func assertError(_ body: () throws -> Void, _ message: String = "",
                         file: StaticString = #filePath, line: UInt = #line,
                         _ matches: (SafetensorsError) -> Bool) -> SafetensorsError? {
    do {
        try body()
        XCTFail("\(message): no error thrown", file: file, line: line)
        return nil
    } catch let error as SafetensorsError {
        XCTAssertTrue(matches(error), "\(message): unexpected error \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("\(message): not a SafetensorsError: \(error)", file: file, line: line)
        return nil
    }
}

/// A safetensors file from a header given as text and a buffer of `bufferSize` bytes
/// (0, 1, 2, …), with the header length computed unless `declaredLength` overrides it.
private func handMade(_ header: String, bufferSize: Int = 0, declaredLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    var data = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: json)
    data.append(contentsOf: (0..<bufferSize).map { UInt8(truncatingIfNeeded: $0) })
    return data
}

private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-safetensors-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

final class SafetensorsTests: XCTestCase {
    // MARK: - Reading the reference's files

    func testFixturesLoad() throws {
        let fixtures = try SafetensorsFixtures.load()
        XCTAssertFalse(fixtures.torchVersion.isEmpty)
        XCTAssertFalse(fixtures.safetensorsVersion.isEmpty)
        XCTAssertEqual(fixtures.files.count, 4)
        XCTAssertEqual(fixtures.written.count, 2)
    }

    /// Every tensor of every file the reference wrote reads back with its exact values.
    func testReadsEveryReferenceFile() throws {
        let fixtures = try SafetensorsFixtures.load()
        for fileCase in fixtures.files + fixtures.written {
            let file = try SafetensorsFile.open(SafetensorsFixtures.url(fileCase.file))
            XCTAssertEqual(file.names, fileCase.tensors.keys.sorted(), fileCase.file)
            XCTAssertEqual(file.metadata, fileCase.metadata, fileCase.file)
            for (name, expected) in fileCase.tensors {
                let where_ = "\(fileCase.file): \(name)"
                let info = try XCTUnwrap(file.info(name), where_)
                XCTAssertEqual(info.dtype.rawValue, expected.dtype, where_)
                XCTAssertEqual(info.shape, expected.shape, where_)
                XCTAssertEqual(info.elementCount, expected.shape.reduce(1, *), where_)
                if let bits = expected.floatBits {
                    assertSameFloats(try file.floats(name), bits: bits, where_)
                } else {
                    let ints = try XCTUnwrap(expected.ints, where_).map { Int64($0)! }
                    XCTAssertEqual(try file.int64s(name), ints, where_)
                }
            }
        }
    }

    func testScalarAndZeroSizeTensors() throws {
        let file = try SafetensorsFile.open(SafetensorsFixtures.url("float32.safetensors"))
        XCTAssertEqual(file.info("scalar")?.shape, [])
        XCTAssertEqual(try file.floats("scalar"), [3.5])
        XCTAssertEqual(file.info("empty")?.shape, [0, 4])
        XCTAssertEqual(file.info("empty")?.dataOffsets.count, 0)
        XCTAssertEqual(try file.floats("empty"), [])
        let integers = try SafetensorsFile.open(SafetensorsFixtures.url("integers.safetensors"))
        XCTAssertEqual(try integers.int64s("no_ids"), [])
    }

    func testHalfAndBFloat16SpecialValues() throws {
        let half = try SafetensorsFile.open(SafetensorsFixtures.url("float16.safetensors")).floats("values")
        XCTAssertEqual(half[0].bitPattern, 0)                       // +0
        XCTAssertEqual(half[1].bitPattern, 0x8000_0000)             // -0 keeps its sign
        XCTAssertEqual(half[4], 65504)
        XCTAssertEqual(half[6], 0x1p-14)                            // smallest normal half
        XCTAssertEqual(half[7], 0x1p-24)                            // smallest subnormal half
        XCTAssertEqual(half[8], -0x1p-24)
        XCTAssertEqual(half[9], 1023 * 0x1p-24)                     // largest subnormal half
        XCTAssertEqual(half[11], .infinity)
        XCTAssertEqual(half[12], -.infinity)
        XCTAssertTrue(half[13].isNaN && half[15].isNaN)
        XCTAssertTrue(half[14].isNaN && half[14].sign == .minus)

        let brain = try SafetensorsFile.open(SafetensorsFixtures.url("bfloat16.safetensors")).floats("values")
        XCTAssertEqual(brain[1].bitPattern, 0x8000_0000)
        XCTAssertEqual(brain[3], -1.5)
        XCTAssertEqual(brain[6], Float.leastNormalMagnitude)
        XCTAssertEqual(brain[7], 0x1p-133)                          // a Float subnormal
        XCTAssertTrue(brain[7].isSubnormal)
        XCTAssertEqual(brain[10], .infinity)
        XCTAssertEqual(brain[15], 3.140625)
    }

    /// All 65 536 half-precision bit patterns against the definition, evaluated in Double
    /// (an independent formula), and against Swift's Float16 where the platform has it.
    func testFloat16ConversionIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(float16Bits: bits)
            let sign: Double = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int(bits >> 10) & 0x1F, fraction = Double(bits & 0x3FF)
            let hex = String(bits, radix: 16)
            switch exponent {
            case 0x1F where fraction == 0:
                XCTAssertEqual(value, Float(sign * .infinity), hex)
            case 0x1F:
                XCTAssertTrue(value.isNaN, hex)
                XCTAssertEqual(value.sign, sign < 0 ? .minus : .plus, hex)
                XCTAssertFalse(value.isSignalingNaN, "a converted NaN is quiet: \(hex)")
            case 0:
                XCTAssertEqual(value.bitPattern, Float(sign * fraction * 0x1p-24).bitPattern, hex)
            default:
                XCTAssertEqual(Double(value), sign * (1 + fraction / 1024) * pow(2, Double(exponent - 15)), hex)
            }
            #if !(os(macOS) && arch(x86_64))
            if !value.isNaN {
                XCTAssertEqual(value.bitPattern, Float(Float16(bitPattern: bits)).bitPattern, hex)
            }
            #endif
        }
    }

    func testBFloat16IsTheUpperHalfOfAFloat() {
        for bits: UInt16 in [0x0000, 0x8000, 0x3F80, 0x0001, 0x7F80, 0xFF80, 0x7FC1, 0x4049] {
            XCTAssertEqual(HalfPrecision.float(bfloat16Bits: bits).bitPattern, UInt32(bits) << 16)
        }
    }

    func testIntegersConvertToFloatOnlyOnRequest() throws {
        let file = try SafetensorsFile.open(SafetensorsFixtures.url("integers.safetensors"))
        let error = assertError({ _ = try file.floats("ids") }) {
            $0 == .dtypeMismatch(name: "ids", dtype: .int64, requested: "floats")
        }
        XCTAssertTrue(error?.description.contains("int64s(_:)") ?? false, "\(String(describing: error))")
        XCTAssertEqual(try file.floats("positions", convertingIntegers: true), [0, 1, -0x1p31, 0x1p31])   // 2³¹ − 1 rounds up to 2³¹
        XCTAssertEqual(try file.floats("flags", convertingIntegers: true), [1, 0, 0, 1])
        // 2⁵³ + 1 rounds to the nearest Float.
        XCTAssertEqual(try file.floats("ids", convertingIntegers: true)[3], 0x1p53)
        assertError({ _ = try SafetensorsFile.open(SafetensorsFixtures.url("float16.safetensors")).int64s("values") }) {
            $0 == .dtypeMismatch(name: "values", dtype: .float16, requested: "64-bit integers")
        }
    }

    /// A file of known dtype but one this library does not materialise still opens, lists and
    /// describes its tensors; only reading them fails.
    func testOtherDTypesOpenButDoNotMaterialise() throws {
        let data = handMade(#"{"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"q":{"dtype":"F4","shape":[4],"data_offsets":[16,18]}}"#,
                            bufferSize: 18)
        let file = try SafetensorsFile(data: data)
        XCTAssertEqual(file.names, ["d", "q"])
        XCTAssertEqual(file.info("d")?.dtype, .float64)
        XCTAssertEqual(file.info("q")?.dtype, .float4)
        assertError({ _ = try file.floats("d", convertingIntegers: true) }) {
            $0 == .dtypeMismatch(name: "d", dtype: .float64, requested: "floats")
        }
    }

    func testTolerantOfWhatTheReferenceAccepts() throws {
        // Leading and trailing spaces, entries out of buffer order, unknown fields, null metadata.
        let data = handMade(#"  {"__metadata__":null,"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8],"extra":[1]},"#
                            + #""a":{"shape":[1],"data_offsets":[0,4],"dtype":"F32"}}   "#, bufferSize: 8)
        let file = try SafetensorsFile(data: data)
        XCTAssertEqual(file.names, ["a", "b"])
        XCTAssertEqual(file.metadata, [:])
        XCTAssertEqual(try file.floats("a").map(\.bitPattern), [0x0302_0100])
        XCTAssertFalse(file.isMemoryMapped)
    }

    /// Opening maps the file: a 512 MB checkpoint (sparse on disk) opens and gives one small
    /// tensor without the big one ever being read.
    func testOpenMapsTheFileAndMaterialisesOnlyWhatIsAsked() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("big.safetensors")
        let bigCount = 128 * 1024 * 1024   // 512 MB of F32
        let header = #"{"big":{"dtype":"F32","shape":[\#(bigCount)],"data_offsets":[16,\#(16 + 4 * bigCount)]},"#
            + #""small":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#
        var data = handMade(header)
        for value: Float in [1, 2, 3, 4] { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        try data.write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(data.count + 4 * bigCount))   // a hole: zeros, no disk blocks
        try handle.close()

        let file = try SafetensorsFile.open(url)
        XCTAssertTrue(file.isMemoryMapped)
        XCTAssertEqual(file.info("big")?.elementCount, bigCount)
        XCTAssertEqual(try file.floats("small"), [1, 2, 3, 4])
    }

    // MARK: - Writing

    /// Our writer produces the same bytes as `safetensors.numpy.save_file` and
    /// `safetensors.torch.save_file` for the same tensors and metadata.
    func testWritesTheSameBytesAsTheReference() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for fileCase in try SafetensorsFixtures.load().written {
            var tensors: [String: Safetensors.TensorData] = [:]
            for (name, tensor) in fileCase.tensors {
                if let bits = tensor.floatBits {
                    tensors[name] = .float32(shape: tensor.shape, bits.map(Float.init(bitPattern:)))
                } else {
                    tensors[name] = .int64(shape: tensor.shape, try XCTUnwrap(tensor.ints).map { Int64($0)! })
                }
            }
            let reference = try Data(contentsOf: SafetensorsFixtures.url(fileCase.file))
            let bytes = try Safetensors.serialize(tensors, metadata: fileCase.metadata)
            XCTAssertEqual(bytes, reference, "\(fileCase.file): serialize differs from the reference\n"
                           + "ours:      \(String(decoding: bytes.prefix(400), as: UTF8.self))\n"
                           + "reference: \(String(decoding: reference.prefix(400), as: UTF8.self))")
            let url = folder.appendingPathComponent(fileCase.file)
            try Safetensors.write(tensors, metadata: fileCase.metadata, to: url)
            XCTAssertEqual(try Data(contentsOf: url), reference, "\(fileCase.file): the written file differs from the reference")
        }
    }

    func testHeaderIsPaddedToEightBytesAndTensorsAreOrderedLikeTheReference() throws {
        let bytes = try Safetensors.serialize(["b": .float32(shape: [1], [1]), "a": .float32(shape: [1], [2]),
                                               "ids": .int64(shape: [1], [3])])
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        XCTAssertEqual(headerLength % 8, 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix(#"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"a":"#), header)
        XCTAssertTrue(header.hasSuffix("}") || header.hasSuffix(" "), header)
        XCTAssertEqual(bytes.count, 8 + headerLength + 16)
        XCTAssertEqual(try Safetensors.serialize(["x": .float32(shape: [1], [1])]).count, 68)   // the doc comment's example
        // Empty file: the reference's `{}` padded to 8 bytes.
        XCTAssertEqual(Array(try Safetensors.serialize([:])), [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
    }

    func testRoundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SeededGenerator(seed: 11)
        let weights = (0..<60).map { _ in rng.nextNormal(mean: 0, std: 1) }
        let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let metadata = ["format": "pt", "step": "1200", "quote\"s": "line\nbreak, tab\t, é, ✓, \u{1F600}, \u{01}"]
        let url = folder.appendingPathComponent("round.safetensors")
        try Safetensors.write(["h.0.w": .float32(shape: [3, 4, 5], weights), "specials": .float32(shape: [7], specials),
                               "scalar": .float32(shape: [], [42]), "none": .float32(shape: [0], []),
                               "ids": .int64(shape: [2, 2], [.min, -1, 0, .max]), "ünï": .float32(shape: [1], [7])],
                              metadata: metadata, to: url)
        let file = try SafetensorsFile.open(url)
        XCTAssertEqual(file.names, ["h.0.w", "ids", "none", "scalar", "specials", "ünï"])
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(file.info("h.0.w")?.shape, [3, 4, 5])
        XCTAssertEqual(try file.floats("h.0.w"), weights)
        XCTAssertEqual(try file.floats("specials").map(\.bitPattern), specials.map(\.bitPattern))
        XCTAssertEqual(try file.floats("scalar"), [42])
        XCTAssertEqual(try file.floats("none"), [])
        XCTAssertEqual(try file.int64s("ids"), [.min, -1, 0, .max])
        XCTAssertEqual(try file.floats("ünï"), [7])
        // Every tensor starts 8-byte aligned in the file (header padding + I64 first).
        for name in file.names {
            XCTAssertEqual(try XCTUnwrap(file.info(name)).dataOffsets.lowerBound % 4, 0, name)
        }
    }

    func testTupleConvenienceAndAtomicReplace() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try Safetensors.write(["w": (shape: [2], floats: [1, 2])], to: url)
        try Safetensors.write(["w": (shape: [2], floats: [3, 4])], metadata: ["v": "2"], to: url)
        let file = try SafetensorsFile.open(url)
        XCTAssertEqual(try file.floats("w"), [3, 4])
        XCTAssertEqual(file.metadata, ["v": "2"])
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["model.safetensors"])
    }

    func testWriteRejectsInconsistentTensors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString).safetensors")
        assertError({ try Safetensors.write(["w": (shape: [2, 3], floats: [1, 2])], to: url) }) {
            guard case .invalidTensor(name: "w", let problem) = $0 else { return false }
            return problem.contains("6 elements") && problem.contains("2 values")
        }
        assertError({ _ = try Safetensors.serialize(["w": .float32(shape: [-1], [])]) }) {
            guard case .invalidTensor(name: "w", let problem) = $0 else { return false }
            return problem.contains("negative")
        }
        assertError({ _ = try Safetensors.serialize(["__metadata__": .int64(shape: [], [1])]) }) {
            guard case .invalidTensor(name: "__metadata__", _) = $0 else { return false }
            return true
        }
        assertError({ _ = try Safetensors.serialize(["w": .float32(shape: [Int.max, 4], [])]) }) {
            guard case .invalidTensor(name: "w", let problem) = $0 else { return false }
            return problem.contains("more elements than an Int can count")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        let nowhere = URL(fileURLWithPath: "/nonexistent-lectern-folder/model.safetensors")
        assertError({ try Safetensors.write(["w": (shape: [1], floats: [1])], to: nowhere) }) {
            guard case .cannotWrite(path: nowhere.path, _) = $0 else { return false }
            return true
        }
    }

    // MARK: - Errors: one test per error, each on a file with exactly one defect

    private let valid = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    /// The compiler knows every reader and writer throws SafetensorsError, so callers can
    /// switch over the cases without casting.
    func testErrorsAreTyped() {
        do {
            _ = try SafetensorsFile(data: Data([1]))
            XCTFail("no error thrown")
        } catch {
            let typed: SafetensorsError = error
            XCTAssertEqual(typed, .fileTooShort(byteCount: 1))
        }
    }

    func testValidBaseline() throws {
        XCTAssertEqual(try SafetensorsFile(data: handMade(valid, bufferSize: 8)).names, ["a"])
    }

    func testFileTooShort() {
        assertError({ _ = try SafetensorsFile(data: Data([1, 0, 0])) }) { $0 == .fileTooShort(byteCount: 3) }
        assertError({ _ = try SafetensorsFile(data: Data()) }) { $0 == .fileTooShort(byteCount: 0) }
    }

    func testHeaderLengthAbsurd() {
        // The first 8 bytes of something that is not a safetensors file, e.g. a PyTorch zip.
        let zip = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]) + Data(repeating: 0, count: 100)
        assertError({ _ = try SafetensorsFile(data: zip) }) {
            guard case .headerTooLarge(let declared, 100_000_000) = $0 else { return false }
            return declared == 0x14_0403_4B50
        }
    }

    func testHeaderTruncated() {
        let data = handMade(valid, bufferSize: 8).prefix(30)
        assertError({ _ = try SafetensorsFile(data: data) }) { $0 == .headerTruncated(declared: 54, available: 22) }
    }

    func testHeaderNotUTF8() {
        var data = handMade(#"{"a\#u{FF}":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, bufferSize: 8)
        let position = data.firstIndex(of: 0xC3)!   // "ÿ" is C3 BF in UTF-8; make it a lone FF
        data[position] = 0xFF
        data[position + 1] = 0x20
        assertError({ _ = try SafetensorsFile(data: data) }) { $0 == .headerNotUTF8 }
    }

    func testInvalidJSON() {
        let cases: [(String, Int, String)] = [
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, 53, "expected ',' or '}' in an object, found end of header"),   // missing }
            (#"{"a":{"dtype":"F32","shape":[2,],"data_offsets":[0,8]}}"#, 31, "expected a value"),   // trailing comma
            (#"{"a":{"dtype":F32,"shape":[2],"data_offsets":[0,8]}}"#, 14, "expected a value"),
            (#"{"a":{"dtype":"F32","shape":[02],"data_offsets":[0,8]}}"#, 30, "leading zero"),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}\u{0}", 54, "unexpected byte 0x00 after the end of the JSON value"),   // NUL padding
            ("{\"a\u{9}\":{}}", 3, "control character"),
            (#"{"a\q":{}}"#, 4, "invalid escape: a backslash followed by character 'q'"),
            (#"{"\ud800":{}}"#, 8, "unpaired surrogate"),
            ("", 0, "found end of header"),
            (String(repeating: "[", count: 200), 128, "nesting deeper than 128"),
        ]
        for (header, offset, problem) in cases {
            assertError({ _ = try SafetensorsFile(data: handMade(header, bufferSize: 8)) }, header) {
                guard case .invalidJSON(let message, offset) = $0 else { return false }
                return message.contains(problem)
            }
        }
    }

    func testHeaderNotAnObject() {
        assertError({ _ = try SafetensorsFile(data: handMade("[1, 2]")) }) { $0 == .headerNotObject(found: "an array") }
        assertError({ _ = try SafetensorsFile(data: handMade(#""F32""#)) }) { $0 == .headerNotObject(found: #"the string "F32""#) }
    }

    func testInvalidEntries() {
        let cases: [(String, String, String)] = [
            (#"{"a":{"dtype":"F32","shape":[2]}}"#, "a", #"missing field "data_offsets""#),
            (#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "a", "the number -2"),
            (#"{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, "a", "the number 2.0"),
            (#"{"a":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}"#, "a", "must be an array"),
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}"#, "a", "3 numbers"),
            (#"{"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}"#, "a", #""dtype" must be a string"#),
            (#"{"a":[1]}"#, "a", "but it is an array"),
            (#"{"__metadata__":{"step":1000},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "__metadata__", #""step" is the number 1000"#),
            (#"{"__metadata__":[],"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "__metadata__", "must be an object"),
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "a", "appears twice"),
        ]
        for (header, entry, problem) in cases {
            assertError({ _ = try SafetensorsFile(data: handMade(header, bufferSize: 8)) }, header) {
                guard case .invalidEntry(entry, let message) = $0 else { return false }
                return message.contains(problem)
            }
        }
    }

    func testUnknownDType() {
        let header = #"{"a":{"dtype":"F17","shape":[2],"data_offsets":[0,8]}}"#
        let error = assertError({ _ = try SafetensorsFile(data: handMade(header, bufferSize: 8)) }) {
            $0 == .unknownDType(name: "a", dtype: "F17")
        }
        XCTAssertTrue(error?.description.contains("BF16") ?? false)
        // dtypes are case-sensitive, as in the reference.
        assertError({ _ = try SafetensorsFile(data: handMade(header.replacingOccurrences(of: "F17", with: "f32"), bufferSize: 8)) }) {
            $0 == .unknownDType(name: "a", dtype: "f32")
        }
    }

    func testShapeTimesDTypeMustMatchTheOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        let error = assertError({ _ = try SafetensorsFile(data: handMade(header, bufferSize: 8)) }) {
            $0 == .sizeMismatch(name: "a", dtype: .float32, shape: [3], expectedBytes: 12, actualBytes: 8)
        }
        XCTAssertTrue(error?.description.contains("needs 12 bytes") ?? false)
        let huge = #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#
        assertError({ _ = try SafetensorsFile(data: handMade(huge, bufferSize: 8)) }) {
            $0 == .sizeMismatch(name: "a", dtype: .float32, shape: [4_611_686_018_427_387_904, 4], expectedBytes: -1, actualBytes: 8)
        }
        // Three 4-bit floats are a byte and a half.
        let packed = #"{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#
        assertError({ _ = try SafetensorsFile(data: handMade(packed, bufferSize: 2)) }) {
            $0 == .invalidEntry(name: "a", problem: "shape [3] of F4 is 12 bits, not a whole number of bytes")
        }
    }

    func testOffsetErrors() {
        assertError({ _ = try SafetensorsFile(data: handMade(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, bufferSize: 8)) }) {
            $0 == .reversedOffsets(name: "a", begin: 8, end: 0)
        }
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        assertError({ _ = try SafetensorsFile(data: handMade(overlap, bufferSize: 8)) }) {
            $0 == .overlappingTensors(name: "b", other: "a")
        }
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let error = assertError({ _ = try SafetensorsFile(data: handMade(gap, bufferSize: 12)) }) {
            $0 == .uncoveredBytes(range: 4..<8, bufferSize: 12)
        }
        XCTAssertTrue(error?.description.contains("a gap between tensors") ?? false)
        assertError({ _ = try SafetensorsFile(data: handMade(valid, bufferSize: 11)) }) {
            $0 == .uncoveredBytes(range: 8..<11, bufferSize: 11)
        }
    }

    /// A download cut short: the header is whole, the data is not.
    func testTruncatedBuffer() throws {
        let full = try Data(contentsOf: SafetensorsFixtures.url("float32.safetensors"))
        let file = try SafetensorsFile(data: full)
        let needed = file.names.compactMap { file.info($0)?.dataOffsets.upperBound }.max()!
        let error = assertError({ _ = try SafetensorsFile(data: full.prefix(full.count - 10)) }) {
            $0 == .truncatedBuffer(expected: needed, present: needed - 10)
        }
        XCTAssertTrue(error?.description.contains("10 missing") ?? false)
        // Also when the missing part includes whole tensors.
        assertError({ _ = try SafetensorsFile(data: handMade(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, bufferSize: 3)) }) {
            $0 == .truncatedBuffer(expected: 8, present: 3)
        }
    }

    func testTensorNotFoundSuggestsCloseNames() throws {
        let data = try Safetensors.serialize(["transformer.h.0.attn.weight": .float32(shape: [1], [1]),
                                              "transformer.h.1.attn.weight": .float32(shape: [1], [1]),
                                              "wte.weight": .float32(shape: [1], [1])])
        let file = try SafetensorsFile(data: data)
        assertError({ _ = try file.floats("h.0.attn.weight") }) {
            $0 == .tensorNotFound(name: "h.0.attn.weight", suggestions: ["transformer.h.0.attn.weight"])
        }
        let error = assertError({ _ = try file.int64s("wte.weigth") }) {
            $0 == .tensorNotFound(name: "wte.weigth", suggestions: ["wte.weight"])
        }
        XCTAssertEqual(error?.description, #"no tensor named "wte.weigth" in the file; did you mean "wte.weight"?"#)
        assertError({ _ = try file.floats("lm_head.bias") }) { $0 == .tensorNotFound(name: "lm_head.bias", suggestions: []) }
        XCTAssertNil(file.info("nothing"))
    }

    func testCheckNamesReportsMissingAndUnexpectedTogether() throws {
        let data = try Safetensors.serialize(["model.wte.weight": .float32(shape: [1], [1]),
                                              "lm_head.weight": .float32(shape: [1], [1]),
                                              "extra": .float32(shape: [1], [1])])
        let file = try SafetensorsFile(data: data)
        XCTAssertNoThrow(try file.checkNames(expected: ["model.wte.weight", "lm_head.weight", "extra"]))
        let error = assertError({ try file.checkNames(expected: ["wte.weight", "lm_head.weight", "ln_f.bias"]) }) {
            $0 == .namesMismatch(missing: ["ln_f.bias", "wte.weight"], unexpected: ["extra", "model.wte.weight"])
        }
        let text = error?.description ?? ""
        XCTAssertTrue(text.contains("missing (2)") && text.contains("unexpected (2)"), text)
        XCTAssertTrue(text.contains("wte.weight  (the file has model.wte.weight)"), text)
    }

    func testCannotRead() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-lectern-folder/model.safetensors")
        assertError({ _ = try SafetensorsFile.open(missing) }) {
            guard case .cannotRead(path: missing.path, let reason) = $0 else { return false }
            return reason.contains("No such file")
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        assertError({ _ = try SafetensorsFile.open(folder) }) {
            $0 == .cannotRead(path: folder.path, reason: "it is a folder, not a file")
        }
        let empty = folder.appendingPathComponent("empty.safetensors")
        try Data().write(to: empty)
        assertError({ _ = try SafetensorsFile.open(empty) }) { $0 == .fileTooShort(byteCount: 0) }
    }

    func testEveryErrorHasAReadableDescription() {
        let errors: [SafetensorsError] = [
            .cannotRead(path: "/m", reason: "denied"), .cannotWrite(path: "/m", reason: "full"),
            .fileTooShort(byteCount: 1), .headerTooLarge(declared: 1 << 40, limit: 100_000_000),
            .headerTruncated(declared: 100, available: 10), .headerNotUTF8,
            .invalidJSON(problem: "unterminated string", byteOffset: 3), .headerNotObject(found: "null"),
            .invalidEntry(name: "a", problem: "missing field \"dtype\""), .unknownDType(name: "a", dtype: "X"),
            .sizeMismatch(name: "a", dtype: .bfloat16, shape: [2], expectedBytes: 4, actualBytes: 2),
            .reversedOffsets(name: "a", begin: 2, end: 1), .overlappingTensors(name: "a", other: "b"),
            .uncoveredBytes(range: 0..<1, bufferSize: 9), .truncatedBuffer(expected: 9, present: 1),
            .tensorNotFound(name: "a", suggestions: ["b"]), .dtypeMismatch(name: "a", dtype: .uint64, requested: "floats"),
            .namesMismatch(missing: (0..<12).map { "m\($0)" }, unexpected: ["u"]), .invalidTensor(name: "a", problem: "bad"),
        ]
        for error in errors {
            XCTAssertGreaterThan(error.description.count, 20, "\(error)")
        }
        XCTAssertTrue(SafetensorsError.fileTooShort(byteCount: 1).description.contains("1 byte,"))
        XCTAssertTrue(errors[17].description.contains("… and 2 more"))
    }

    // MARK: - Tensor

    func testTensorConveniences() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("tensors.safetensors")
        let weight = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        try Safetensors.write(["w": weight, "s": Tensor(0.5)], metadata: ["format": "pt"], to: url)
        let file = try SafetensorsFile.open(url)
        XCTAssertEqual(file.info("w")?.dtype, .float32)
        let w = try file.tensor("w")
        XCTAssertEqual(w.shape, [2, 3])
        XCTAssertEqual(w.scalars, weight.scalars)
        XCTAssertEqual(try file.tensor("s").shape, [])
        let brain = try SafetensorsFile.open(SafetensorsFixtures.url("bfloat16.safetensors")).tensor("matrix")
        XCTAssertEqual(brain.shape, [3, 2])
        let ids = try SafetensorsFile.open(SafetensorsFixtures.url("integers.safetensors"))
        assertError({ _ = try ids.tensor("positions") }) {
            $0 == .dtypeMismatch(name: "positions", dtype: .int32, requested: "floats")
        }
        XCTAssertEqual(try ids.tensor("positions", convertingIntegers: true).scalars[1], 1)
    }
}
