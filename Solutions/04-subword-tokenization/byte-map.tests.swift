import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `gpt2ByteToUnicode()` and `byteLevelString(_:)`: the library's GPT-2 table,
/// `LecternTokenizers.ByteAlphabet`, is the answer key, entry by entry and on random texts.
final class ByteMapHiddenTests: XCTestCase {
    private func hex(_ byte: Int) -> String { "0x" + String(byte, radix: 16, uppercase: true) }

    func testEveryEntryMatchesTheLibrary() {
        let table = gpt2ByteToUnicode()
        guard table.count == 256 else { return XCTFail("the table needs 256 entries, one per byte; got \(table.count)") }
        for byte in 0..<256 {
            let want = Character(LecternTokenizers.ByteAlphabet.scalars[byte])
            if table[byte] != want {
                return XCTFail("byte \(hex(byte)) should stand for \(want.debugDescription) (U+\(String(LecternTokenizers.ByteAlphabet.scalars[byte].value, radix: 16, uppercase: true))), got \(table[byte].debugDescription)")
            }
        }
    }

    func testEveryEntryIsOneScalar() {
        for (byte, character) in gpt2ByteToUnicode().enumerated() where character.unicodeScalars.count != 1 {
            return XCTFail("byte \(hex(byte)): each stand-in is a single Unicode scalar, got \(character.unicodeScalars.count)")
        }
    }

    func testTheTableIsOneToOne() {
        let table = gpt2ByteToUnicode()
        XCTAssertEqual(Set(table).count, 256, "256 different characters: otherwise two bytes could not be told apart")
    }

    func testTheBoundariesOfThePrintableRanges() {
        let table = gpt2ByteToUnicode()
        guard table.count == 256 else { return XCTFail("the table needs 256 entries") }
        let expected: [(Int, Character, String)] = [
            (0x20, "\u{120}", "the space, 33rd non-printable byte"), (0x21, "!", "first printable ASCII"),
            (0x7E, "~", "last printable ASCII"), (0x7F, "\u{121}", "DEL comes right after the 33 controls and space"),
            (0x80, "\u{122}", "0x80, the first byte of the C1 block"), (0xA0, "\u{142}", "no-break space"),
            (0xA1, "¡", "first printable of Latin-1's upper half"), (0xAC, "¬", "¬ stands for itself"),
            (0xAD, "\u{143}", "the soft hyphen is the 68th and last non-printable byte"),
            (0xAE, "®", "® stands for itself"), (0xFF, "ÿ", "the last byte"),
        ]
        for (byte, want, why) in expected {
            XCTAssertEqual(table[byte], want, "byte \(hex(byte)) (\(why))")
        }
    }

    func testFixedTexts() {
        for text in ["", "a", "hello world", " leading space", "tab\there\nnewline", "naïve café", "Чудесный день!",
                     "中文", "emoji 👋🏽 and ZWJ 👩‍👩‍👧", "e\u{301} combining", "\u{0}\u{7F}\u{AD}\u{A0}"] {
            XCTAssertEqual(byteLevelString(text), LecternTokenizers.ByteAlphabet.encode(Array(text.utf8)),
                           "byteLevelString(\(text.debugDescription))")
        }
    }

    func testOneCharacterPerByte() {
        let text = "привет, мир 👋"
        XCTAssertEqual(byteLevelString(text).unicodeScalars.count, text.utf8.count,
                       "one stand-in per UTF-8 byte: \(text.utf8.count) bytes")
    }

    func testRandomTextsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 4)
        // Pieces from several scripts, so that 1-, 2-, 3- and 4-byte characters all occur.
        let alphabet: [String] = ["a", "Z", " ", "\n", "\t", "~", "é", "ß", "ж", "Я", "ё", "α", "中", "€", "👋", "\u{0}", "\u{7F}",
                                  "\u{85}", "\u{A0}", "\u{AD}", "ÿ", "¡", "Ġ", "\u{301}"]
        for trial in 0..<200 {
            let length = rng.nextInt(below: 30)
            let text = (0..<length).map { _ in alphabet[rng.nextInt(below: alphabet.count)] }.joined()
            let want = LecternTokenizers.ByteAlphabet.encode(Array(text.utf8))
            let got = byteLevelString(text)
            if got.unicodeScalars.map(\.value) != want.unicodeScalars.map(\.value) {
                return XCTFail("random text \(trial), \(text.debugDescription): expected \(want.debugDescription), got \(got.debugDescription)")
            }
        }
    }

    func testRoundTrip() {
        let table = gpt2ByteToUnicode()
        var byteOf: [Character: UInt8] = [:]
        for (byte, character) in table.enumerated() { byteOf[character] = UInt8(byte) }
        let text = "Byte-level BPE: «никаких [UNK]» ✓"
        let bytes = byteLevelString(text).unicodeScalars.map { byteOf[Character($0)] }
        XCTAssertFalse(bytes.contains(nil), "every character of the rendering must be one of the table's")
        XCTAssertEqual(String(decoding: bytes.compactMap { $0 }, as: UTF8.self), text, "mapping back gives the text")
    }
}
