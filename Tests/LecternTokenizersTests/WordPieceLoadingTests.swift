// Loading BERT tokenizers from vocab.txt and tokenizer.json, and the errors for files we
// cannot read or do not reproduce exactly.
import Foundation
import XCTest
@testable import LecternTokenizers

final class WordPieceLoadingTests: XCTestCase {
    func testVocabTXTLinesAreIDsAndTheirEndsAreTrimmed() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabTXT: Data("[PAD]\r\n[UNK]  \n[CLS]\n[SEP]\nhi\n".utf8), path: "v.txt")
        XCTAssertEqual(tokenizer.id(of: "[UNK]"), 1)
        XCTAssertEqual(tokenizer.vocabularySize, 5)
        XCTAssertEqual(tokenizer.encode("hi").ids, [2, 4, 3])
    }

    func testVocabTXTWithoutTheUnknownTokenIsRefused() {
        XCTAssertThrowsError(try BertWordPieceTokenizer(vocabTXT: Data("a\nb\n".utf8), path: "v.txt")) { error in
            XCTAssertEqual(error as? TokenizerError, .malformed(path: "v.txt", keyPath: "", reason: "the unknown token \"[UNK]\" is not in the vocabulary"))
        }
        XCTAssertThrowsError(try BertWordPieceTokenizer(vocabTXT: Data(), path: "v.txt"))
        XCTAssertThrowsError(try BertWordPieceTokenizer(vocabTXT: Data([0xFF, 0x0A]), path: "v.txt"))
    }

    func testMissingFileIsReported() {
        XCTAssertThrowsError(try BertWordPieceTokenizer(vocabTXT: URL(fileURLWithPath: "/nonexistent/vocab.txt"))) { error in
            XCTAssertEqual(error as? TokenizerError, .fileNotFound(path: "/nonexistent/vocab.txt"))
        }
    }

    func testTokenizerConfigBesideVocabTXTSetsTheCase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("[UNK]\nHi\nhi\n".utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        try Data(#"{"do_lower_case": false}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let cased = try BertWordPieceTokenizer(vocabTXT: folder.appendingPathComponent("vocab.txt"))
        XCTAssertEqual(cased.tokenize("Hi"), ["Hi"])
        let uncased = try BertWordPieceTokenizer(vocabTXT: folder.appendingPathComponent("vocab.txt"), lowercase: true)
        XCTAssertEqual(uncased.tokenize("Hi"), ["hi"])
    }

    func testTokenizerJSONComponentsWeDoNotReproduceAreRefusedByName() throws {
        var object = try WordPieceFixtures.jsonObject("trained-uncased/tokenizer.json")
        object["pre_tokenizer"] = ["type": "Whitespace"]
        XCTAssertThrowsError(try BertWordPieceTokenizer(tokenizerJSON: object, path: "t.json")) { error in
            XCTAssertEqual(error as? TokenizerError, .unsupportedComponent(path: "t.json", keyPath: "pre_tokenizer.type", type: "Whitespace"))
        }
        object = try WordPieceFixtures.jsonObject("trained-uncased/tokenizer.json")
        object["normalizer"] = ["type": "NFKC"]
        XCTAssertThrowsError(try BertWordPieceTokenizer(tokenizerJSON: object, path: "t.json")) { error in
            XCTAssertEqual(error as? TokenizerError, .unsupportedComponent(path: "t.json", keyPath: "normalizer.type", type: "NFKC"))
        }
        object = try WordPieceFixtures.jsonObject("trained-uncased/tokenizer.json")
        var model = try XCTUnwrap(object["model"] as? [String: Any])
        model["unk_token"] = "<unk>"
        object["model"] = model
        XCTAssertThrowsError(try BertWordPieceTokenizer(tokenizerJSON: object, path: "t.json")) { error in
            XCTAssertEqual(error as? TokenizerError, .malformed(path: "t.json", keyPath: "model.unk_token", reason: "\"<unk>\" is not in model.vocab"))
        }
        model["type"] = "Unigram"
        object["model"] = model
        XCTAssertThrowsError(try BertWordPieceTokenizer(tokenizerJSON: object, path: "t.json")) { error in
            XCTAssertEqual(error as? TokenizerError, .unsupportedModel(path: "t.json", type: "Unigram"))
        }
        XCTAssertThrowsError(try BertWordPieceTokenizer(tokenizerJSON: ["model": 3], path: "t.json")) { error in
            XCTAssertEqual(error as? TokenizerError, .malformed(path: "t.json", keyPath: "model", reason: "expected an object"))
        }
    }

    func testShippedMiniLMTokenizerJSONKeepsItsTruncationAndPadding() throws {
        let tokenizer = try BertWordPieceTokenizer(tokenizerJSON: WordPieceFixtures.minilmTokenizerJSON())
        XCTAssertEqual(tokenizer.truncation, .init(maxLength: 128))
        XCTAssertEqual(tokenizer.padding, .init(length: 128, padID: 0))
        XCTAssertEqual(tokenizer.encode("hello").count, 128)
    }
}
