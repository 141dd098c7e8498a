// Classic BPE training (Sennrich et al. 2016): the lecture's worked example (SYLLABUS §4),
// the stopping rules, the tie-breaks of both conventions, and words handled as Unicode
// scalars with keys compared by bytes.
import XCTest
@testable import LecternTokenizers

final class BPETrainerTests: XCTestCase {
    let lecture: [String: Int] = ["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2]

    /// The lecture's slides, step by step: a+t (19), m+at (10), c+at (4), then at+e and mat+e
    /// tie at 3 and at+e goes first, then the last merge makes "mate". The slide labels that
    /// merge "m ate → mate", but "mate" is "mat e" by then (m+at came second), so the pair
    /// merged is mat+e; the five new tokens are exactly the slide's.
    func testLectureWorkedExampleInPlainMode() {
        let result = BPETrainer.train(lecture, convention: .plain, merges: 5)
        XCTAssertEqual(result.merges.merges, [BPEMerge("a", "t"), BPEMerge("m", "at"), BPEMerge("c", "at"),
                                              BPEMerge("at", "e"), BPEMerge("mat", "e")])
        XCTAssertEqual(result.merges.merges.map(\.merged), ["at", "mat", "cat", "ate", "mate"])
        XCTAssertEqual(result.counts, [19, 10, 4, 3, 3])
        XCTAssertEqual(result.stop, .mergeLimit)

        // "Stop: the vocabulary reached its maximum size": 6 characters + 5 tokens.
        let bySize = BPETrainer.train(lecture, convention: .plain, vocabularySize: 11)
        XCTAssertEqual(bySize.merges, result.merges)
        XCTAssertEqual(bySize.stop, .vocabularySize)
        XCTAssertEqual(bySize.vocabulary, ["a", "t", "e", "c", "m", "s", "at", "mat", "cat", "ate", "mate"])

        // The slide "BPE: применение": mats → mat ##s, eat → e ##at.
        let segmenter = BPESegmenter(merges: result.merges)
        XCTAssertEqual(["cat", "mat", "mats", "mate", "ate", "eat"].map { segmenter.segment(word: $0) },
                       [["cat"], ["mat"], ["mat", "s"], ["mate"], ["ate"], ["e", "at"]])
    }

    /// With subword-nmt's "</w>", word-final "at</w>" is a different symbol from inner "at",
    /// so the example does not come out as taught: the first merge is a + t</w> (cat, mat,
    /// eat: 11), not a + t (mats, mate, ate: 8).
    func testLectureExampleInSubwordNMTModeLearnsWordFinalPieces() {
        let result = BPETrainer.train(lecture, convention: .subwordNMT, merges: 1)
        XCTAssertEqual(result.merges.merges, [BPEMerge("a", "t</w>")])
        XCTAssertEqual(result.counts, [11])
    }

    func testTieBreaksOfBothConventions() {
        // "ab" and "cd" both occur 3 times.
        let words: [String: Int] = ["ab": 3, "cd": 3]
        XCTAssertEqual(BPETrainer.train(words, convention: .plain, merges: 1).merges.merges, [BPEMerge("a", "b")])
        XCTAssertEqual(BPETrainer.train(words, convention: .subwordNMT, merges: 1).merges.merges, [BPEMerge("c", "d</w>")])
        // Pairs compare by their first symbol, then their second: ("b", "a") > ("a", "z").
        let second: [String: Int] = ["az": 2, "ba": 2]
        XCTAssertEqual(BPETrainer.train(second, convention: .subwordNMT, merges: 1).merges.merges, [BPEMerge("b", "a</w>")])
    }

    func testStoppingRules() {
        // Minimum frequency: after l+o and lo+w (7 each), the best pair occurs 2 times.
        let words: [String: Int] = ["low": 5, "lowest": 2]
        let result = BPETrainer.train(words, convention: .plain, minimumFrequency: 3)
        XCTAssertEqual(result.merges.merges.map(\.merged), ["lo", "low"])
        XCTAssertEqual(result.stop, .minimumFrequency)
        // Minimum frequency 1 merges until every word is one symbol.
        let all = BPETrainer.train(words, convention: .plain, minimumFrequency: 1)
        XCTAssertEqual(all.stop, .noPairs)
        XCTAssertEqual(all.merges.merges.last?.merged, "lowest")
        // A merge limit of 0 learns nothing.
        XCTAssertEqual(BPETrainer.train(words, convention: .plain, merges: 0).merges.count, 0)
        // A vocabulary already at its size learns nothing.
        XCTAssertEqual(BPETrainer.train(words, convention: .plain, vocabularySize: 3).stop, .vocabularySize)
        // Whichever limit comes first wins.
        XCTAssertEqual(BPETrainer.train(words, convention: .plain, merges: 1, vocabularySize: 100).merges.count, 1)
    }

    /// Overlapping occurrences merge left to right, and the counts stay exact: "a a a a" is
    /// "aa aa", whose pair aa+aa then occurs once per word.
    func testRepeatedSymbolsCountCorrectly() {
        let result = BPETrainer.train(["aaaa": 3, "aaa": 1], convention: .plain, minimumFrequency: 1)
        // a+a: 3 per "aaaa" (positions 0, 1, 2) → 9, plus 2 in "aaa" → 11.
        XCTAssertEqual(result.merges.merges, [BPEMerge("a", "a"), BPEMerge("aa", "aa"), BPEMerge("aa", "a")])
        XCTAssertEqual(result.counts, [11, 3, 1])
    }

    func testUnicodeWordsAreSplitIntoScalars() {
        // Cyrillic (2 bytes each), an accent as its own scalar, an emoji with a skin-tone
        // modifier (two scalars, one Character).
        let words = WordFrequencies(countingWordsIn: "мир мир мир cafe\u{301} cafe\u{301} 👍🏽 👍🏽")
        XCTAssertEqual(words["мир"], 3)
        let result = BPETrainer.train(words, convention: .subwordNMT, minimumFrequency: 2)
        let merged = Set(result.merges.merges.map(\.merged))
        XCTAssertTrue(merged.contains("мир</w>"))
        XCTAssertTrue(merged.contains("cafe\u{301}</w>"))
        XCTAssertTrue(merged.contains("👍🏽</w>"))
        // The accent and the skin tone start as symbols of their own (compared by bytes: as a
        // String, "\u{301}</w>" would also match other spellings).
        let initial = Set(result.vocabulary.map { Array($0.utf8) })
        XCTAssertTrue(initial.contains(Array("\u{301}</w>".utf8)))
        XCTAssertTrue(initial.contains(Array("e".utf8)))
        XCTAssertTrue(initial.contains(Array("и".utf8)))
        XCTAssertTrue(result.merges.merges.contains(BPEMerge("👍", "🏽</w>")))
    }

    /// "é" (U+00E9) and "e" + U+0301 are equal as Swift strings but different words.
    func testWordKeysCompareByBytes() {
        var words = WordFrequencies()
        words.add("\u{E9}", count: 2)
        words.add("e\u{301}", count: 3)
        XCTAssertEqual(words.count, 2)
        XCTAssertEqual(words["\u{E9}"], 2)
        XCTAssertEqual(words["e\u{301}"], 3)
        XCTAssertEqual(WordFrequencies(countingWordsIn: "caf\u{E9} cafe\u{301} caf\u{E9}").count, 2)
        let result = BPETrainer.train(words, convention: .plain, minimumFrequency: 1)
        XCTAssertEqual(result.merges.merges, [BPEMerge("e", "\u{301}")])
        XCTAssertNotEqual(BPEMerge("\u{E9}", "x"), BPEMerge("e\u{301}", "x"))
        XCTAssertEqual(Set([BPEMerge("\u{E9}", "x"), BPEMerge("e\u{301}", "x")]).count, 2)
    }

    /// Words are split as subword-nmt splits them: on spaces and line breaks only.
    func testWordCountingFollowsSubwordNMT() {
        let words = WordFrequencies(countingWordsIn: "a\tb  a\r\nform\u{0C}feed\u{0C}\n \u{0C}\n")
        XCTAssertEqual(words["a\tb"], 1)
        XCTAssertEqual(words["a"], 1)
        XCTAssertEqual(words["form\u{0C}"], 1)   // a form feed ends a line and stays on its word
        XCTAssertEqual(words["feed\u{0C}"], 1)
        XCTAssertEqual(words["\u{0C}"], 1)
        XCTAssertEqual(words.count, 5)
        XCTAssertEqual(words.total, 5)
    }
}
