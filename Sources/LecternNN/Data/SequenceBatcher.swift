// Turns a list of seq2seq examples into padded batches, in a new random order every epoch.
//
// Reference: `torch.utils.data.DataLoader(dataset, batch_size, shuffle=True, collate_fn=…)`
// (PyTorch 2.x) with a padding collate function. The order comes from the caller's
// SeededGenerator (its Fisher–Yates shuffle is portable), so epoch k's batches are the same on
// every machine; the last batch is smaller when the count does not divide (`drop_last=False`).
//
// The examples are encoded once, at construction, not per epoch: an epoch only permutes
// indices and pads.

/// Encodes examples once and serves them as ``SequenceBatch``es, shuffled or in order.
///
///     let batcher = SequenceBatcher(data.train, vocabulary: vocabulary, batchSize: 32)
///     var rng = SeededGenerator(seed: 0)
///     for epoch in 0..<10 {
///         for batch in batcher.batches(shuffledWith: &rng) { … }   // a new order each epoch
///     }
///     let evaluation = batcher.batches()                           // in the original order
public struct SequenceBatcher: Sendable {
    /// The examples, in their original order.
    ///
    ///     batcher.pairs.count   // 2000
    public let pairs: [SequencePair]
    /// The vocabulary the examples are encoded with.
    ///
    ///     batcher.vocabulary.count
    public let vocabulary: SequenceVocabulary
    /// The number of examples per batch (the last batch may have fewer).
    ///
    ///     batcher.batchSize   // 32
    public let batchSize: Int
    /// Whether each source ends with `<eos>`, which tells an RNN encoder where the input ends.
    ///
    ///     SequenceBatcher(pairs, vocabulary: v, batchSize: 16, sourceEOS: true)
    public let sourceEOS: Bool
    private let sources: [[Int]]
    private let targets: [[Int]]

    /// A batcher over `pairs`.
    ///
    ///     let batcher = SequenceBatcher(data.train, vocabulary: vocabulary, batchSize: 64)
    ///
    /// - Precondition: `batchSize >= 1`.
    public init(_ pairs: [SequencePair], vocabulary: SequenceVocabulary, batchSize: Int, sourceEOS: Bool = false) {
        require(batchSize >= 1, "SequenceBatcher: batchSize must be at least 1, got \(batchSize)")
        self.pairs = pairs
        self.vocabulary = vocabulary
        self.batchSize = batchSize
        self.sourceEOS = sourceEOS
        sources = pairs.map { vocabulary.encode($0.source) + (sourceEOS ? [vocabulary.eosID] : []) }
        targets = pairs.map { vocabulary.encode($0.target) }
    }

    /// The number of batches per epoch, ⌈count / batchSize⌉.
    ///
    ///     batcher.batchCount   // 63 for 2000 examples in batches of 32
    public var batchCount: Int { (pairs.count + batchSize - 1) / batchSize }

    /// One epoch of batches in the original order (for evaluation).
    ///
    ///     let predictions = batcher.batches().flatMap { greedyDecode(model, $0) }
    public func batches() -> [SequenceBatch] { batches(order: Array(pairs.indices)) }

    /// One epoch of batches in an order shuffled with `rng`; each call draws a new order.
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let epoch1 = batcher.batches(shuffledWith: &rng)
    ///     let epoch2 = batcher.batches(shuffledWith: &rng)   // another order
    public func batches(shuffledWith rng: inout SeededGenerator) -> [SequenceBatch] {
        batches(order: rng.shuffled(Array(pairs.indices)))
    }

    /// The batch of the examples at `indices` (in that order).
    ///
    ///     let firstThree = batcher.batch(indices: [0, 1, 2])
    public func batch(indices: [Int]) -> SequenceBatch {
        let source = indices.map { sources[$0] }
        let input = indices.map { [vocabulary.bosID] + targets[$0] }
        let output = indices.map { targets[$0] + [vocabulary.eosID] }
        return SequenceBatch(sourceIDs: SequenceBatch.padded(source, with: vocabulary.padID),
                             sourceLengths: source.map(\.count),
                             targetInputIDs: SequenceBatch.padded(input, with: vocabulary.padID),
                             targetOutputIDs: SequenceBatch.padded(output, with: vocabulary.padID),
                             targetLengths: input.map(\.count),
                             indices: indices)
    }

    private func batches(order: [Int]) -> [SequenceBatch] {
        stride(from: 0, to: order.count, by: batchSize).map { start in
            batch(indices: Array(order[start..<min(start + batchSize, order.count)]))
        }
    }
}
