// Softmax and log-softmax over one vector of logits.
//
// Reference: `torch.softmax` / `torch.log_softmax` (PyTorch 2.x), which compute
//
//     softmax(x)ᵢ     = exp(xᵢ − m) / Σⱼ exp(xⱼ − m)
//     log_softmax(x)ᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m),        m = max(x).
//
// Why subtract the max: exp overflows Float above x ≈ 88.7, so a naive exp(1000) is +inf and
// inf / inf is NaN. Softmax does not change when the same constant is subtracted from every
// logit (the factor exp(−m) cancels between numerator and denominator), so we choose m = max(x):
// every exponent is then ≤ 0 (no overflow) and the largest is exp(0) = 1 (the sum is ≥ 1, so
// no division by 0 even when all the other terms underflow).
//
// Edge cases follow PyTorch: an empty input gives an empty output; −∞ logits get probability
// exactly 0 (log-probability −∞); a row whose logits are all −∞ (fully masked) has no
// distribution and gives NaN everywhere; a NaN logit gives NaN everywhere. A +∞ logit is not a
// meaningful input either; it gives NaN (softmax) or NaN/−∞ (log-softmax, where PyTorch gives
// NaN everywhere).

import Foundation

/// Turns a vector of logits (unnormalised log-probabilities) into probabilities: every output
/// is in [0, 1] and they sum to 1. Larger logits get larger probabilities.
///
///     softmax([1, 2, 3])              // [0.09003057, 0.24472848, 0.66524094]
///     softmax([1000, 1001, 1002])     // the same: only differences between logits matter
///     softmax([0, -.infinity])        // [1, 0]: a -inf logit is "impossible"
///
/// It never overflows: see the comment at the top of this file.
public func softmax(_ logits: [Float]) -> [Float] {
    guard let largest = logits.max() else { return [] }
    let exponentials = logits.map { exp($0 - largest) }
    let total = pairwiseSum(exponentials)
    return exponentials.map { $0 / total }
}

/// The natural logarithm of `softmax(logits)`, computed directly so that it neither overflows
/// nor loses tiny probabilities: log(softmax(x)) rounds probabilities below ~1e-45 to 0 and
/// returns −∞, while this returns the exact log-probability.
///
///     logSoftmax([1, 2, 3])           // [-2.407606, -1.4076059, -0.40760595]
///     logSoftmax([0, -200])           // [0, -200]; log(softmax(...)) gives [0, -inf]
///
/// Each output is xᵢ − logSumExp(x), computed as (xᵢ − m) − log Σⱼ exp(xⱼ − m), m = max(x).
/// Like ``logSumExp(_:)``, the sum keeps its largest term out (log1p), so a dominant logit's
/// log-probability can be a tiny negative number where PyTorch returns 0.
public func logSoftmax(_ logits: [Float]) -> [Float] {
    let (shift, logSum) = shiftedLogSum(logits)
    return logits.map { ($0 - shift) - logSum }
}
