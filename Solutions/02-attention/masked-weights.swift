/// Attention weights: the softmax of each row of `scores` (B, S) over its first lengths[b]
/// positions, exactly 0 at the rest. Returns (B, S).
func maskedAttentionWeights(scores: Tensor, lengths: [Int]) -> Tensor {
    let s = scores.shape[1]
    // 1 marks padding. −∞ (not −1e9) makes e^score exactly 0 there, and the gradient of a
    // filled score is exactly 0; softmax subtracts the row maximum, so large scores are safe.
    let flags = lengths.flatMap { length in (0..<s).map { $0 >= length ? Float(1) : 0 } }
    let mask = Tensor(shape: [lengths.count, s], scalars: flags)   // (B, S)
    return scores.maskedFill(mask, with: -.infinity).softmax(axis: 1)
}
