/// log(exp(x[0]) + exp(x[1]) + ...), computed without overflow or underflow.
func logSumExp(_ x: [Float]) -> Float {
    // The empty sum is 0, and log 0 = -inf.
    guard let largest = x.max() else { return -.infinity }
    // If the largest entry is +inf the sum is +inf; if it is -inf, every term is exp(-inf) = 0.
    // Both times the answer is `largest` itself (and largest - largest would be NaN).
    if largest.isInfinite { return largest }
    // log Σ exp(xᵢ) = m + log Σ exp(xᵢ - m): the sum is now between 1 and x.count.
    let total = x.map { exp($0 - largest) }.reduce(0, +)
    return largest + log(total)
}
