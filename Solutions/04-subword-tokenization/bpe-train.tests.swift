import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `trainBPE(wordCounts:merges:)`: the library's plain-mode trainer,
/// `LecternTokenizers.BPETrainer.train(_:convention: .plain, merges:minimumFrequency: 1)`, is the
/// answer key on the lecture's table, on edge cases and on seeded random word-frequency tables.
final class TrainBPEHiddenTests: XCTestCase {
    private func libraryMerges(_ words: [String: Int], merges: Int) -> [[String]] {
        LecternTokenizers.BPETrainer.train(words, convention: .plain, merges: merges, minimumFrequency: 1)
            .merges.merges.map { [$0.left, $0.right] }
    }

    private func show(_ table: [[String]]) -> String {
        table.map { "\($0.first ?? "?") + \($0.last ?? "?")" }.joined(separator: ", ")
    }

    private func assertMatchesLibrary(_ words: [String: Int], merges: Int, _ what: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        let got = trainBPE(wordCounts: words, merges: merges)
        let want = libraryMerges(words, merges: merges)
        guard got != want else { return }
        let firstDifference = Array(zip(got, want)).firstIndex { $0.0 != $0.1 } ?? min(got.count, want.count)
        XCTFail("\(what): \(merges) merges on \(words.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })\n"
                + "expected [\(show(want))]\n     got [\(show(got))]\n(first difference at merge \(firstDifference))",
                file: file, line: line)
    }

    /// A random word-frequency table: `words` words of 1...`maxLength` letters from `letters`,
    /// counts 1...`maxCount`.
    private func randomTable(_ rng: inout SeededGenerator, words: Int, letters: [Character], maxLength: Int, maxCount: Int) -> [String: Int] {
        var table: [String: Int] = [:]
        for _ in 0..<words {
            let word = String((0..<(1 + rng.nextInt(below: maxLength))).map { _ in letters[rng.nextInt(below: letters.count)] })
            table[word, default: 0] += 1 + rng.nextInt(below: maxCount)
        }
        return table
    }

    func testTheLectureTable() {
        let lecture = ["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2]
        XCTAssertEqual(trainBPE(wordCounts: lecture, merges: 5), [["a", "t"], ["m", "at"], ["c", "at"], ["at", "e"], ["mat", "e"]])
        for merges in 0...10 { assertMatchesLibrary(lecture, merges: merges, "the lecture's table") }
    }

    func testMergesIsAnUpperBound() {
        let lecture = ["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2]
        XCTAssertEqual(trainBPE(wordCounts: lecture, merges: 100).count, 7, "the lecture's table has no pair left after 7 merges")
        XCTAssertEqual(trainBPE(wordCounts: lecture, merges: 0), [], "zero merges: an empty table")
    }

    func testSingleLettersAndEmptyTables() {
        XCTAssertEqual(trainBPE(wordCounts: [:], merges: 5), [], "no words, no pairs")
        XCTAssertEqual(trainBPE(wordCounts: ["a": 10, "b": 3], merges: 5), [], "one-letter words have no pairs")
    }

    func testTiesByLeftTokenThenRightToken() {
        XCTAssertEqual(trainBPE(wordCounts: ["ba": 1, "ab": 1], merges: 1), [["a", "b"]], "a + b sorts before b + a")
        XCTAssertEqual(trainBPE(wordCounts: ["ac": 1, "ab": 1], merges: 1), [["a", "b"]], "same left token: b before c")
        XCTAssertEqual(trainBPE(wordCounts: ["Ab": 1, "ab": 1], merges: 1), [["A", "b"]], "upper case sorts before lower case")
        XCTAssertEqual(trainBPE(wordCounts: ["zz": 5, "ab": 4], merges: 1), [["z", "z"]], "the count comes first, the order only breaks ties")
        assertMatchesLibrary(["abab": 1, "baba": 1, "cdcd": 2, "dcdc": 2], merges: 10, "a corpus full of ties")
    }

    func testRepeatedLetters() {
        XCTAssertEqual(trainBPE(wordCounts: ["aaa": 1], merges: 5), [["a", "a"], ["aa", "a"]],
                       "aaa has the pair a + a twice (count 2); after it: aa a")
        assertMatchesLibrary(["aaaaaaa": 3, "aaa": 2, "ab": 4], merges: 10, "runs of one letter")
    }

    func testLargeCounts() {
        assertMatchesLibrary(["the": 1_000_000, "then": 250_000, "than": 249_999, "hen": 7], merges: 6, "large counts")
    }

    func testNonASCIIWords() {
        assertMatchesLibrary(["мама": 5, "мыла": 4, "раму": 3, "папа": 2], merges: 8, "Cyrillic words")
        // GPT-2-style byte-level spellings: "мама" is "Ð¼Ð°Ð¼Ð°".
        let byteLevel = ["мама": 5, " мыла": 4, " раму": 3, " мама": 2].reduce(into: [String: Int]()) { table, entry in
            table[LecternTokenizers.ByteAlphabet.encode(Array(entry.key.utf8)), default: 0] += entry.value
        }
        assertMatchesLibrary(byteLevel, merges: 12, "byte-level spellings")
    }

    func testRandomTables() {
        var rng = SeededGenerator(seed: 61)
        for trial in 0..<50 {
            let table = randomTable(&rng, words: 1 + rng.nextInt(below: 30), letters: Array("abcde"), maxLength: 7, maxCount: 12)
            assertMatchesLibrary(table, merges: rng.nextInt(below: 25), "random table \(trial)")
        }
    }

    func testRandomTablesWithManyTies() {
        // Counts of 1 or 2 and a two-letter alphabet: almost every step is a tie.
        var rng = SeededGenerator(seed: 62)
        for trial in 0..<40 {
            let table = randomTable(&rng, words: 2 + rng.nextInt(below: 12), letters: ["x", "y"], maxLength: 9, maxCount: 2)
            assertMatchesLibrary(table, merges: 30, "random table \(trial), with ties")
        }
    }

    func testABiggerRandomCorpus() {
        var rng = SeededGenerator(seed: 63)
        let table = randomTable(&rng, words: 400, letters: Array("etaoinshrdlu"), maxLength: 9, maxCount: 40)
        assertMatchesLibrary(table, merges: 150, "400 random words, 150 merges")
    }
}
