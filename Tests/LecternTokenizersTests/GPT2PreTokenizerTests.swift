// GPT-2's pre-tokenization (GPT2PreTokenizer.swift) against Hugging Face's ByteLevel
// pre-tokenizer: the fixture's hostile lines, the class of every Unicode scalar, and cases
// chosen by hand for each branch of the pattern.
import Foundation
import XCTest
@testable import LecternTokenizers

final class GPT2PreTokenizerTests: XCTestCase {
    func testHostileLinesSplitLikeHuggingFace() throws {
        for testCase in try ByteLevelFixtures.cases().encode {
            let pieces = GPT2PreTokenizer.split(testCase.text).map { ByteAlphabet.encode(Array($0.utf8)) }
            XCTAssertEqual(pieces, testCase.pre_tokens, ByteLevelFixtures.show(testCase.text))
        }
    }

    func testEveryScalarIsClassedLikeHuggingFace() throws {
        let data = try Data(contentsOf: ByteLevelFixtures.url("scalar_classes.json"))
        let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[Any]])
        var mismatches: [String] = []
        for (index, run) in runs.enumerated() {
            let first = try XCTUnwrap(run[0] as? Int), kind = try XCTUnwrap(run[1] as? String)
            let end = index + 1 < runs.count ? try XCTUnwrap(runs[index + 1][0] as? Int) : 0x110000
            let expected: ScalarClass = switch kind {
            case "L": .letter
            case "N": .number
            case "S": .space
            default: .other
            }
            for value in first..<end {
                // Only scalars this Swift's Unicode tables know: an older standard library (an
                // older macOS) sees newer letters as unassigned, which cannot be helped here.
                guard let scalar = Unicode.Scalar(UInt32(value)), scalar.properties.age != nil else { continue }
                let found = ScalarClass.classify(scalar)
                if found != expected, mismatches.count < 20 {
                    mismatches.append("U+\(String(value, radix: 16, uppercase: true)): ours \(found), HF \(kind)")
                }
            }
        }
        XCTAssertEqual(mismatches, [])
    }

    func testContractionsAreLowerCaseOnly() {
        XCTAssertEqual(GPT2PreTokenizer.split("it's IT'S"), ["it", "'s", " IT", "'", "S"])
        XCTAssertEqual(GPT2PreTokenizer.split("we're they've I'll I'd I'm don't"),
                       ["we", "'re", " they", "'ve", " I", "'ll", " I", "'d", " I", "'m", " don", "'t"])
        XCTAssertEqual(GPT2PreTokenizer.split("'r 'l"), ["'", "r", " '", "l"])
        XCTAssertEqual(GPT2PreTokenizer.split("a ’s"), ["a", " ’", "s"])   // U+2019 is not an apostrophe here
    }

    func testWhitespaceLookAhead() {
        XCTAssertEqual(GPT2PreTokenizer.split("a   b"), ["a", "  ", " b"])
        XCTAssertEqual(GPT2PreTokenizer.split("a\t\tb"), ["a", "\t", "\t", "b"])
        XCTAssertEqual(GPT2PreTokenizer.split("a \n b"), ["a", " \n", " b"])
        XCTAssertEqual(GPT2PreTokenizer.split("end   "), ["end", "   "])
        XCTAssertEqual(GPT2PreTokenizer.split("   "), ["   "])
        XCTAssertEqual(GPT2PreTokenizer.split(" "), [" "])
        XCTAssertEqual(GPT2PreTokenizer.split(""), [])
    }

    func testClassesAndOptionalSpace() {
        XCTAssertEqual(GPT2PreTokenizer.split("abc123 456!? ok"), ["abc", "123", " 456", "!?", " ok"])
        XCTAssertEqual(GPT2PreTokenizer.split("e\u{301}t\u{e9}"), ["e", "\u{301}", "t\u{e9}"])   // a combining mark is not a letter
        XCTAssertEqual(GPT2PreTokenizer.split("x\u{a0}y"), ["x", "\u{a0}", "y"])                  // NBSP is whitespace, not " "
    }

    func testPiecesTileTheText() {
        let text = "Mixed: 'S 's 12ab  \t\n 👩‍👩‍👧 e\u{301} \u{2028}x  "
        XCTAssertEqual(GPT2PreTokenizer.split(text).joined(), text)
        XCTAssertEqual(Array(GPT2PreTokenizer.split(text).joined().utf8), Array(text.utf8))
    }
}
