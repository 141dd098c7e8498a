// GPT-2's byte ↔ character table (ByteAlphabet.swift) against openai/gpt-2's bytes_to_unicode.
import XCTest
@testable import LecternTokenizers

final class ByteAlphabetTests: XCTestCase {
    func testTableHas256DistinctPrintableCharacters() {
        let scalars = ByteAlphabet.scalars
        XCTAssertEqual(scalars.count, 256)
        XCTAssertEqual(Set(scalars).count, 256, "not a bijection")
        for (byte, scalar) in scalars.enumerated() {
            XCTAssertFalse(scalar.properties.isWhitespace, "byte \(byte) is whitespace")
            XCTAssertNotEqual(scalar.properties.generalCategory, .control, "byte \(byte) is a control character")
            XCTAssertNotEqual(scalar.properties.generalCategory, .format, "byte \(byte) is invisible")
            XCTAssertEqual(ByteAlphabet.byte(for: scalar), UInt8(byte))
        }
    }

    func testKnownEntries() {
        XCTAssertEqual(ByteAlphabet.scalar(for: 0x20), "Ġ")
        XCTAssertEqual(ByteAlphabet.scalar(for: 0x0A), "Ċ")
        XCTAssertEqual(ByteAlphabet.scalar(for: 0x09), "ĉ")
        XCTAssertEqual(ByteAlphabet.scalar(for: 0x00), "Ā")
        XCTAssertEqual(ByteAlphabet.scalar(for: UInt8(ascii: "a")), "a")
        XCTAssertEqual(ByteAlphabet.scalar(for: 0xAD), "Ń")   // soft hyphen: the last moved byte
        XCTAssertEqual(ByteAlphabet.scalar(for: 0xFF), "ÿ")
        XCTAssertNil(ByteAlphabet.byte(for: "€"))
    }

    func testRoundTrip() {
        let bytes = Array(0...255).map(UInt8.init)
        XCTAssertEqual(ByteAlphabet.decode(ByteAlphabet.encode(bytes)), bytes)
        XCTAssertEqual(ByteAlphabet.encode(Array("hi there".utf8)), "hiĠthere")
        XCTAssertNil(ByteAlphabet.decode("<€>"))
        XCTAssertEqual(ByteAlphabet.decodedBytes(of: "€"), Array("€".utf8))
    }
}
