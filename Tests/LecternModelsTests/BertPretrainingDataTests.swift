// BERT's pre-training data (Devlin et al. 2019, §3.1; Google's create_pretraining_data.py):
//   - MaskedLanguageModeling: the number of chosen positions for several lengths (schoolbook
//     rounding, the floor of 1, the cap), special tokens never chosen, labels −100 except at
//     chosen positions, the 80/10/10 split and the uniform choice of positions measured over many
//     draws, determinism per seed, the batch form against one row at a time, and one masking
//     worked out by hand from the generator's raw draws;
//   - nextSentencePairs: one pair per sentence with a successor, IsNext pairs really consecutive,
//     NotNext sentences from another document, the 50/50 split, the two extreme probabilities,
//     determinism, and one small example worked out by hand from the raw draws.
import Foundation
import LecternModels
import XCTest

// MARK: - Masked language modelling

/// [CLS] = 2, [SEP] = 3, [PAD] = 0, [MASK] = 4; words are 10 and up.
private let specials: Set<Int> = [0, 2, 3]

/// [CLS] w … w [SEP] with `words` word ids 10, 11, …
private func sentence(words: Int) -> [Int] { [2] + (0..<words).map { 10 + $0 % 20 } + [3] }

final class MaskedLanguageModelingTests: XCTestCase {
    func testTheNumberOfChosenPositions() {
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials)
        // words · 0.15, halves rounded to even as Python's round does, at least 1 when there is a word.
        let expected = [0: 0, 1: 1, 3: 1, 4: 1, 10: 2, 20: 3, 30: 4, 70: 10, 100: 15, 126: 19, 510: 76]
        for (words, count) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(masking.predictionCount(candidates: words), count, "\(words) candidates")
            for seed: UInt64 in 0..<5 {
                var rng = SeededGenerator(seed: seed)
                let (_, labels) = masking.mask(sentence(words: words), using: &rng)
                XCTAssertEqual(labels.filter { $0 != -100 }.count, count, "\(words) words, seed \(seed)")
            }
        }
    }

    func testTheCapAndTheProbability() {
        var capped = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials, maxPredictions: 20)
        XCTAssertEqual(capped.predictionCount(candidates: 510), 20, "Google's max_predictions_per_seq")
        XCTAssertEqual(capped.predictionCount(candidates: 100), 15)
        capped.maskProbability = 0.5
        XCTAssertEqual(capped.predictionCount(candidates: 9), 4, "4.5 rounds to the even 4")
        XCTAssertEqual(capped.predictionCount(candidates: 11), 6, "5.5 rounds to the even 6")
        capped.maskProbability = 0
        XCTAssertEqual(capped.predictionCount(candidates: 9), 1, "never fewer than one")
        var rng = SeededGenerator(seed: 1)
        XCTAssertEqual(capped.mask(sentence(words: 300), using: &rng).labels.filter { $0 != -100 }.count, 1)
    }

    func testSpecialTokensAreNeverChosenAndLabelsAreIgnoredElsewhere() {
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 1000, specialTokenIDs: specials,
                                             maskProbability: 0.5)
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            // [CLS] A [SEP] B [SEP] [PAD] [PAD]
            let ids = [2, 10, 11, 12, 3, 13, 14, 3, 0, 0]
            let (input, labels) = masking.mask(ids, using: &rng)
            XCTAssertEqual(input.count, ids.count)
            XCTAssertEqual(labels.count, ids.count)
            for i in ids.indices {
                if specials.contains(ids[i]) {
                    XCTAssertEqual(labels[i], -100, "a special token is never a target")
                    XCTAssertEqual(input[i], ids[i], "a special token is never replaced")
                } else if labels[i] == -100 {
                    XCTAssertEqual(input[i], ids[i], "a position that is not chosen keeps its id")
                } else {
                    XCTAssertEqual(labels[i], ids[i], "the label is the original id")
                }
            }
        }
    }

    func testTheEightyTenTenSplitAndUniformPositions() {
        // 100 words per sequence → 15 chosen; 4000 sequences → 60,000 chosen positions. A random
        // replacement equals the original with probability 1/V, tiny for V = 10,000.
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 10_000, specialTokenIDs: specials)
        let ids = [2] + (100..<200) + [3]
        var rng = SeededGenerator(seed: 2024)
        var masked = 0, kept = 0, random = 0
        var chosenAt = Array(repeating: 0, count: ids.count)
        for _ in 0..<4000 {
            let (input, labels) = masking.mask(ids, using: &rng)
            for i in ids.indices where labels[i] != -100 {
                chosenAt[i] += 1
                if input[i] == 4 { masked += 1 } else if input[i] == ids[i] { kept += 1 } else { random += 1 }
            }
        }
        let total = Double(masked + kept + random)
        XCTAssertEqual(total, 60_000)
        XCTAssertEqual(Double(masked) / total, 0.8, accuracy: 0.01, "[MASK]")
        XCTAssertEqual(Double(kept) / total, 0.1, accuracy: 0.01, "unchanged")
        XCTAssertEqual(Double(random) / total, 0.1, accuracy: 0.01, "random token")
        XCTAssertEqual(chosenAt.first, 0)
        XCTAssertEqual(chosenAt.last, 0)
        for i in 1...100 {
            // Each word is chosen with probability 15/100: 600 of 4000, binomial std ≈ 22.6.
            XCTAssertEqual(Double(chosenAt[i]), 600, accuracy: 120, "position \(i) chosen \(chosenAt[i]) times")
        }
    }

    func testTheSameSeedGivesTheSameMasking() {
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let ids = sentence(words: 60)
        let first = masking.mask(ids, using: &a), second = masking.mask(ids, using: &b), other = masking.mask(ids, using: &c)
        XCTAssertEqual(first.inputIDs, second.inputIDs)
        XCTAssertEqual(first.labels, second.labels)
        XCTAssertNotEqual(first.labels, other.labels, "another seed chooses other positions")
    }

    func testTheBatchIsOneRowAfterAnother() {
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials)
        let batch = [sentence(words: 12), sentence(words: 5) + [0, 0, 0, 0, 0, 0, 0], sentence(words: 30)]
        var batchRNG = SeededGenerator(seed: 77), rowRNG = SeededGenerator(seed: 77)
        let together = masking.mask(batch: batch, using: &batchRNG)
        for (r, row) in batch.enumerated() {
            let alone = masking.mask(row, using: &rowRNG)
            XCTAssertEqual(together.inputIDs[r], alone.inputIDs, "row \(r)")
            XCTAssertEqual(together.labels[r], alone.labels, "row \(r)")
        }
        XCTAssertEqual(Array(together.labels[1].suffix(7)), Array(repeating: -100, count: 7), "padding is never chosen")
    }

    /// Worked by hand. [CLS] w1 … w10 [SEP] with word ids 10 … 19, maskProbability 0.3:
    /// 10 candidates (positions 1 … 10) · 0.3 = 3 positions.
    func testAMaskingWorkedOutByHand() {
        // The raw draws of SeededGenerator(seed: 14), in the order the algorithm makes them.
        var raw = SeededGenerator(seed: 14)
        let swaps = stride(from: 9, to: 0, by: -1).map { raw.nextInt(below: $0 + 1) }
        XCTAssertEqual(swaps, [7, 5, 7, 6, 1, 3, 0, 2, 1], "nextInt(below: i + 1) for i = 9, 8, …, 1")
        XCTAssertEqual(raw.nextUniform(), 0.7320406, accuracy: 1e-7)    // position 3: < 0.8 → [MASK]
        XCTAssertEqual(raw.nextUniform(), 0.86109376, accuracy: 1e-7)   // position 5: ≥ 0.8, so a second draw:
        XCTAssertEqual(raw.nextUniform(), 0.83710957, accuracy: 1e-7)   //   ≥ 0.5 → a random id:
        XCTAssertEqual(raw.nextInt(below: 30), 20)                      //   20
        XCTAssertEqual(raw.nextUniform(), 0.8117078, accuracy: 1e-7)    // position 9: ≥ 0.8, second draw:
        XCTAssertEqual(raw.nextUniform(), 0.1504901, accuracy: 1e-7)    //   < 0.5 → unchanged
        // The shuffle of [1, 2, …, 10]: swap index 9 with 7, 8 with 5, 7 with 7, 6 with 6, 5 with 1,
        // 4 with 3, 3 with 0, 2 with 2, 1 with 1 → [5, 9, 3, 1, 4, 2, 7, 10, 6, 8]. The first three,
        // sorted: positions 3, 5, 9, whose ids are 12, 14, 18.
        let ids = [2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 3]
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials, maskProbability: 0.3)
        var rng = SeededGenerator(seed: 14)
        let (input, labels) = masking.mask(ids, using: &rng)
        XCTAssertEqual(input, [2, 10, 11, 4, 13, 20, 15, 16, 17, 18, 19, 3])
        XCTAssertEqual(labels, [-100, -100, -100, 12, -100, 14, -100, -100, -100, 18, -100, -100])
    }

    func testNoCandidatesNoDraws() {
        let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: specials)
        var rng = SeededGenerator(seed: 3), untouched = SeededGenerator(seed: 3)
        let (input, labels) = masking.mask([2, 3, 0, 0], using: &rng)
        XCTAssertEqual(input, [2, 3, 0, 0])
        XCTAssertEqual(labels, [-100, -100, -100, -100])
        XCTAssertEqual(rng.next(), untouched.next(), "nothing to choose: the generator does not advance")
        XCTAssertEqual(masking.mask([], using: &rng).labels, [])
    }
}

// MARK: - Next sentence prediction

final class NextSentencePairsTests: XCTestCase {
    private let documents = [["a1", "a2", "a3"], ["b1", "b2"], ["c1"]]

    func testOnePairPerSentenceWithASuccessor() {
        var rng = SeededGenerator(seed: 0)
        let pairs = nextSentencePairs(documents: documents, using: &rng)
        XCTAssertEqual(pairs.map(\.first), ["a1", "a2", "b1"], "c1 has no next sentence; a3 and b2 neither")
    }

    func testIsNextIsConsecutiveAndNotNextComesFromAnotherDocument() {
        var rng = SeededGenerator(seed: 11)
        let corpus = (0..<20).map { d in (0..<(1 + d % 6)).map { "d\(d)s\($0)" } }
        let documentOf = Dictionary(uniqueKeysWithValues: corpus.enumerated().flatMap { d, doc in doc.map { ($0, d) } })
        for _ in 0..<20 {
            for pair in nextSentencePairs(documents: corpus, using: &rng) {
                let (da, db) = (documentOf[pair.first]!, documentOf[pair.second]!)
                if pair.isNext {
                    XCTAssertEqual(pair.label, 0)
                    let index = corpus[da].firstIndex(of: pair.first)!
                    XCTAssertEqual(pair.second, corpus[da][index + 1], "IsNext: B is A's next sentence")
                } else {
                    XCTAssertEqual(pair.label, 1)
                    XCTAssertNotEqual(da, db, "NotNext: B comes from another document")
                }
            }
        }
    }

    func testFiftyFifty() {
        var rng = SeededGenerator(seed: 12)
        let corpus = (0..<50).map { d in (0..<10).map { d * 100 + $0 } }       // 450 pairs per call
        var isNext = 0, total = 0
        for _ in 0..<20 {
            let pairs = nextSentencePairs(documents: corpus, using: &rng)
            isNext += pairs.filter(\.isNext).count
            total += pairs.count
        }
        XCTAssertEqual(total, 9000)
        XCTAssertEqual(Double(isNext) / Double(total), 0.5, accuracy: 0.02)
    }

    func testTheExtremeProbabilities() {
        var rng = SeededGenerator(seed: 13)
        XCTAssertEqual(Set(nextSentencePairs(documents: documents, isNextProbability: 1, using: &rng).map(\.label)), [0])
        XCTAssertEqual(Set(nextSentencePairs(documents: documents, isNextProbability: 0, using: &rng).map(\.label)), [1])
    }

    func testTheSameSeedGivesTheSamePairs() {
        var a = SeededGenerator(seed: 21), b = SeededGenerator(seed: 21)
        let corpus = (0..<10).map { d in (0..<5).map { [d, $0] } }              // sentences as token ids
        XCTAssertEqual(nextSentencePairs(documents: corpus, using: &a), nextSentencePairs(documents: corpus, using: &b))
    }

    /// Worked by hand from the raw draws of SeededGenerator(seed: 3).
    func testPairsWorkedOutByHand() {
        var raw = SeededGenerator(seed: 3)
        XCTAssertEqual(raw.nextUniform(), 0.69063824, accuracy: 1e-7)   // a1: ≥ 0.5 → NotNext;
        XCTAssertEqual(raw.nextInt(below: 2), 1)                        //   other documents [b, c]: c
        XCTAssertEqual(raw.nextInt(below: 1), 0)                        //   its sentence 0: c1
        XCTAssertEqual(raw.nextUniform(), 0.5339616, accuracy: 1e-7)    // a2: ≥ 0.5 → NotNext;
        XCTAssertEqual(raw.nextInt(below: 2), 0)                        //   other documents [b, c]: b
        XCTAssertEqual(raw.nextInt(below: 2), 0)                        //   its sentence 0: b1
        XCTAssertEqual(raw.nextUniform(), 0.21016759, accuracy: 1e-7)   // b1: < 0.5 → IsNext (b1, b2)
        var rng = SeededGenerator(seed: 3)
        XCTAssertEqual(nextSentencePairs(documents: documents, using: &rng),
                       [NextSentencePair(first: "a1", second: "c1", label: 1),
                        NextSentencePair(first: "a2", second: "b1", label: 1),
                        NextSentencePair(first: "b1", second: "b2", label: 0)])
    }
}
