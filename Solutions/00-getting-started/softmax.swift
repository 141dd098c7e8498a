/// Softmax along the last axis: every row of logits becomes probabilities in [0, 1] that sum to
/// 1, without overflowing, for any rank ≥ 1. Built from tensor operations, so backward() goes
/// through it.
func softmax(_ logits: Tensor) -> Tensor {
    // Each row's largest logit, kept as a column (…, 1) so that it broadcasts against its row.
    // Subtracting it changes nothing mathematically (exp(-m) cancels in the fraction) but makes
    // every exponent <= 0: no exp overflows, and each row's biggest term is exp(0) = 1, so the
    // sum is at least 1. The answer does not depend on the shift, so neither does its gradient:
    // detached() says so, and saves backward() a trip through max.
    let largest = logits.max(axis: -1, keepDims: true).detached()
    // A -inf logit becomes exp(-inf) = 0: masked positions need no special case.
    let exponentials = (logits - largest).exp()
    return exponentials / exponentials.sum(axis: -1, keepDims: true)
}
