// SHA-256 against the examples of FIPS 180-4's companion document (NIST, "SHA-256 examples")
// and lengths around the padding boundary (55, 56, 64 bytes: where the length field stops
// fitting in the last block), with digests from Python's hashlib. Incremental hashing in odd
// pieces must give the one-shot digest.
import Foundation
import XCTest
@testable import LecternHub

final class SHA256Tests: XCTestCase {
    func testTheStandardsExamples() {
        XCTAssertEqual(SHA256.hex(of: Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: Data("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        XCTAssertEqual(SHA256.hex(of: Data(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testLengthsAroundThePaddingBoundary() {
        let a = UInt8(ascii: "a")
        XCTAssertEqual(SHA256.hex(of: Data(repeating: a, count: 55)), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(SHA256.hex(of: Data(repeating: a, count: 56)), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(SHA256.hex(of: Data(repeating: a, count: 64)), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    func testPiecesGiveTheOneShotDigest() {
        let data = pseudoRandomBytes(10_000, seed: 42)
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 0, 127, 1000, 5] + Array(repeating: 500, count: 20) where offset < data.count {
            let end = min(data.count, offset + size)
            hasher.update(data.subdata(in: offset..<end))
            offset = end
        }
        hasher.update(data.subdata(in: offset..<data.count))
        XCTAssertEqual(SHA256.hexString(hasher.finalize()), SHA256.hex(of: data))
    }

    func testAFileHashesLikeItsBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let data = pseudoRandomBytes(70_000, seed: 3)
        try data.write(to: url)
        XCTAssertEqual(try SHA256.hex(ofFileAt: url), SHA256.hex(of: data))
    }
}
