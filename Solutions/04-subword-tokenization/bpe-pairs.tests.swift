import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `countPairs(in:)`: edge cases, and seeded random corpora against an
/// independent count written here (the library counts pairs inside its trainer, with no public
/// function for it).
final class CountPairsHiddenTests: XCTestCase {
    /// The answer key: every adjacent pair of every word, one `count` per occurrence.
    private func referenceCounts(_ corpus: [[String]: Int]) -> [[String]: Int] {
        var counts: [[String]: Int] = [:]
        for (tokens, count) in corpus {
            for (left, right) in zip(tokens, tokens.dropFirst()) {
                counts[[left, right], default: 0] += count
            }
        }
        return counts
    }

    private func describe(_ counts: [[String]: Int]) -> String {
        counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    private func assertMatches(_ corpus: [[String]: Int], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = countPairs(in: corpus), want = referenceCounts(corpus)
        if got != want {
            XCTFail("\(what): expected [\(describe(want))], got [\(describe(got))]", file: file, line: line)
        }
    }

    /// A random corpus: words of 1 to `maxLength` tokens drawn from `alphabet`, counts 1...20.
    private func randomCorpus(_ rng: inout SeededGenerator, words: Int, alphabet: [String], maxLength: Int) -> [[String]: Int] {
        var corpus: [[String]: Int] = [:]
        for _ in 0..<words {
            let length = 1 + rng.nextInt(below: maxLength)
            let tokens = (0..<length).map { _ in alphabet[rng.nextInt(below: alphabet.count)] }
            corpus[tokens] = 1 + rng.nextInt(below: 20)
        }
        return corpus
    }

    func testTheLectureCorpus() {
        let corpus: [[String]: Int] = [["c", "a", "t"]: 4, ["m", "a", "t"]: 5, ["m", "a", "t", "s"]: 2,
                                       ["m", "a", "t", "e"]: 3, ["a", "t", "e"]: 3, ["e", "a", "t"]: 2]
        XCTAssertEqual(countPairs(in: corpus),
                       [["a", "t"]: 19, ["m", "a"]: 10, ["t", "e"]: 6, ["c", "a"]: 4, ["t", "s"]: 2, ["e", "a"]: 2],
                       "the lecture's first pair table")
    }

    func testAfterSomeMerges() {
        let corpus: [[String]: Int] = [["cat"]: 4, ["mat"]: 5, ["mat", "s"]: 2, ["mat", "e"]: 3, ["at", "e"]: 3, ["e", "at"]: 2]
        XCTAssertEqual(countPairs(in: corpus), [["mat", "s"]: 2, ["mat", "e"]: 3, ["at", "e"]: 3, ["e", "at"]: 2],
                       "tokens longer than one character are counted the same way")
    }

    func testRepeatedPairs() {
        assertMatches([["a", "a", "a", "a"]: 3], "aaaa × 3: three overlapping a + a pairs")
        assertMatches([["a", "b", "a", "b", "a"]: 2, ["b", "a"]: 1], "abab a and ba")
    }

    func testEmptyAndOneTokenWords() {
        XCTAssertEqual(countPairs(in: [[]: 5]), [:], "an empty word has no pairs")
        XCTAssertEqual(countPairs(in: [["x"]: 1, ["yz"]: 9]), [:], "one-token words have no pairs")
        XCTAssertEqual(countPairs(in: [["x"]: 1, ["y", "z"]: 9]), [["y", "z"]: 9])
    }

    func testTokensThatLookAlikeStayApart() {
        // "a b" + "c" and "a" + "bc" concatenate to the same text, but they are different pairs.
        XCTAssertEqual(countPairs(in: [["ab", "c"]: 1, ["a", "bc"]: 1]), [["ab", "c"]: 1, ["a", "bc"]: 1])
    }

    func testNonASCIITokens() {
        assertMatches([["м", "а", "м", "а"]: 3, ["Ð", "°", "Ð", "°"]: 2, ["é", "t", "é"]: 1], "Cyrillic and Latin-1 tokens")
    }

    func testLargeCounts() {
        XCTAssertEqual(countPairs(in: [["t", "h", "e"]: 1_000_000_000, ["t", "h"]: 2_000_000_000]),
                       [["t", "h"]: 3_000_000_000, ["h", "e"]: 1_000_000_000])
    }

    func testRandomCorpora() {
        var rng = SeededGenerator(seed: 41)
        for trial in 0..<60 {
            let alphabet = trial % 2 == 0 ? ["a", "b", "c"] : ["a", "b", "c", "d", "e", "ab", "ba", "cde", "ж"]
            let corpus = randomCorpus(&rng, words: 1 + rng.nextInt(below: 25), alphabet: alphabet, maxLength: 8)
            assertMatches(corpus, "random corpus \(trial)")
        }
    }

    /// The first merge of the library's plain trainer (every pair counts: minimum frequency 1).
    private func libraryFirstMerge(_ words: [String: Int]) -> [String] {
        let result = LecternTokenizers.BPETrainer.train(words, convention: .plain, merges: 1, minimumFrequency: 1)
        return result.merges.merges.map { [$0.left, $0.right] }.first ?? []
    }

    func testTheMostFrequentPairIsTheLibrarysFirstMerge() {
        // The library's plain BPE trainer starts by merging the most frequent pair (ties: the
        // alphabetically first): your counts must single out the same one.
        var rng = SeededGenerator(seed: 42)
        for trial in 0..<40 {
            var words: [String: Int] = [:]
            for _ in 0..<(2 + rng.nextInt(below: 15)) {
                let word = String((0..<(2 + rng.nextInt(below: 6))).map { _ in Array("abcdef")[rng.nextInt(below: 6)] })
                words[word] = 1 + rng.nextInt(below: 30)
            }
            var corpus: [[String]: Int] = [:]
            for (word, count) in words { corpus[word.unicodeScalars.map { String($0) }] = count }
            let counts = countPairs(in: corpus)
            guard let best = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $1.key.lexicographicallyPrecedes($0.key) })
            else { return XCTFail("random table \(trial): words of two or more letters always have pairs") }
            let first = libraryFirstMerge(words)
            XCTAssertEqual(best.key, first, "random table \(trial) \(words.sorted { $0.key < $1.key }): the top pair by your counts")
        }
    }
}
