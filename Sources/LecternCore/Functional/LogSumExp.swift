// Log-sum-exp: log Σᵢ exp(xᵢ), computed without overflow.
//
// Reference: `torch.logsumexp` (PyTorch 2.x), which computes m + log Σᵢ exp(xᵢ − m) with
// m = max(x). The identity behind it: for any constant m,
//
//     log Σᵢ exp(xᵢ) = m + log Σᵢ exp(xᵢ − m).
//
// With m = max(x) every exponent is ≤ 0, so nothing overflows, and the largest term is exactly
// exp(0) = 1, so the sum is at least 1 and its logarithm never underflows to −∞.
//
// Departure from PyTorch (more accurate, never less): the largest term is kept out of the sum
// and we take log1p(Σ of the other terms) instead of log(1 + Σ). When one entry dominates,
// e.g. logSumExp([0, -30]) = 9.4e-14, PyTorch rounds the answer to 0 and this returns 9.4e-14.

import Foundation

/// The shift m = max(x) and log Σᵢ exp(xᵢ − m), computed as log1p of the sum of the terms other
/// than the (first) largest one. `shift + logSum` is log-sum-exp; `(xᵢ − shift) − logSum` is
/// log-softmax. For an empty input the shift is −∞ and the log-sum 0.
func shiftedLogSum(_ x: [Float]) -> (shift: Float, logSum: Float) {
    // The index of the max, not the max itself: `firstIndex(of: .nan)` would find nothing.
    guard let top = x.indices.max(by: { x[$0] < x[$1] }) else { return (-.infinity, 0) }
    let largest = x[top]
    var rest = x
    rest.remove(at: top)
    return (largest, log1p(pairwiseSum(rest.map { exp($0 - largest) })))
}

/// The logarithm of the sum of the exponentials of `x`, log Σᵢ exp(xᵢ), without overflow.
///
/// It is a smooth maximum: always between max(x) and max(x) + log(n).
///
///     logSumExp([1000, 1001, 1002])     // 1002.4076 (a naive log(Σ exp) gives inf)
///     logSumExp([0, 0, 0, 0])           // 1.3862944 = log 4
///     logSumExp([])                     // -inf (the empty sum is 0, and log 0 = -inf)
///     logSumExp([-.infinity, 3])        // 3.0 (exp(-inf) = 0 adds nothing)
///
/// Edge cases follow `torch.logsumexp`: an empty input or one whose entries are all −∞ gives
/// −∞; any +∞ entry gives +∞; any NaN gives NaN.
public func logSumExp(_ x: [Float]) -> Float {
    if x.contains(where: \.isNaN) { return .nan }
    let (shift, logSum) = shiftedLogSum(x)
    // max = +inf: the sum is infinite. max = -inf: every term is exp(-inf) = 0, the sum is 0.
    // Either way the answer is the max itself (and `shift − shift` would be NaN).
    if shift.isInfinite { return shift }
    return shift + logSum
}
