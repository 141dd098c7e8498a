// The WordPiece model's rules: greedy longest-match-first with "##" continuations, the whole
// word to [UNK] when any remainder has no piece, and words over 100 scalars to [UNK] at once.
import XCTest
@testable import LecternTokenizers

final class WordPieceModelTests: XCTestCase {
    let model = WordPiece(vocabulary: Vocabulary(tokens: ["[UNK]", "un", "una", "##aff", "##able", "##ffa", "##ble", "a", "##a", "é", "##é", "##s"]))

    func testGreedyLongestMatchFirst() {
        // "una" is longer than "un", so it wins, even though "un ##aff ##able" would also work.
        XCTAssertEqual(model.tokenize("unaffable"), ["una", "##ffa", "##ble"])
        XCTAssertEqual(model.tokenize("aaa"), ["a", "##a", "##a"])
        XCTAssertEqual(model.tokenize("és"), ["é", "##s"])
    }

    func testTheWholeWordBecomesUnknownWhenAnyPieceIsMissing() {
        // "un" + "##aff" match, then "##x" has no piece: everything already matched is dropped too.
        XCTAssertEqual(model.tokenize("unaffx"), ["[UNK]"])
        XCTAssertEqual(model.tokenize("x"), ["[UNK]"])
        // "e" + U+0301 is not "é" (U+00E9): vocabulary keys are compared by bytes.
        XCTAssertEqual(model.tokenize("e\u{301}"), ["[UNK]"])
    }

    func testWordsLongerThanTheLimitAreUnknown() {
        XCTAssertEqual(model.tokenize(String(repeating: "a", count: 100)).count, 100)
        XCTAssertEqual(model.tokenize(String(repeating: "a", count: 101)), ["[UNK]"])
        // The limit counts Unicode scalars, not bytes or characters: 100 × "é" is 100 scalars, 200 bytes.
        XCTAssertEqual(model.tokenize(String(repeating: "é", count: 100)).count, 100)
        XCTAssertEqual(model.tokenize(String(repeating: "é", count: 101)), ["[UNK]"])
        let short = WordPiece(vocabulary: model.vocabulary, maxInputCharsPerWord: 2)
        XCTAssertEqual(short.tokenize("aaa"), ["[UNK]"])
    }

    func testNoUnknownTokenInTheVocabularyGivesNoIDs() {
        let bare = WordPiece(vocabulary: Vocabulary(tokens: ["a"]))
        XCTAssertNil(bare.unknownID)
        XCTAssertEqual(bare.ids(of: "b"), [])
    }

    func testSpecialTokensAreNeverSplitAndMatchExactly() {
        let vocabulary = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hi", "[", "]", "mask", "##mask"])
        let tokenizer = BertWordPieceTokenizer(model: WordPiece(vocabulary: vocabulary))
        XCTAssertEqual(tokenizer.tokenize("hi[MASK]hi"), ["hi", "[MASK]", "hi"])
        // Matching happens on the raw text, before lowercasing: "[mask]" is ordinary text.
        XCTAssertEqual(tokenizer.tokenize("[mask]"), ["[", "mask", "]"])
        XCTAssertEqual(tokenizer.tokenize("[MASK"), ["[", "mask"])
        XCTAssertEqual(tokenizer.encode("hi").tokens, ["[CLS]", "hi", "[SEP]"])
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("hi [MASK]").ids), "hi")
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("hi [MASK]").ids, skipSpecialTokens: false), "[CLS] hi [MASK] [SEP]")
    }

    func testPairTruncationAndPadding() {
        let vocabulary = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b"])
        var tokenizer = BertWordPieceTokenizer(model: WordPiece(vocabulary: vocabulary))
        tokenizer.truncation = .init(maxLength: 8)
        tokenizer.padding = .init(length: 10)
        let encoding = tokenizer.encode("a a a a a a", pair: "b b")
        // 8 - 3 special tokens = 5 left: "b b" keeps 2, "a …" gets 3; then padding to 10.
        XCTAssertEqual(encoding.tokens, ["[CLS]", "a", "a", "a", "[SEP]", "b", "b", "[SEP]", "[PAD]", "[PAD]"])
        XCTAssertEqual(encoding.typeIDs, [0, 0, 0, 0, 0, 1, 1, 1, 0, 0])
        XCTAssertEqual(encoding.attentionMask, [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    }

    func testDecoderCleanup() {
        let decoder = WordPieceDecoder()
        XCTAssertEqual(decoder.decode(["hello", ",", "un", "##aff", "##able", "world", "!"]), "hello, unaffable world!")
        // HF cleans up token by token: " ' " (with a space after) never occurs within one token.
        XCTAssertEqual(decoder.decode(["i", "don", "'", "t", "know", "."]), "i don ' t know.")
        XCTAssertEqual(WordPieceDecoder(cleanup: false).decode(["a", "."]), "a .")
    }
}
