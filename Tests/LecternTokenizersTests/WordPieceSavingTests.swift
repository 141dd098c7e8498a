// Saving BERT tokenizers (vocab.txt, tokenizer.json) and loading them back, also through
// TokenizerFile, the module's one entry point for tokenizer files.
import Foundation
import XCTest
@testable import LecternTokenizers

final class WordPieceSavingTests: XCTestCase {
    func testTokenizerFileLoadsAFolderWithVocabTXTAsBERT() throws {
        let folder = try WordPieceFixtures.url("minilm")
        let loaded = try TokenizerFile.load(folder)
        let direct = try BertWordPieceTokenizer(vocabTXT: WordPieceFixtures.url("minilm/vocab.txt"))
        XCTAssertTrue(loaded is BertWordPieceTokenizer)
        XCTAssertEqual(loaded.encode("Hello, world! [MASK]"), direct.encode("Hello, world! [MASK]"))
        XCTAssertEqual(loaded.encode("Hello, world!").ids, [101, 7592, 1010, 2088, 999, 102])
    }

    func testSavedFilesLoadBackToTheSameTokenizer() throws {
        var trained = WordPieceTrainer(vocabularySize: 120, normalizer: BertNormalizer(lowercase: false))
            .train(texts: Array(repeating: "Zwei Wörter, drei Wörter; Café crème — naïve résumé!", count: 5)).tokenizer()
        trained.truncation = .init(maxLength: 9)
        trained.padding = .init(length: 12, padID: 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-save-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try trained.save(to: folder)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("tokenizer.json"))) as? [String: Any])
        let fromJSON = try BertWordPieceTokenizer(tokenizerJSON: object)
        let fromTXT = try BertWordPieceTokenizer(vocabTXT: folder.appendingPathComponent("vocab.txt"), lowercase: false)
        for (text, pair) in [("Zwei Wörter", nil), ("Café crème, naïve résumé!", "drei Wörter"), ("unknown Ω", nil)] as [(String, String?)] {
            XCTAssertEqual(fromJSON.encode(text, pair: pair), trained.encode(text, pair: pair))
            XCTAssertEqual(fromTXT.sequenceIDs(text), trained.sequenceIDs(text))
        }
        XCTAssertEqual(fromJSON.normalizer, trained.normalizer)
        XCTAssertEqual(fromJSON.template, trained.template)
        XCTAssertEqual(fromJSON.truncation, trained.truncation)
        XCTAssertEqual(fromJSON.padding, trained.padding)
    }
}
