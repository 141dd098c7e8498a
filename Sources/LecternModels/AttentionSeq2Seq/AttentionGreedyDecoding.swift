// Greedy decoding that also returns where the decoder looked at every step: the alignment
// matrix of Bahdanau et al. (2015), figure 3.
//
// Reference: Bahdanau et al. (2015) §5.2.1 (visualising the annotation weights α_ij as a
// matrix, target words by source words). Finished rows keep running (see
// Seq2SeqGreedyDecoding.swift); their weights are still returned, and a lesson crops each
// row's matrix to its real output length.

extension AttentionSeq2SeqModel {
    /// Greedy output ids (as ``greedyDecode(_:maxLength:sourceLengths:)``) and the attention
    /// weights of every generated step, (B, T, S) with T the number of steps run.
    ///
    ///     let (ids, weights) = model.greedyDecodeWithAttention([[3, 4, 5]], maxLength: 6)
    ///     print(AttentionHeatmap(weights.index(axis: 0, 0), source: ["3", "4", "5"]).render())
    public func greedyDecodeWithAttention(_ source: [[Int]], maxLength: Int, sourceLengths: [Int]? = nil)
        -> (ids: [[Int]], attention: Tensor) {
        var steps: [Tensor] = []
        let ids = greedyDecode(source, maxLength: maxLength, sourceLengths: sourceLengths) { state in
            steps.append(state.weights!)                                       // (B, S)
        }
        return (ids, Tensor.stack(steps, axis: 1))                             // (B, T, S)
    }
}
