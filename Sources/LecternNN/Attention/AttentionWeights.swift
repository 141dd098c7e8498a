// Attention weights: a softmax over source positions that ignores padding.
//
// Reference: Bahdanau et al. 2015 (α_ij = softmax_j e_ij, eq. 6) and Luong et al. 2015 (a_t =
// softmax(score), eq. 7). Batched sentences have different lengths, so padded positions must
// get no attention at all: their scores are replaced by −inf before the softmax
// (`masked_fill(mask, -inf)` in PyTorch), whose exponential is exactly 0 — not a small number,
// as a large negative constant would give — and the gradient of a filled score is exactly 0.

/// The padding positions of a batch with the given real lengths: (B, S), 1 at padding
/// (position j ≥ length), 0 at real positions — the form `maskedFill` takes.
///
///     paddingPositions(lengths: [3, 1], maxLength: 3).scalars   // [0, 0, 0,  0, 1, 1]
///
/// Beware the opposite convention of Hugging Face's `attention_mask`, which the Transformer
/// layers take: 1 = attend, 0 = padding. That one is ``attentionMask(lengths:maxLength:)``;
/// the two names say which is which.
///
/// - Precondition: every length is in 0...maxLength.
public func paddingPositions(lengths: [Int], maxLength: Int) -> Tensor {
    require(lengths.allSatisfy { (0...maxLength).contains($0) },
            "paddingPositions: lengths \(lengths) must lie in 0...\(maxLength)")
    let flags = lengths.flatMap { length in (0..<maxLength).map { $0 >= length ? Float(1) : 0 } }
    return Tensor(shape: [lengths.count, maxLength], scalars: flags)   // (B, S)
}

/// The attention weights softmax(scores) over S, with exactly zero weight where `excluded`
/// is nonzero (1 = padding, as ``paddingPositions(lengths:maxLength:)`` gives); each row's
/// real weights sum to 1.
///
///     let padding = paddingPositions(lengths: [5, 2], maxLength: 5)   // (B, S)
///     let a = attentionWeights(scores: e, excluding: padding)          // (B, S); a[1, 2...] == 0
///
/// - Precondition: `scores` is (B, S), `excluded` broadcasts to it, and no row is all
///   padding (its softmax would be 0/0 = NaN, as in PyTorch).
public func attentionWeights(scores: Tensor, excluding excluded: Tensor) -> Tensor {
    require(scores.rank == 2, "attentionWeights: scores must have shape (B, S), got \(scores.shape)")
    // −inf, not −1e9: e^(−inf) is exactly 0, so padding gets exactly no weight, whatever the
    // scale of the real scores.
    let masked = scores.maskedFill(excluded, with: -.infinity)      // (B, S)
    return masked.softmax(axis: 1)                                 // (B, S)
}

/// The attention weights of a batch whose row b has `sourceLengths[b]` real positions: the
/// softmax over S with exactly zero weight at positions j ≥ sourceLengths[b].
///
///     let a = attentionWeights(scores: e, sourceLengths: [5, 2])   // e: (2, 5) → (2, 5)
///     a.scalars[7...]                                              // [0, 0, 0]
///
/// - Precondition: `scores` is (B, S), there are B lengths, and each is in 1...S.
public func attentionWeights(scores: Tensor, sourceLengths: [Int]) -> Tensor {
    require(scores.rank == 2 && sourceLengths.count == scores.shape[0],
            "attentionWeights: \(sourceLengths.count) lengths for scores of shape \(scores.shape); expected (B, S) with B lengths")
    require(sourceLengths.allSatisfy { (1...scores.shape[1]).contains($0) },
            "attentionWeights: lengths \(sourceLengths) must lie in 1...\(scores.shape[1]) (an empty source has nothing to attend to)")
    let padding = paddingPositions(lengths: sourceLengths, maxLength: scores.shape[1])   // (B, S)
    return attentionWeights(scores: scores, excluding: padding)                          // (B, S)
}
