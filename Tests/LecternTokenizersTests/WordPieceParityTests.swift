// Every case of Fixtures/wordpiece/cases.json (Scripts/fixtures/wordpiece.py, Hugging Face
// `tokenizers`): the same input_ids, tokens, token_type_ids, attention_mask and decoded text,
// and for plain texts the same normalized text and pre-tokenized words — cased and uncased,
// trained vocabularies and the real BERT one.
import XCTest
@testable import LecternTokenizers

final class WordPieceParityTests: XCTestCase {
    func testEveryRecordedEncodingMatchesHuggingFace() throws {
        let file = try WordPieceFixtures.cases()
        var tokenizers: [String: BertWordPieceTokenizer] = [:]
        var checked = 0
        for item in file.cases {
            if tokenizers[item.tokenizer] == nil { tokenizers[item.tokenizer] = try WordPieceFixtures.tokenizer(item.tokenizer) }
            let tokenizer = WordPieceFixtures.configured(try XCTUnwrap(tokenizers[item.tokenizer]), for: item)
            let encoding = tokenizer.encode(item.text, pair: item.pair, addSpecialTokens: item.addSpecialTokens)
            let name = WordPieceFixtures.describe(item)
            XCTAssertEqual(encoding.ids, item.ids, "ids of \(name)")
            XCTAssertEqual(encoding.tokens, item.tokens, "tokens of \(name)")
            XCTAssertEqual(encoding.typeIDs, item.typeIds, "type ids of \(name)")
            XCTAssertEqual(encoding.attentionMask, item.attentionMask, "attention mask of \(name)")
            XCTAssertEqual(Array(tokenizer.decode(item.ids).utf8), Array(item.decoded.utf8), "decode of \(name)")
            XCTAssertEqual(Array(tokenizer.decode(item.ids, skipSpecialTokens: false).utf8), Array(item.decodedWithSpecial.utf8),
                           "decode with special tokens of \(name)")
            if let normalized = item.normalized {
                XCTAssertEqual(Array(tokenizer.normalizer.normalize(item.text).utf8), Array(normalized.utf8), "normalized \(name)")
            }
            if let words = item.words, let normalized = item.normalized {
                XCTAssertEqual(BertPreTokenizer().preTokenize(normalized), words, "words of \(name)")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 150)
    }
}
