// A padded batch of seq2seq examples, ready for an encoder-decoder trained with teacher forcing.
//
// Reference: the batch layout of fairseq and of Hugging Face's `DataCollatorForSeq2Seq`
// (batch-first id matrices, `decoder_input_ids` = the labels shifted right behind a start token)
// and R. J. Williams, D. Zipser, "A Learning Algorithm for Continually Running Fully Recurrent
// Neural Networks", Neural Computation 1989 (teacher forcing: the decoder reads the true
// previous token, not its own guess).
//
// For a target y₁…y_T the decoder reads `<bos> y₁ … y_T` and must predict `y₁ … y_T <eos>`:
// position t's input is the previous position's output. Both rows have T + 1 tokens.

/// A batch of examples as padded, batch-first id matrices (B rows, padded with `<pad>` = 0 to
/// the longest row), with the lengths before padding.
///
///     // source "12", target "21" (ids: "1" = 4, "2" = 5), and source "123", target "321":
///     batch.sourceIDs         // [[4, 5, 0], [4, 5, 6]]
///     batch.sourceLengths     // [2, 3]
///     batch.targetInputIDs    // [[1, 5, 4, 0], [1, 6, 5, 4]]   <bos> + target
///     batch.targetOutputIDs   // [[5, 4, 2, 0], [6, 5, 4, 2]]   target + <eos>
///     batch.targetLengths     // [3, 4]
public struct SequenceBatch: Sendable, Hashable {
    /// The source ids, (B, S), padded with 0.
    ///
    ///     let x = Tensor(shape: [batch.count, batch.sourceIDs[0].count],
    ///                    scalars: batch.sourceIDs.flatMap { $0 }.map(Float.init))
    public let sourceIDs: [[Int]]
    /// The number of real (non-padding) tokens in each source row.
    ///
    ///     batch.sourceLengths[0]   // 5
    public let sourceLengths: [Int]
    /// The decoder's inputs, (B, T + 1): `<bos>` then the target, padded with 0.
    ///
    ///     batch.targetInputIDs[0][0]   // vocabulary.bosID
    public let targetInputIDs: [[Int]]
    /// The decoder's targets, (B, T + 1): the target then `<eos>`, padded with 0.
    ///
    ///     crossEntropy(logits: logits.reshaped([-1, V]), targets: batch.targetOutputIDs.flatMap { $0 },
    ///                  ignoreIndex: vocabulary.padID)
    public let targetOutputIDs: [[Int]]
    /// The number of real tokens in each row of ``targetInputIDs`` (and of ``targetOutputIDs``):
    /// the target's length + 1.
    ///
    ///     batch.targetLengths[0]   // 11 for "2021-03-05"
    public let targetLengths: [Int]
    /// The positions of the batch's examples in the list it was made from.
    ///
    ///     let originals = batch.indices.map { pairs[$0] }
    public let indices: [Int]

    /// A batch from its parts (normally made by ``SequenceBatcher``).
    ///
    ///     let batch = SequenceBatch(sourceIDs: [[4]], sourceLengths: [1], targetInputIDs: [[1, 4]],
    ///                               targetOutputIDs: [[4, 2]], targetLengths: [2], indices: [0])
    public init(sourceIDs: [[Int]], sourceLengths: [Int], targetInputIDs: [[Int]], targetOutputIDs: [[Int]],
                targetLengths: [Int], indices: [Int]) {
        self.sourceIDs = sourceIDs
        self.sourceLengths = sourceLengths
        self.targetInputIDs = targetInputIDs
        self.targetOutputIDs = targetOutputIDs
        self.targetLengths = targetLengths
        self.indices = indices
    }

    /// The number of examples, B.
    ///
    ///     batch.count   // 32
    public var count: Int { sourceIDs.count }

    /// For each source position, whether it is padding (true) — the key-padding mask of
    /// attention, where padded keys get −∞ before the softmax.
    ///
    ///     batch.sourcePaddingMask   // [[false, false, true], [false, false, false]]
    public var sourcePaddingMask: [[Bool]] {
        zip(sourceIDs, sourceLengths).map { row, length in row.indices.map { $0 >= length } }
    }

    /// Pads each row of `rows` with `padID` to the longest row's length.
    ///
    ///     SequenceBatch.padded([[7], [7, 8, 9]], with: 0)   // [[7, 0, 0], [7, 8, 9]]
    public static func padded(_ rows: [[Int]], with padID: Int) -> [[Int]] {
        let width = rows.map(\.count).max() ?? 0
        return rows.map { $0 + Array(repeating: padID, count: width - $0.count) }
    }
}

extension SequenceBatch: ExampleCounting {
    /// The number of examples, for throughput in ``fit(epochs:batches:display:step:)``.
    ///
    ///     batch.exampleCount == batch.count   // true
    public var exampleCount: Int { count }
}
