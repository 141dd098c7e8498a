import XCTest
import LecternModels

/// Hidden tests for `maskTokens`: draw for draw against the library's
/// `LecternModels.MaskedLanguageModeling` (tokens mapped to ids) on seeded random sentences with
/// padding, several probabilities and several calls in a row on one generator; the exact number
/// of chosen tokens for several lengths; and the generator left where the library leaves it.
final class MLMMaskingHiddenTests: XCTestCase {
    private let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (0..<45).map { "w\($0)" }

    private func library(probability: Double) -> LecternModels.MaskedLanguageModeling {
        LecternModels.MaskedLanguageModeling(maskTokenID: 4, vocabularySize: vocabulary.count, specialTokenIDs: [0, 2, 3],
                                             maskProbability: probability)
    }

    func testMatchesTheLibraryDrawForDraw() {
        var sentenceRNG = SeededGenerator(seed: 541)
        for probability in [0.15, 0.3, 0.5] {
            var mine = SeededGenerator(seed: 542), theirs = SeededGenerator(seed: 542)
            for round in 0..<40 {
                let words = sentenceRNG.nextInt(below: 40)
                let a = (0..<(words / 2)).map { _ in 5 + sentenceRNG.nextInt(below: 45) }
                let b = (0..<(words - words / 2)).map { _ in 5 + sentenceRNG.nextInt(below: 45) }
                let ids = [2] + a + [3] + b + [3] + Array(repeating: 0, count: sentenceRNG.nextInt(below: 5))
                let (input, targets) = maskTokens(ids.map { vocabulary[$0] }, vocabulary: vocabulary, probability: probability, using: &mine)
                let want = library(probability: probability).mask(ids, using: &theirs)
                let what = "probability \(probability), sentence \(round) (\(words) words)"
                XCTAssertEqual(input, want.inputIDs.map { vocabulary[$0] }, what)
                XCTAssertEqual(targets, want.labels.map { $0 == -100 ? nil : vocabulary[$0] }, what)
                if input != want.inputIDs.map({ vocabulary[$0] }) { return }
            }
            XCTAssertEqual(mine.next(), theirs.next(), "after 40 sentences the generators should be in the same state")
        }
    }

    func testTheNumberOfTargets() {
        // words · 0.15, halves rounded to the even neighbour (Python's round), at least 1.
        for (words, count) in [(1, 1), (3, 1), (4, 1), (10, 2), (20, 3), (30, 4), (70, 10), (90, 14)] {
            var rng = SeededGenerator(seed: 543)
            let tokens = ["[CLS]"] + (0..<words).map { "w\($0 % 45)" } + ["[SEP]", "[PAD]"]
            let (_, targets) = maskTokens(tokens, vocabulary: vocabulary, using: &rng)
            XCTAssertEqual(targets.compactMap { $0 }.count, count, "\(words) words")
        }
    }

    func testTheSplitOverManyDraws() {
        var rng = SeededGenerator(seed: 544)
        let tokens = ["[CLS]"] + (0..<40).map { "w\($0)" } + ["[SEP]"]
        let big = (0..<5000).map { "v\($0)" }
        var (masked, kept, replaced) = (0, 0, 0)
        for _ in 0..<1000 {
            let (input, targets) = maskTokens(tokens, vocabulary: big, using: &rng)
            for (i, target) in targets.enumerated() where target != nil {
                if input[i] == "[MASK]" { masked += 1 } else if input[i] == target { kept += 1 } else { replaced += 1 }
            }
        }
        let total = Double(masked + kept + replaced)
        XCTAssertEqual(total, 6000, "40 words → 6 targets per sentence")
        XCTAssertEqual(Double(masked) / total, 0.8, accuracy: 0.02)
        XCTAssertEqual(Double(kept) / total, 0.1, accuracy: 0.02)
        XCTAssertEqual(Double(replaced) / total, 0.1, accuracy: 0.02)
    }
}
