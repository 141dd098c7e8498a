// BertNormalizer and BertPreTokenizer on hand-picked cases, each with the Hugging Face
// `tokenizers` behaviour it pins down (the fixtures check the same against HF itself).
import XCTest
@testable import LecternTokenizers

final class BertNormalizerTests: XCTestCase {
    func testCleanTextDropsControlsAndMapsWhitespaceToSpaces() {
        let normalizer = BertNormalizer(lowercase: false)
        // NUL, BEL, DEL, ZWSP, ZWJ, BOM, U+FFFD and soft hyphen go; tab, CR, LF, NBSP, U+2028, U+3000 become spaces.
        XCTAssertEqual(normalizer.normalize("a\u{0}b\u{7}c\u{7F}d\u{200B}e\u{200D}f\u{FEFF}g\u{FFFD}h\u{AD}i"), "abcdefghi")
        XCTAssertEqual(normalizer.normalize("a\tb\rc\nd\u{A0}e\u{2028}f\u{3000}g"), "a b c d e f g")
        // U+000B, U+000C and U+0085 are White_Space but also controls: HF drops them.
        XCTAssertEqual(normalizer.normalize("a\u{B}b\u{C}c\u{85}d"), "abcd")
        // Private use characters are controls to HF (category Co).
        XCTAssertEqual(normalizer.normalize("x\u{E000}y"), "xy")
    }

    func testChineseCharactersArePaddedButNotKanaOrHangul() {
        let normalizer = BertNormalizer(lowercase: false)
        XCTAssertEqual(normalizer.normalize("ab中文c"), "ab 中  文 c")
        XCTAssertEqual(normalizer.normalize("かな한"), "かな한")
        // HF's ranges skip U+2B820…U+2B91F (Python BERT pads them).
        XCTAssertEqual(normalizer.normalize("\u{2B820}"), "\u{2B820}")
        XCTAssertEqual(normalizer.normalize("\u{2B920}"), " \u{2B920} ")
    }

    func testAccentsAreStrippedWithLowercasingByDefault() {
        XCTAssertEqual(BertNormalizer().normalize("Café CAFE\u{301} Ångström"), "cafe cafe angstrom")
        XCTAssertEqual(BertNormalizer(lowercase: false).normalize("Café"), "Café")
        XCTAssertEqual(BertNormalizer(stripAccents: false).normalize("Café"), "café")
        XCTAssertEqual(BertNormalizer(stripAccents: true, lowercase: false).normalize("Café"), "Cafe")
        // NFD, not just dropping marks: "й" is "и" + U+0306, "ё" is "е" + U+0308.
        XCTAssertEqual(BertNormalizer().normalize("Йод ёж"), "иод еж")
        // Hangul syllables decompose into jamo.
        XCTAssertEqual(BertNormalizer().normalize("한").unicodeScalars.map(\.value), [0x1112, 0x1161, 0x11AB])
    }

    func testLowercasingIsPerScalarWithFullMappings() {
        let normalizer = BertNormalizer(stripAccents: false)
        // "İ" lowercases to "i" + U+0307; no final-sigma context.
        XCTAssertEqual(normalizer.normalize("İ").unicodeScalars.map(\.value), [0x69, 0x307])
        XCTAssertEqual(normalizer.normalize("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ")
        // Kelvin sign to "k"; ß stays.
        XCTAssertEqual(normalizer.normalize("\u{212A}ß"), "kß")
    }

    func testPreTokenizerSplitsWhitespaceAndIsolatesPunctuation() {
        let split = BertPreTokenizer()
        XCTAssertEqual(split.preTokenize("Hey, you're $5!"), ["Hey", ",", "you", "'", "re", "$", "5", "!"])
        XCTAssertEqual(split.preTokenize("  a \t\n b  "), ["a", "b"])
        XCTAssertEqual(split.preTokenize("a—b…c«d»"), ["a", "—", "b", "…", "c", "«", "d", "»"])
        // Symbols that are not ASCII are not punctuation: "€" and emoji stay inside words.
        XCTAssertEqual(split.preTokenize("5€ a😀b"), ["5€", "a😀b"])
        XCTAssertEqual(split.preTokenize(""), [])
        // U+2E52 became punctuation in Unicode 14; HF's tables predate it.
        XCTAssertEqual(split.preTokenize("a\u{2E52}b"), ["a\u{2E52}b"])
    }

    func testCharacterClasses() {
        XCTAssertTrue(BertCharacterClass.of(0x2C).contains(.punctuation))
        XCTAssertTrue(BertCharacterClass.of(0x60).contains(.punctuation))
        XCTAssertFalse(BertCharacterClass.of(0x20AC).contains(.punctuation))
        XCTAssertTrue(BertCharacterClass.of(0x301).contains(.nonspacingMark))
        XCTAssertTrue(BertCharacterClass.of(0x2F800).contains(.chinese))
        XCTAssertTrue(BertCharacterClass.of(0x10FFFD).contains(.removedByClean))
        XCTAssertEqual(BertCharacterClass.of(0x20), [.whitespace, .cleanWhitespace])
    }
}
