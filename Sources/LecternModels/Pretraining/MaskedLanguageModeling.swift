// BERT's masked-language-model corruption: choose 15 % of the tokens, replace 80 % of those by
// [MASK], 10 % by a random token and keep 10 %, and remember the originals as labels.
//
// Reference: Google's original `create_pretraining_data.py` (google-research/bert,
// `create_masked_lm_predictions`) and Devlin et al. (2019), "BERT", §3.1 and Appendix A.1. The
// algorithm here is Google's with every random step spelled out, so that a student can
// reproduce a masking exactly from the seed:
//
//  1. The candidates are the positions whose id is not in `specialTokenIDs` ([CLS], [SEP],
//     [PAD], …), in increasing order.
//  2. count = 0 if there are no candidates, else
//     min(maxPredictions, max(1, Int((Double(candidates.count) · maskProbability).rounded(.toNearestOrEven)))).
//     Python's `round`, which Google's script uses, rounds halves to the even neighbour
//     (banker's rounding), and so does this: 30 candidates give 4.5 → 4, 70 give 10.5 → 10,
//     10 give 1.5 → 2. (Swift's plain `.rounded()` would round every half away from zero, 4.5 → 5.) Google also counts every token of the sequence,
//     [CLS] and [SEP] included (`len(tokens)`); here only the candidates count.
//  3. The candidates are shuffled with `SeededGenerator.shuffle(_:)`: a Fisher–Yates
//     (Durstenfeld) shuffle that walks i from the last index down to 1 and swaps element i with
//     element `nextInt(below: i + 1)`; `nextInt(below: n)` is the high 64 bits of
//     `next() · n` (Lemire's multiply-and-reject, which redraws only when the low 64 bits are
//     below 2⁶⁴ mod n: practically never for small n). The first `count` shuffled candidates are
//     chosen and sorted into increasing order.
//  4. For each chosen position, in increasing order: if `nextUniform() < 0.8` the token becomes
//     `maskTokenID`; otherwise, if a second `nextUniform() < 0.5`, the token is kept; otherwise
//     it becomes `nextInt(below: vocabularySize)` (which may, by chance, be the original id or a
//     special token, as in Google's script and in Hugging Face's collator). So the first draw
//     decides [MASK] (80 %), and only a position that is not masked draws a second time.
//  5. The labels are the original ids at the chosen positions and −100 everywhere else,
//     Hugging Face's `ignore_index` (the loss skips those positions).
//
// Differences from Google's script besides the count: Google decides the replacement while
// walking the shuffled order and sorts afterwards, and draws with Python's `random` (a Mersenne
// Twister), so the same seed does not give the same masks; Google's optional whole-word masking
// is not implemented. Hugging Face's `DataCollatorForLanguageModeling` differs more: it flips a
// coin with probability 0.15 for every token (so the count varies from sequence to sequence),
// then 0.8 for [MASK] and 0.5 of the rest for a random token. RoBERTa's "dynamic masking" is
// simply calling `mask` again for every epoch instead of once when the data is prepared.

/// BERT's masking rule for masked-language-model pre-training: which tokens the model must
/// guess, what it sees in their place, and the labels for the loss.
///
///     // ids: [CLS]=2 the=5 cat=6 sat=7 on=8 the=5 mat=9 [SEP]=3
///     let masking = MaskedLanguageModeling(maskTokenID: 4, vocabularySize: 30, specialTokenIDs: [0, 2, 3])
///     var rng = SeededGenerator(seed: 0)
///     let (inputIDs, labels) = masking.mask([2, 5, 6, 7, 8, 5, 9, 3], using: &rng)
///     // 6 candidates · 0.15 = 0.9 → 1 position chosen; labels are −100 except there
///
/// The algorithm, step by step, is in the comment at the top of this file; the same generator
/// state always gives the same masking.
public struct MaskedLanguageModeling: Sendable {
    /// Hugging Face's ignore index: the label of every position the loss must skip.
    ///
    ///     labels.filter { $0 != MaskedLanguageModeling.ignoreIndex }   // the ids to predict
    public static let ignoreIndex = -100

    /// The fraction of the candidate tokens to choose (BERT: 0.15).
    ///
    ///     masking.maskProbability = 0.3   // a harder task, as some later models use
    public var maskProbability: Double = 0.15
    /// The most positions chosen in one sequence (Google's `max_predictions_per_seq`: 20 for
    /// sequences of 128, 80 for 512). Default: no limit.
    ///
    ///     masking.maxPredictions = 20
    public var maxPredictions: Int = .max
    /// The id of `[MASK]`.
    ///
    ///     masking.maskTokenID   // 103 in bert-base-uncased
    public var maskTokenID: Int
    /// The number of ids; random replacements are drawn uniformly from `0..<vocabularySize`.
    ///
    ///     masking.vocabularySize   // 30522 in bert-base-uncased
    public var vocabularySize: Int
    /// Ids that are never chosen: [CLS], [SEP], [PAD] (and any other special token).
    ///
    ///     masking.specialTokenIDs   // [0, 101, 102] in bert-base-uncased
    public var specialTokenIDs: Set<Int>

    /// A masking rule with BERT's defaults: 15 % of the candidates, 80/10/10, no cap.
    ///
    ///     let masking = MaskedLanguageModeling(maskTokenID: 103, vocabularySize: 30522,
    ///                                          specialTokenIDs: [0, 101, 102], maxPredictions: 20)
    ///
    /// - Precondition: `vocabularySize > 0`, `maskProbability` in [0, 1], `maxPredictions ≥ 0`.
    public init(maskTokenID: Int, vocabularySize: Int, specialTokenIDs: Set<Int>,
                maskProbability: Double = 0.15, maxPredictions: Int = .max) {
        self.maskTokenID = maskTokenID
        self.vocabularySize = vocabularySize
        self.specialTokenIDs = specialTokenIDs
        self.maskProbability = maskProbability
        self.maxPredictions = maxPredictions
    }

    /// How many positions are chosen in a sequence with `candidates` maskable tokens:
    /// min(maxPredictions, max(1, round(candidates · maskProbability))), or 0 without candidates.
    ///
    ///     masking.predictionCount(candidates: 20)   // 3 (20 · 0.15 = 3)
    ///     masking.predictionCount(candidates: 30)   // 4 (4.5 rounds to even, as Python's round)
    public func predictionCount(candidates: Int) -> Int {
        guard candidates > 0 else { return 0 }
        let rounded = Int((Double(candidates) * maskProbability).rounded(.toNearestOrEven))   // Python's round
        return min(maxPredictions, max(1, rounded))
    }

    /// One sequence, masked: the ids the model reads and the labels (the original id at each
    /// chosen position, −100 elsewhere).
    ///
    ///     var rng = SeededGenerator(seed: 42)
    ///     let (inputIDs, labels) = masking.mask(ids, using: &rng)
    ///     let loss = crossEntropy(logits: model(inputIDs), targets: labels)   // −100 skipped
    ///
    /// The generator advances; the same generator state gives the same result.
    public func mask(_ ids: [Int], using generator: inout SeededGenerator) -> (inputIDs: [Int], labels: [Int]) {
        checkArguments()
        var candidates = ids.indices.filter { !specialTokenIDs.contains(ids[$0]) }
        let count = predictionCount(candidates: candidates.count)
        var inputIDs = ids
        var labels = Array(repeating: Self.ignoreIndex, count: ids.count)
        guard count > 0 else { return (inputIDs, labels) }
        generator.shuffle(&candidates)
        for position in candidates.prefix(count).sorted() {
            labels[position] = ids[position]
            if generator.nextUniform() < 0.8 {
                inputIDs[position] = maskTokenID                                     // 80 %: [MASK]
            } else if generator.nextUniform() < 0.5 {
                continue                                                             // 10 %: unchanged
            } else {
                inputIDs[position] = generator.nextInt(below: vocabularySize)        // 10 %: a random id
            }
        }
        return (inputIDs, labels)
    }

    /// A batch of sequences, masked one after another with the same generator (rows may have
    /// different lengths; padding is not chosen as long as its id is in `specialTokenIDs`).
    ///
    ///     var rng = SeededGenerator(seed: 7)
    ///     let (inputIDs, labels) = masking.mask(batch: paddedIDs, using: &rng)   // [B][T] each
    public func mask(batch: [[Int]], using generator: inout SeededGenerator) -> (inputIDs: [[Int]], labels: [[Int]]) {
        var inputIDs: [[Int]] = [], labels: [[Int]] = []
        inputIDs.reserveCapacity(batch.count)
        labels.reserveCapacity(batch.count)
        for row in batch {
            let masked = mask(row, using: &generator)
            inputIDs.append(masked.inputIDs)
            labels.append(masked.labels)
        }
        return (inputIDs, labels)
    }

    private func checkArguments() {
        require(vocabularySize > 0, "MaskedLanguageModeling: vocabularySize must be positive, got \(vocabularySize)")
        require((0...1).contains(maskProbability),
                "MaskedLanguageModeling: maskProbability must be in [0, 1], got \(maskProbability)")
        require(maxPredictions >= 0, "MaskedLanguageModeling: maxPredictions must be ≥ 0, got \(maxPredictions)")
    }
}
