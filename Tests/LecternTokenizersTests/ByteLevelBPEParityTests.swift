// Byte-level BPE encoding and decoding (ByteLevelBPETokenizer.swift) against Hugging Face
// tokenizers, on the tokenizer it trained: identical ids and tokens for every hostile line,
// decoding of byte sequences that are not UTF-8, and the round trip.
import XCTest
@testable import LecternTokenizers

final class ByteLevelBPEParityTests: XCTestCase {
    func testIdsAndTokensMatchHuggingFace() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        for testCase in try ByteLevelFixtures.cases().encode {
            let encoding = tokenizer.encode(testCase.text)
            XCTAssertEqual(encoding.ids, testCase.ids, ByteLevelFixtures.show(testCase.text))
            XCTAssertEqual(encoding.tokens, testCase.tokens, ByteLevelFixtures.show(testCase.text))
            XCTAssertEqual(encoding.typeIDs, Array(repeating: 0, count: encoding.count))
            XCTAssertEqual(encoding.attentionMask, Array(repeating: 1, count: encoding.count))
            // The second time comes from the cache.
            XCTAssertEqual(tokenizer.encodeIDs(testCase.text), testCase.ids, ByteLevelFixtures.show(testCase.text))
        }
    }

    func testRandomMixesMatchHuggingFace() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        for testCase in try ByteLevelFixtures.cases().encode_random {
            XCTAssertEqual(tokenizer.encodeIDs(testCase.text), testCase.ids, ByteLevelFixtures.show(testCase.text))
            XCTAssertEqual(Array(tokenizer.decode(testCase.ids).utf8), Array(testCase.text.utf8), ByteLevelFixtures.show(testCase.text))
        }
    }

    func testAddPrefixSpaceMatchesHuggingFace() throws {
        let base = try ByteLevelFixtures.tokenizer()
        let tokenizer = try ByteLevelBPETokenizer(vocabulary: base.vocabulary, merges: base.merges,
                                                  addedTokens: base.addedTokens, addPrefixSpace: true)
        for testCase in try ByteLevelFixtures.cases().encode_prefix_space {
            XCTAssertEqual(tokenizer.encode(testCase.text).ids, testCase.ids, ByteLevelFixtures.show(testCase.text))
        }
    }

    func testDecodeMatchesHuggingFaceOnInvalidUTF8() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        for testCase in try ByteLevelFixtures.cases().decode {
            XCTAssertEqual(Array(tokenizer.decode(testCase.ids).unicodeScalars), Array(testCase.text.unicodeScalars), "\(testCase.ids)")
        }
    }

    func testRoundTripIsByteExact() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        var lines = try ByteLevelFixtures.cases().encode.map(\.text)
        lines += ["e\u{301}", "\u{e9}", "Ω\u{2126}", "\u{FEFF}", String(repeating: "ab", count: 200), "\r\n\r\n"]
        for text in lines {
            XCTAssertEqual(Array(tokenizer.decode(tokenizer.encodeIDs(text)).utf8), Array(text.utf8), ByteLevelFixtures.show(text))
        }
    }

    func testLongPieceUsesTheQueueAndAgreesWithTheScan() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        // One pre-token far longer than PieceMerger.longPiece: merged by the priority queue.
        let word = String(repeating: "licensecopyright", count: 40)
        var scanned = Array(word.utf8).map { tokenizer.model.byteIDs[Int($0)] }
        PieceMerger.mergeShort(&scanned, table: tokenizer.model.mergeTable)
        XCTAssertEqual(tokenizer.encodeIDs(word), scanned.map(Int.init))
        XCTAssertEqual(tokenizer.decode(tokenizer.encodeIDs(word)), word)
    }

    func testSpecialTokenIsNeverSplit() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        let eot = try XCTUnwrap(tokenizer.id(of: "<|endoftext|>"))
        let ids = tokenizer.encodeIDs("x<|endoftext|>y<|endoftext|>")
        XCTAssertEqual(ids.filter { $0 == eot }.count, 2)
        XCTAssertEqual(ids.last, eot)
        XCTAssertEqual(tokenizer.vocabularySize, 2000)
    }

    func testConcurrentEncodingsAgree() throws {
        let tokenizer = try ByteLevelFixtures.tokenizer()
        let texts = try ByteLevelFixtures.cases().encode.map(\.text)
        let expected = texts.map { tokenizer.encodeIDs($0) }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (text, ids) in zip(texts, expected) { XCTAssertEqual(tokenizer.encodeIDs(text), ids) }
        }
    }
}
