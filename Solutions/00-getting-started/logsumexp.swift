/// log Σ exp(x) along the last axis, which the result drops: (…, C) -> (…), a vector gives a
/// scalar. Stable for any input: a row of -inf gives -inf, a row with +inf gives +inf, and an
/// empty row gives -inf (the empty sum is 0). Built from tensor operations, so its gradient,
/// softmax(x), comes from backward().
func logSumExp(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 1, "logSumExp: a scalar has no last axis to reduce; give a tensor of rank 1 or more")
    // Empty rows have no maximum; their sum is 0, and log 0 = -inf.
    if x.shape.last == 0 { return Tensor.full(Array(x.shape.dropLast()), -.infinity) }
    // log Σ exp(xᵢ) = m + log Σ exp(xᵢ - m) for ANY constant m. With m = the row's max, every
    // exponent is <= 0 and the sum is between 1 and C: no overflow, no log 0.
    let largest = x.max(axis: -1, keepDims: true)                            // (…, 1)
    // An infinite max would give inf - inf = NaN, so those rows are shifted by 0 instead: a row
    // of -inf then sums exp(-inf) = 0 terms (log 0 = -inf), a row with +inf sums to +inf. The
    // shift is a constant, built from plain numbers (no gradient flows through it: none needs to).
    let shift = Tensor(shape: largest.shape, scalars: largest.scalars.map { $0.isFinite ? $0 : 0 })
    return (x - shift).exp().sum(axis: -1).log() + shift.squeezed(axis: -1)
}
