import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `wordPieceEncode(_:vocabulary:)`: BERT's rules at the edges (prefixes,
/// [UNK] for the whole word, the 100-scalar limit, scalars not Characters), and seeded random
/// vocabularies and words against the library's `LecternTokenizers.WordPiece` (BERT's settings:
/// "##", "[UNK]", 100 scalars per word).
final class WordPieceEncodeHiddenTests: XCTestCase {
    /// The answer key: the library's WordPiece model over the same tokens (the ids do not
    /// matter here, so the set's order does not either).
    private func libraryEncode(_ word: String, _ vocabulary: Set<String>) -> [String] {
        let tokens = vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return LecternTokenizers.WordPiece(vocabulary: LecternTokenizers.Vocabulary(tokens: tokens)).tokenize(word)
    }

    private func assertMatches(_ word: String, _ vocabulary: Set<String>, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let got = wordPieceEncode(word, vocabulary: vocabulary), want = libraryEncode(word, vocabulary)
        if got != want {
            XCTFail("\(what): \(word.debugDescription) should be \(want), got \(got)", file: file, line: line)
        }
    }

    private let vocabulary: Set<String> = ["[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "want", "##ed", "runn", "##ing",
                                           ",", "the", "##s", "s", "a", "##a", "##b", "b", "ab", "##ab", "##abc", "чудес", "##ный",
                                           "token", "##izer", "##ize", "##r"]

    func testBERTsOwnExamples() {
        XCTAssertEqual(wordPieceEncode("unaffable", vocabulary: vocabulary), ["un", "##aff", "##able"])
        XCTAssertEqual(wordPieceEncode("wanted", vocabulary: vocabulary), ["want", "##ed"])
        XCTAssertEqual(wordPieceEncode("running", vocabulary: vocabulary), ["runn", "##ing"])
        XCTAssertEqual(wordPieceEncode("чудесный", vocabulary: vocabulary), ["чудес", "##ный"])
    }

    func testLongestFirstNotShortestFirst() {
        XCTAssertEqual(wordPieceEncode("tokenizer", vocabulary: vocabulary), ["token", "##izer"], "##izer is longer than ##ize")
        XCTAssertEqual(wordPieceEncode("aabc", vocabulary: vocabulary), ["a", "##abc"])
        XCTAssertEqual(wordPieceEncode("abab", vocabulary: vocabulary), ["ab", "##ab"])
    }

    func testGreedyCanFailWhereAnotherSplitWouldWork() {
        // "ab" + "##c..." fails, though "a" + "##bc" might have worked: WordPiece never backtracks.
        let small: Set<String> = ["ab", "a", "##bc"]
        XCTAssertEqual(wordPieceEncode("abc", vocabulary: small), ["[UNK]"],
                       "greedy takes ab, then finds nothing for c: the whole word is [UNK], no backtracking")
    }

    func testPrefixRules() {
        XCTAssertEqual(wordPieceEncode("s", vocabulary: vocabulary), ["s"])
        XCTAssertEqual(wordPieceEncode("the", vocabulary: ["##the", "t", "##h", "##e"]), ["t", "##h", "##e"],
                       "##the cannot start a word")
        XCTAssertEqual(wordPieceEncode("xs", vocabulary: ["s", "x"]), ["[UNK]"], "s cannot continue a word: only ##s can")
    }

    func testUnknownWords() {
        XCTAssertEqual(wordPieceEncode("unaffablez", vocabulary: vocabulary), ["[UNK]"], "one unknown character at the end")
        XCTAssertEqual(wordPieceEncode("zebra", vocabulary: vocabulary), ["[UNK]"], "unknown first character")
        XCTAssertEqual(wordPieceEncode("🙂", vocabulary: vocabulary), ["[UNK]"])
    }

    func testTheHundredScalarLimit() {
        let v: Set<String> = ["a", "##a", "aa", "##aa"]
        XCTAssertEqual(wordPieceEncode(String(repeating: "a", count: 100), vocabulary: v), ["aa"] + Array(repeating: "##aa", count: 49))
        XCTAssertEqual(wordPieceEncode(String(repeating: "a", count: 101), vocabulary: v), ["[UNK]"])
        XCTAssertEqual(wordPieceEncode(String(repeating: "a", count: 500), vocabulary: v), ["[UNK]"])
        // 60 characters, 120 scalars (e + combining acute each): over the limit, which counts scalars.
        let accented = String(repeating: "e\u{301}", count: 60)
        XCTAssertEqual(accented.count, 60)
        XCTAssertEqual(wordPieceEncode(accented, vocabulary: ["e", "##e", "##\u{301}"]), ["[UNK]"],
                       "the limit counts Unicode scalars: 120 > 100, although Swift counts 60 Characters")
    }

    func testScalarsNotCharacters() {
        // With Characters, "é" (e + U+0301) would be one unit and could never match "e" then "##\u{301}".
        XCTAssertEqual(wordPieceEncode("e\u{301}", vocabulary: ["e", "##\u{301}"]), ["e", "##\u{301}"])
        XCTAssertEqual(wordPieceEncode("ae\u{301}", vocabulary: ["a", "##e", "##\u{301}"]), ["a", "##e", "##\u{301}"])
    }

    func testFixedExamplesAgreeWithTheLibrary() {
        for word in ["unaffable", "wanted", "running", "tokenizer", "aabc", "abab", "s", "unaffablez", "zebra", "🙂", "чудесный", "the"] {
            assertMatches(word, vocabulary, "the test vocabulary")
        }
        assertMatches("e\u{301}", ["e", "##\u{301}", "[UNK]"], "a combining accent")
    }

    func testEmptyWord() {
        XCTAssertEqual(wordPieceEncode("", vocabulary: vocabulary), [])
    }

    func testRandomVocabulariesAndWords() {
        var rng = SeededGenerator(seed: 81)
        let letters = Array("abcd")
        func randomString(_ maxLength: Int) -> String {
            String((0..<(1 + rng.nextInt(below: maxLength))).map { _ in letters[rng.nextInt(below: letters.count)] })
        }
        for trial in 0..<40 {
            var vocab: Set<String> = ["[UNK]"]
            for _ in 0..<(3 + rng.nextInt(below: 40)) {
                let piece = randomString(4)
                vocab.insert(rng.nextInt(below: 2) == 0 ? piece : "##" + piece)
            }
            for _ in 0..<25 { assertMatches(randomString(12), vocab, "random vocabulary \(trial)") }
        }
    }

    func testRandomLongWordsAroundTheLimit() {
        var rng = SeededGenerator(seed: 82)
        let vocab: Set<String> = ["[UNK]", "a", "b", "##a", "##b", "##ab", "##ba", "ab", "##bab"]
        for _ in 0..<20 {
            let length = 95 + rng.nextInt(below: 11)
            let word = String((0..<length).map { _ in rng.nextInt(below: 2) == 0 ? Character("a") : Character("b") })
            assertMatches(word, vocab, "a word of \(length) letters")
        }
    }
}
