import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `mergePair(_:in:)`: edge cases, the lecture's corpus merge by merge, and
/// seeded random corpora against an independent implementation written here.
final class MergePairHiddenTests: XCTestCase {
    /// The answer key, written differently from the lesson's solution: peel tokens off the
    /// front of the word, recursively.
    private func referenceMerge(_ pair: [String], _ tokens: ArraySlice<String>) -> [String] {
        guard let first = tokens.first else { return [] }
        if tokens.count >= 2, first == pair[0], tokens[tokens.startIndex + 1] == pair[1] {
            return [pair[0] + pair[1]] + referenceMerge(pair, tokens.dropFirst(2))
        }
        return [first] + referenceMerge(pair, tokens.dropFirst())
    }

    private func referenceMerge(_ pair: [String], in corpus: [[String]: Int]) -> [[String]: Int] {
        var merged: [[String]: Int] = [:]
        for (tokens, count) in corpus { merged[referenceMerge(pair, tokens[...]), default: 0] += count }
        return merged
    }

    private func describe(_ corpus: [[String]: Int]) -> String {
        corpus.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    private func assertMatches(_ pair: [String], _ corpus: [[String]: Int], _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let got = mergePair(pair, in: corpus), want = referenceMerge(pair, in: corpus)
        if got != want {
            XCTFail("\(what): merging \(pair) in [\(describe(corpus))]: expected [\(describe(want))], got [\(describe(got))]",
                    file: file, line: line)
        }
    }

    func testTheLectureMergesOneByOne() {
        var corpus: [[String]: Int] = [["c", "a", "t"]: 4, ["m", "a", "t"]: 5, ["m", "a", "t", "s"]: 2,
                                       ["m", "a", "t", "e"]: 3, ["a", "t", "e"]: 3, ["e", "a", "t"]: 2]
        corpus = mergePair(["a", "t"], in: corpus)
        XCTAssertEqual(corpus, [["c", "at"]: 4, ["m", "at"]: 5, ["m", "at", "s"]: 2, ["m", "at", "e"]: 3, ["at", "e"]: 3, ["e", "at"]: 2],
                       "after a + t")
        corpus = mergePair(["m", "at"], in: corpus)
        corpus = mergePair(["c", "at"], in: corpus)
        corpus = mergePair(["at", "e"], in: corpus)
        XCTAssertEqual(corpus, [["cat"]: 4, ["mat"]: 5, ["mat", "s"]: 2, ["mat", "e"]: 3, ["ate"]: 3, ["e", "at"]: 2],
                       "after m + at, c + at and at + e: 'mat e' is untouched by at + e")
        corpus = mergePair(["mat", "e"], in: corpus)
        XCTAssertEqual(corpus, [["cat"]: 4, ["mat"]: 5, ["mat", "s"]: 2, ["mate"]: 3, ["ate"]: 3, ["e", "at"]: 2],
                       "after mat + e")
    }

    func testOverlaps() {
        XCTAssertEqual(mergePair(["a", "a"], in: [["a", "a", "a"]: 2]), [["aa", "a"]: 2], "left to right: aa a, not a aa")
        XCTAssertEqual(mergePair(["a", "a"], in: [["a", "a", "a", "a", "a"]: 1]), [["aa", "aa", "a"]: 1])
        XCTAssertEqual(mergePair(["a", "b"], in: [["a", "b", "a", "b"]: 1]), [["ab", "ab"]: 1], "every occurrence")
        XCTAssertEqual(mergePair(["b", "a"], in: [["a", "b", "a", "b"]: 1]), [["a", "ba", "b"]: 1])
    }

    func testOrderMatters() {
        XCTAssertEqual(mergePair(["t", "a"], in: [["a", "t"]: 1]), [["a", "t"]: 1], "t + a is not a + t")
    }

    func testNothingToMerge() {
        XCTAssertEqual(mergePair(["x", "y"], in: [:]), [:], "an empty corpus stays empty")
        let corpus: [[String]: Int] = [["x"]: 3, []: 1, ["xy"]: 2, ["y", "x"]: 4]
        XCTAssertEqual(mergePair(["x", "y"], in: corpus), corpus, "no adjacent x, y anywhere")
    }

    func testMatchesWholeTokensOnly() {
        XCTAssertEqual(mergePair(["a", "t"], in: [["ma", "t"]: 1, ["a", "te"]: 1, ["a", "t"]: 1]),
                       [["ma", "t"]: 1, ["a", "te"]: 1, ["at"]: 1], "ma + t and a + te are other pairs")
    }

    func testCollisionsAddCounts() {
        XCTAssertEqual(mergePair(["a", "b"], in: [["a", "b"]: 1, ["ab"]: 2]), [["ab"]: 3])
        XCTAssertEqual(mergePair(["x", "y"], in: [["x", "y", "z"]: 1, ["xy", "z"]: 10, ["z"]: 5]), [["xy", "z"]: 11, ["z"]: 5])
    }

    func testNonASCII() {
        XCTAssertEqual(mergePair(["Ð", "°"], in: [["Ð", "°", "Ð", "¼"]: 2]), [["Ð°", "Ð", "¼"]: 2])
        assertMatches(["м", "а"], [["м", "а", "м", "а"]: 3, ["р", "а", "м", "у"]: 1], "Cyrillic")
    }

    func testRandomCorpora() {
        var rng = SeededGenerator(seed: 51)
        let alphabet = ["a", "b", "c", "ab", "ba", "bc", "abc"]
        for trial in 0..<80 {
            var corpus: [[String]: Int] = [:]
            for _ in 0..<(1 + rng.nextInt(below: 20)) {
                let tokens = (0..<(1 + rng.nextInt(below: 9))).map { _ in alphabet[rng.nextInt(below: alphabet.count)] }
                corpus[tokens] = 1 + rng.nextInt(below: 50)
            }
            // Usually a pair that occurs (taken from a random word), sometimes any pair at all.
            var pair = [alphabet[rng.nextInt(below: alphabet.count)], alphabet[rng.nextInt(below: alphabet.count)]]
            let words = corpus.keys.sorted { $0.lexicographicallyPrecedes($1) }.filter { $0.count >= 2 }
            if rng.nextInt(below: 4) > 0, !words.isEmpty {
                let word = words[rng.nextInt(below: words.count)]
                let i = rng.nextInt(below: word.count - 1)
                pair = [word[i], word[i + 1]]
            }
            assertMatches(pair, corpus, "random corpus \(trial)")
        }
    }

    func testTotalCountIsKept() {
        var rng = SeededGenerator(seed: 52)
        var corpus: [[String]: Int] = [:]
        for _ in 0..<30 {
            corpus[(0..<(1 + rng.nextInt(below: 6))).map { _ in ["a", "b", "ab"][rng.nextInt(below: 3)] }] = 1 + rng.nextInt(below: 9)
        }
        let merged = mergePair(["a", "b"], in: corpus)
        XCTAssertEqual(merged.values.reduce(0, +), corpus.values.reduce(0, +), "a merge never adds or loses word occurrences")
    }
}
