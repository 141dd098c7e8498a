// Hard attention: look at exactly one source position, the best-scoring one.
//
// Reference: Xu et al., "Show, Attend and Tell", ICML 2015, §4.1 (stochastic "hard" attention
// samples one location and needs REINFORCE to train); Luong et al. 2015, §3.2 (local attention
// as a blend of soft and hard). The deterministic version here takes the arg-max of the soft
// weights. Why it is a demonstration, not a training method: arg-max is piecewise constant, so
// its gradient is zero almost everywhere — the score function receives no learning signal at
// all, and the model cannot learn where to look. Soft attention is differentiable everywhere,
// which is why it is what sequence models train with.

/// One-hot weights at each row's arg-max of `weights` (B, S): 1 at the best position, 0
/// elsewhere. The result is a constant — no gradient flows back to `weights` or the scores.
///
///     let soft = attentionWeights(scores: e, sourceLengths: lengths)   // (B, S)
///     let hard = hardAttentionWeights(soft)                            // (B, S), one 1 per row
///     attentionContext(weights: hard, values: h)                       // exactly one h_j per row
///
/// Ties go to the first position, as `argmax` does.
///
/// - Precondition: `weights` is (B, S).
public func hardAttentionWeights(_ weights: Tensor) -> Tensor {
    require(weights.rank == 2, "hardAttentionWeights: weights must have shape (B, S), got \(weights.shape)")
    let (b, s) = (weights.shape[0], weights.shape[1])
    var oneHot = [Float](repeating: 0, count: b * s)
    for (row, best) in weights.argmax(axis: 1).enumerated() { oneHot[row * s + best] = 1 }
    return Tensor(shape: [b, s], scalars: oneHot)   // (B, S), a constant
}
