// WordPiece training with the lecture's score f(ab) / (f(a)·f(b)), worked by hand on the
// lecture's BPE example (cat 4, mat 5, mats 2, mate 3, ate 3, eat 2), and end to end.
import XCTest
@testable import LecternTokenizers

final class WordPieceTrainerTests: XCTestCase {
    func testScoreIsComparedExactly() {
        let quarter = WordPieceScore(pairCount: 1, leftCount: 2, rightCount: 2)
        XCTAssertEqual(quarter.value, 0.25)
        XCTAssertEqual(quarter, WordPieceScore(pairCount: 2, leftCount: 2, rightCount: 4))
        XCTAssertLessThan(WordPieceScore(pairCount: 1, leftCount: 3, rightCount: 1), WordPieceScore(pairCount: 1, leftCount: 2, rightCount: 1))
        // Products beyond 64 bits still compare exactly.
        let big = WordPieceScore(pairCount: 3_000_000_000, leftCount: 4_000_000_000, rightCount: 4_000_000_000)
        XCTAssertLessThan(big, WordPieceScore(pairCount: 3_000_000_001, leftCount: 4_000_000_000, rightCount: 4_000_000_000))
    }

    func testLectureExampleByHand() {
        // Characters, continuations marked:  c ##a ##t ×4, m ##a ##t ×5, m ##a ##t ##s ×2,
        // m ##a ##t ##e ×3, a ##t ##e ×3, e ##a ##t ×2.
        // Counts: c 4, m 10, a 3, e 2, ##a 16, ##t 19, ##s 2, ##e 6.
        // Scores: (c,##a) 4/(4·16) = 1/16, (m,##a) 10/(10·16) = 1/16, (e,##a) 2/(2·16) = 1/16,
        //         (##a,##t) 16/(16·19) = 1/19, (a,##t) 3/(3·19), (##t,##s) 2/(19·2), (##t,##e) 6/(19·6): 1/19.
        // BPE would merge ##a ##t first (16 times, the most frequent pair); WordPiece prefers pairs
        // whose parts rarely occur apart. Three pairs tie at 1/16: the most frequent, "ma", wins.
        // Then ##a is 6: (c,##a) = (e,##a) = 1/6 → "ca" (4 beats 2); then ##a is 2: (e,##a) = 2/(2·2) → "ea".
        // Now ##t (19) follows ca, ma, ea, a: every ##t pair scores 1/19, and "mat" (10) wins.
        let trainer = WordPieceTrainer(vocabularySize: 100, minimumFrequency: 1)
        let output = trainer.train(wordCounts: ["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2])
        XCTAssertEqual(output.merges.prefix(5).map(\.token), ["ma", "ca", "ea", "mat", "cat"])
        XCTAssertEqual(output.merges[0].score, WordPieceScore(pairCount: 10, leftCount: 10, rightCount: 16))
        XCTAssertEqual(output.merges[1].score, WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 6))
        XCTAssertEqual(output.merges[2].score, WordPieceScore(pairCount: 2, leftCount: 2, rightCount: 2))
        XCTAssertEqual(output.merges[3].score, WordPieceScore(pairCount: 10, leftCount: 10, rightCount: 19))
        // (ca,##t) 4/(4·9) = 1/9 ties with (ea,##t) and (a,##t); 4 is the most frequent.
        XCTAssertEqual(output.merges[4].score, WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 9))
        XCTAssertEqual(Array(output.tokens.prefix(13)),
                       ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "##a", "##e", "##s", "##t", "a", "c", "e", "m"])
        // Training ends when no pair is left: every word is one token.
        let tokenizer = output.tokenizer()
        for word in ["cat", "mat", "mats", "mate", "ate", "eat"] { XCTAssertEqual(tokenizer.tokenize(word), [word]) }
    }

    func testVocabularySizeIsReachedAndTheTokenizerRoundTrips() throws {
        let text = Array(repeating: "the quick brown fox jumps over the lazy dog; the dog sleeps, the fox runs.", count: 20)
        let output = WordPieceTrainer(vocabularySize: 70).train(texts: text)
        XCTAssertEqual(output.tokens.count, 70)
        XCTAssertEqual(Set(output.tokens).count, 70)
        XCTAssertTrue(output.vocabTXT.hasPrefix("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n"))
        let tokenizer = try BertWordPieceTokenizer(vocabTXT: Data(output.vocabTXT.utf8), path: "vocab.txt")
        XCTAssertEqual(tokenizer.decode(tokenizer.encode("The fox sleeps.").ids), "the fox sleeps.")
        XCTAssertFalse(tokenizer.encode("The fox sleeps.").tokens.contains("[UNK]"))
    }

    func testMinimumFrequencyStopsEarly() {
        let output = WordPieceTrainer(vocabularySize: 1000, minimumFrequency: 3).train(wordCounts: ["ab": 2, "cd": 3])
        XCTAssertEqual(output.merges.map(\.token), ["cd"])
    }

    func testIncrementalTrainingMatchesRecountingEverythingEachStep() {
        // The trainer updates counts and scores incrementally through a priority queue; this
        // recomputes every count and score from scratch before each merge, with the same
        // tie-breaks, and must choose the same merges.
        let text = """
        The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs!
        How vexingly quick daft zebras jump; the five boxing wizards jump quickly.
        Sphinx of black quartz, judge my vow. Jackdaws love my big sphinx of quartz.
        Чудесный день, чудесные дни; café, cafés, naïve, naïveté, résumé, résumés.
        """
        let trainer = WordPieceTrainer(vocabularySize: 400, minimumFrequency: 1)
        let counts = trainer.wordCounts(text.split(separator: "\n").map(String.init))
        let fast = trainer.train(counts: counts).merges.map { [$0.left, $0.right, $0.token] }
        XCTAssertGreaterThan(fast.count, 100)
        XCTAssertEqual(fast, Self.slowMerges(counts, limit: fast.count))
    }

    /// WordPiece training the obvious way: recount, rescore, merge the best, repeat.
    static func slowMerges(_ counts: [[UInt8]: Int], limit: Int) -> [[String]] {
        var ids: [[UInt8]: Int] = [:]
        var words: [([[UInt8]], Int)] = counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { word, count in
            var pieces: [[UInt8]] = []
            for scalar in String(decoding: word, as: UTF8.self).unicodeScalars {
                pieces.append((pieces.isEmpty ? [] : Array("##".utf8)) + Array(String(scalar).utf8))
            }
            return (pieces, count)
        }
        for symbol in Set(words.flatMap(\.0)).sorted(by: { $0.lexicographicallyPrecedes($1) }) { ids[symbol] = ids.count }
        var merges: [[String]] = []
        while merges.count < limit {
            var symbolCounts: [[UInt8]: Int] = [:]
            var pairCounts: [[[UInt8]]: Int] = [:]
            for (pieces, count) in words {
                for piece in pieces { symbolCounts[piece, default: 0] += count }
                for (a, b) in zip(pieces, pieces.dropFirst()) { pairCounts[[a, b], default: 0] += count }
            }
            let best = pairCounts.max { x, y in
                let sx = WordPieceScore(pairCount: x.value, leftCount: symbolCounts[x.key[0]]!, rightCount: symbolCounts[x.key[1]]!)
                let sy = WordPieceScore(pairCount: y.value, leftCount: symbolCounts[y.key[0]]!, rightCount: symbolCounts[y.key[1]]!)
                if sx != sy { return sx < sy }
                if x.value != y.value { return x.value < y.value }
                let (xl, xr, yl, yr) = (ids[x.key[0]]!, ids[x.key[1]]!, ids[y.key[0]]!, ids[y.key[1]]!)
                return xl != yl ? xl > yl : xr > yr
            }
            guard let (pair, _) = best else { break }
            let merged = pair[0] + pair[1].dropFirst(2)
            if ids[merged] == nil { ids[merged] = ids.count }
            merges.append(pair.map { String(decoding: $0, as: UTF8.self) } + [String(decoding: merged, as: UTF8.self)])
            words = words.map { pieces, count in
                var out: [[UInt8]] = []
                var index = 0
                while index < pieces.count {
                    if index + 1 < pieces.count, pieces[index] == pair[0], pieces[index + 1] == pair[1] {
                        out.append(merged)
                        index += 2
                    } else {
                        out.append(pieces[index])
                        index += 1
                    }
                }
                return (out, count)
            }
        }
        return merges
    }
}
