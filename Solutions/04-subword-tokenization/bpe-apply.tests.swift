import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `applyMerges(_:to:)`: edge cases, merge tables learnt by the library's plain
/// trainer (`LecternTokenizers.BPETrainer`) on seeded random corpora, applied to random new words,
/// and random tables, all against the library's encoder, `LecternTokenizers.BPESegmenter`.
final class ApplyMergesHiddenTests: XCTestCase {
    /// The answer key: the library's subword-nmt-style segmenter on a plain-convention table
    /// (no end-of-word marker), which applies merges by rank.
    private func libraryApply(_ merges: [[String]], _ word: String) -> [String] {
        let table = LecternTokenizers.BPEMerges(convention: .plain, merges: merges.map { LecternTokenizers.BPEMerge($0[0], $0[1]) })
        return LecternTokenizers.BPESegmenter(merges: table).segment(word: word)
    }

    private func assertMatches(_ merges: [[String]], _ word: String, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let got = applyMerges(merges, to: word), want = libraryApply(merges, word)
        if got != want {
            XCTFail("\(what): \(word.debugDescription) should be \(want), got \(got)", file: file, line: line)
        }
    }

    private func libraryMerges(_ words: [String: Int], merges: Int) -> [[String]] {
        LecternTokenizers.BPETrainer.train(words, convention: .plain, merges: merges, minimumFrequency: 1)
            .merges.merges.map { [$0.left, $0.right] }
    }

    private let lecture = [["a", "t"], ["m", "at"], ["c", "at"], ["at", "e"], ["mat", "e"]]

    func testTheLectureTable() {
        let expected: [String: [String]] = ["cat": ["cat"], "mat": ["mat"], "mats": ["mat", "s"], "mate": ["mate"],
                                            "ate": ["ate"], "eat": ["e", "at"], "cats": ["cat", "s"], "mates": ["mate", "s"],
                                            "eaten": ["e", "ate", "n"], "tea": ["t", "e", "a"], "matmat": ["mat", "mat"],
                                            "atat": ["at", "at"], "scat": ["s", "cat"]]
        for (word, tokens) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(applyMerges(lecture, to: word), tokens, "\(word) with the lecture's merge table")
        }
    }

    func testEveryOccurrenceOfTheBestPair() {
        XCTAssertEqual(applyMerges([["a", "a"]], to: "aaaaa"), ["aa", "aa", "a"], "left to right, without overlap")
        XCTAssertEqual(applyMerges([["a", "a"], ["aa", "aa"]], to: "aaaa"), ["aaaa"])
        XCTAssertEqual(applyMerges([["a", "a"], ["aa", "a"]], to: "aaa"), ["aaa"])
        XCTAssertEqual(applyMerges([["aa", "a"], ["a", "a"]], to: "aaa"), ["aaa"],
                       "a + a makes aa a; then the pair aa + a is in the word, and it is in the table: merge it too")
    }

    func testDuplicatesKeepTheirFirstRank() {
        XCTAssertEqual(applyMerges([["b", "c"], ["a", "b"], ["b", "c"]], to: "abc"), ["a", "bc"])
        XCTAssertEqual(applyMerges([["a", "b"], ["b", "c"], ["a", "b"]], to: "abc"), ["ab", "c"])
    }

    func testMergesForOtherLettersDoNothing() {
        XCTAssertEqual(applyMerges([["x", "y"], ["y", "z"]], to: "cat"), ["c", "a", "t"])
        XCTAssertEqual(applyMerges([["a", "t"]], to: "a"), ["a"], "one character: nothing to merge")
        XCTAssertEqual(applyMerges([["a", "t"]], to: ""), [])
    }

    func testUnicodeScalarsNotCharacters() {
        // "é" written as e + U+0301 is two scalars, so two initial tokens.
        XCTAssertEqual(applyMerges([], to: "e\u{301}"), ["e", "\u{301}"])
        XCTAssertEqual(applyMerges([["e", "\u{301}"]], to: "e\u{301}t").count, 2)
        XCTAssertEqual(applyMerges([["м", "а"], ["ма", "ма"]], to: "мама"), ["мама"])
    }

    func testTablesLearntByTheLibrary() {
        var rng = SeededGenerator(seed: 71)
        let letters = Array("abcdef")
        func randomWord(_ maxLength: Int) -> String {
            String((0..<(1 + rng.nextInt(below: maxLength))).map { _ in letters[rng.nextInt(below: letters.count)] })
        }
        for trial in 0..<30 {
            var words: [String: Int] = [:]
            for _ in 0..<(5 + rng.nextInt(below: 30)) { words[randomWord(7), default: 0] += 1 + rng.nextInt(below: 20) }
            let merges = libraryMerges(words, merges: 5 + rng.nextInt(below: 30))
            for word in words.keys.sorted() { assertMatches(merges, word, "table \(trial), a training word") }
            for _ in 0..<20 { assertMatches(merges, randomWord(12), "table \(trial), a new word") }
        }
    }

    func testRandomTables() {
        var rng = SeededGenerator(seed: 72)
        let tokens = ["a", "b", "c", "ab", "bc", "ca", "abc", "aa", "bb"]
        for trial in 0..<60 {
            let merges = (0..<(1 + rng.nextInt(below: 12))).map { _ in [tokens[rng.nextInt(below: tokens.count)], tokens[rng.nextInt(below: tokens.count)]] }
            for _ in 0..<10 {
                let word = String((0..<rng.nextInt(below: 14)).map { _ in Array("abc")[rng.nextInt(below: 3)] })
                assertMatches(merges, word, "random table \(trial) \(merges)")
            }
        }
    }

    func testTheTokensSpellTheWord() {
        var rng = SeededGenerator(seed: 73)
        var words: [String: Int] = [:]
        for _ in 0..<200 {
            let word = String((0..<(1 + rng.nextInt(below: 8))).map { _ in Array("etaoinshr")[rng.nextInt(below: 9)] })
            words[word, default: 0] += 1 + rng.nextInt(below: 30)
        }
        let merges = libraryMerges(words, merges: 100)
        for word in words.keys.sorted() {
            XCTAssertEqual(applyMerges(merges, to: word).joined(), word, "the tokens of \(word) must spell it")
        }
    }
}
