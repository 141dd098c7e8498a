import XCTest
import LecternCore
import LecternTokenizers

/// Hidden tests for `bestWordPiecePair(in:)`: edge cases, and seeded random corpora against an
/// answer key that ranks the pairs with the library's exact score, `LecternTokenizers.WordPieceScore`
/// (f(ab)/(f(a)·f(b)) compared by cross-multiplying, so ties are exact). The counting around it
/// is written here: the library has no public function that picks the pair from a corpus.
final class WordPieceScoreHiddenTests: XCTestCase {
    private func referenceBest(_ corpus: [[String]: Int]) -> [String]? {
        var tokenCounts: [String: Int] = [:], pairCounts: [[String]: Int] = [:]
        for (tokens, count) in corpus {
            tokens.forEach { tokenCounts[$0, default: 0] += count }
            if tokens.count >= 2 {
                for i in 1..<tokens.count { pairCounts[[tokens[i - 1], tokens[i]], default: 0] += count }
            }
        }
        var best: (pair: [String], score: LecternTokenizers.WordPieceScore)? = nil
        for (pair, count) in pairCounts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let score = LecternTokenizers.WordPieceScore(pairCount: count, leftCount: tokenCounts[pair[0]]!,
                                                         rightCount: tokenCounts[pair[1]]!)
            // Strictly better only: the alphabetically earlier pair keeps a tie.
            if best == nil || score > best!.score { best = (pair, score) }
        }
        return best?.pair
    }

    private func assertMatches(_ corpus: [[String]: Int], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = bestWordPiecePair(in: corpus), want = referenceBest(corpus)
        if got != want {
            XCTFail("\(what): expected \(want.map { "\($0)" } ?? "nil"), got \(got.map { "\($0)" } ?? "nil")", file: file, line: line)
        }
    }

    func testTheLectureCorpusIsAllTies() {
        // a + t: 19/(19·19), m + a: 10/(10·19), c + a: 4/(4·19), t + s: 2/(19·2) are all 1/19.
        let corpus: [[String]: Int] = [["c", "a", "t"]: 4, ["m", "a", "t"]: 5, ["m", "a", "t", "s"]: 2,
                                       ["m", "a", "t", "e"]: 3, ["a", "t", "e"]: 3, ["e", "a", "t"]: 2]
        XCTAssertEqual(bestWordPiecePair(in: corpus), ["a", "t"], "four pairs score exactly 1/19: a + t sorts first")
    }

    func testScoreNotCount() {
        XCTAssertEqual(bestWordPiecePair(in: [["t", "h"]: 1000, ["t"]: 1, ["z", "q"]: 1]), ["z", "q"])
        XCTAssertEqual(bestWordPiecePair(in: [["a", "b"]: 5, ["a"]: 5, ["c", "d"]: 2, ["d"]: 2]), ["c", "d"],
                       "a + b: 5/(10·5) = 0.1, c + d: 2/(2·4) = 0.25")
    }

    func testRepeatedTokens() {
        // f(a) = 4 in "aaaa": a + a occurs 3 times: 3/16. b + c: 1/(1·2) = 0.5.
        XCTAssertEqual(bestWordPiecePair(in: [["a", "a", "a", "a"]: 1, ["b", "c", "c"]: 1]), ["b", "c"])
        assertMatches([["a", "a", "a", "a"]: 1, ["b", "a"]: 2], "runs of a")
    }

    func testMultiCharacterAndPrefixedTokens() {
        assertMatches([["un", "##aff", "##able"]: 3, ["##able"]: 1, ["walk", "##ing"]: 5, ["talk", "##ing"]: 2, ["un", "##do"]: 4],
                      "WordPiece-style tokens")
    }

    func testOneTokenWordsStillCountAsTokens() {
        XCTAssertEqual(bestWordPiecePair(in: [["x", "y"]: 1, ["x"]: 100, ["p", "q"]: 1]), ["p", "q"],
                       "x occurs 101 times in all, so x + y scores 1/101")
    }

    func testNoPairs() {
        XCTAssertNil(bestWordPiecePair(in: [["a"]: 1, ["bc"]: 4, []: 2]))
    }

    func testRandomCorpora() {
        var rng = SeededGenerator(seed: 91)
        for trial in 0..<80 {
            var corpus: [[String]: Int] = [:]
            let alphabet = trial % 2 == 0 ? ["a", "b", "c"] : ["a", "b", "c", "d", "e", "f", "ab", "##a", "##b"]
            for _ in 0..<(1 + rng.nextInt(below: 20)) {
                let tokens = (0..<(1 + rng.nextInt(below: 7))).map { _ in alphabet[rng.nextInt(below: alphabet.count)] }
                corpus[tokens] = 1 + rng.nextInt(below: trial % 3 == 0 ? 2 : 40)
            }
            assertMatches(corpus, "random corpus \(trial)")
        }
    }
}
