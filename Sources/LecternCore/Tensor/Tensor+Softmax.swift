// Softmax and log-softmax along an axis, numerically stable.
//
// Reference: `torch.softmax(x, dim)` and `torch.log_softmax(x, dim)` (PyTorch 2.x), and this
// library's Lesson 0 functions (Functional/Softmax.swift, LogSumExp.swift), which explain the
// max-shift: softmax(x) = softmax(x − m) for any m, and with m = max(x) no exponent overflows.
//   softmax:     y = e^(x−m) / Σ e^(x−m)           ∂x = y ⊙ (g − Σ g⊙y)
//   logSoftmax:  y = (x − m) − log Σ e^(x−m)       ∂x = g − softmax(x) · Σ g
// A row whose entries are all −inf (a fully masked attention row) gives NaN, as in PyTorch,
// and so does a row containing NaN or +inf.
//
// Speed: each row (a line along the axis) is done in one fused kernel of three passes: max,
// exp-and-sum (storing the exponentials), scale. The exponentials are eight at a time
// (Kernels/VectorExp.swift): with `expf` per element they were most of the cost. A row of a
// few thousand floats stays in L1 between the passes, so the tensor is read from memory once
// and written once, like PyTorch's `_vec_softmax_lastdim`. Rows are split across cores above
// `expensiveGrain` elements per core. The last axis (attention scores, logits) is contiguous;
// for another axis each line is copied into a small contiguous scratch row and back, so every
// axis runs the same kernel and gives the same results.

import Foundation

/// The larger of each pair of lanes, NaN in `b` ignored. (The standard library's generic
/// `pointwiseMax` was measured not inlined here, a call per eight floats and 6 % of an attention
/// layer's time; a compare and a blend are two instructions.)
@inline(__always)
private func lanewiseMax(_ a: Float8, _ b: Float8) -> Float8 {
    a.replacing(with: b, where: b .> a)
}

/// The largest of `count` floats at `x` (NaNs are skipped; −inf for an empty row).
@inline(__always)
private func rowMax(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var m0 = Float8(repeating: -.infinity), m1 = m0
    var j = 0
    while j + 16 <= count {
        m0 = lanewiseMax(m0, load8(x + j))
        m1 = lanewiseMax(m1, load8(x + j + 8))
        j += 16
    }
    if j + 8 <= count { m0 = lanewiseMax(m0, load8(x + j)); j += 8 }
    if j < count { m1 = lanewiseMax(m1, loadPartial(x + j, count - j, fill: -.infinity)) }
    return lanewiseMax(m0, m1).max()
}

/// `y = e^(x − m)` for a row, returning Σ y. With `y` nil the exponentials are only summed.
/// The padding of a partial last vector is −inf, whose exponential adds 0.
@inline(__always)
private func rowExpSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>?, _ count: Int, shift m: Float) -> Float {
    let shift = Float8(repeating: m)
    var s0 = Float8(), s1 = Float8()
    var j = 0
    while j + 16 <= count {
        let e0 = vectorExp(load8(x + j) - shift), e1 = vectorExp(load8(x + j + 8) - shift)
        if let y { store8(e0, y + j); store8(e1, y + j + 8) }
        s0 += e0; s1 += e1
        j += 16
    }
    while j < count {
        let n = Swift.min(8, count - j)
        let e = vectorExp(loadPartial(x + j, n, fill: -.infinity) - shift)
        if let y { storePartial(e, y + j, n) }
        // A lane padded with −inf is e^(−inf − m) = 0, except when m is −inf too (NaN); the
        // row is then all −inf and its result NaN anyway.
        s0 += e
        j += n
    }
    return (s0 + s1).sum()
}

/// Σ x[i]·y[i] over a contiguous row, sixteen lanes wide.
@inline(__always)
private func rowDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0 = Float8(), s1 = Float8()
    var j = 0
    while j + 16 <= count {
        s0 += load8(x + j) * load8(y + j)
        s1 += load8(x + j + 8) * load8(y + j + 8)
        j += 16
    }
    while j < count {
        let k = Swift.min(8, count - j)
        s0 += loadPartial(x + j, k) * loadPartial(y + j, k)
        j += k
    }
    return (s0 + s1).sum()
}

/// Softmax of one contiguous row, `x` to `y` (they may be the same buffer).
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    let m = rowMax(x, count)
    let scale = 1 / rowExpSum(x, y, count, shift: m)
    mapLanes(y, y, count) { $0 * scale }
}

/// Log-softmax of one contiguous row, `x` to `y` (they may be the same buffer).
@inline(__always)
private func logSoftmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    let m = rowMax(x, count)
    let logTotal = logf(rowExpSum(x, nil, count, shift: m))
    mapLanes(x, y, count) { ($0 - m) - logTotal }
}

extension Tensor {
    /// Softmax along `axis` (default: the last): exponentials normalized to sum to 1.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
    ///     x.softmax().scalars   // [0.09003057, 0.24472848, 0.66524094, 0.33333334, 0.33333334, 0.33333334]
    public func softmax(axis: Int = -1) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "softmax")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(uninitializedCount: count)
        withExtendedLifetime(storage) {
            Tensor.transformLines(outer: outer, n: n, inner: inner, from: storage.base, to: out.base, softmaxRow)
        }
        let y = Tensor(storage: out, shape: shape)
        return .record("softmax", out, shape: shape, inputs: [self]) { g, _ in
            let grad = TensorStorage(uninitializedCount: g.count)
            withExtendedLifetime(g.storage) {
                Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
                    let gp = g.storage.base + offset, yp = y.storage.base + offset, dp = grad.base + offset
                    if stride == 1 {
                        // ∂x = y ⊙ (g − Σ g⊙y), eight lanes at a time.
                        let dot = Float8(repeating: rowDot(gp, yp, n))
                        var j = 0
                        while j + 8 <= n { store8(load8(yp + j) * (load8(gp + j) - dot), dp + j); j += 8 }
                        if j < n { storePartial(loadPartial(yp + j, n - j) * (loadPartial(gp + j, n - j) - dot), dp + j, n - j) }
                        return
                    }
                    var dot: Float = 0
                    for j in 0..<n { dot += gp[j * stride] * yp[j * stride] }
                    for j in 0..<n { dp[j * stride] = yp[j * stride] * (gp[j * stride] - dot) }
                }
            }
            return [Tensor(storage: grad, shape: g.shape)]
        }
    }

    /// Log-softmax along `axis` (default: the last): x − logSumExp(x), computed without
    /// forming the probabilities, so tiny probabilities keep finite, exact logarithms.
    ///
    ///     let x = Tensor(shape: [3], scalars: [0, 0, 0])
    ///     x.logSoftmax().scalars   // [-1.0986123, -1.0986123, -1.0986123]   (log 1/3)
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "logSoftmax")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(uninitializedCount: count)
        withExtendedLifetime(storage) {
            Tensor.transformLines(outer: outer, n: n, inner: inner, from: storage.base, to: out.base, logSoftmaxRow)
        }
        let y = Tensor(storage: out, shape: shape)
        return .record("logSoftmax", out, shape: shape, inputs: [self]) { g, _ in
            let grad = TensorStorage(uninitializedCount: g.count)
            withExtendedLifetime(g.storage) {
                Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
                    let gp = g.storage.base + offset, yp = y.storage.base + offset, dp = grad.base + offset
                    if stride == 1 {
                        // ∂x = g − e^y · Σg, eight lanes at a time.
                        let total = Float8(repeating: rowSum(gp, n))
                        var j = 0
                        while j + 8 <= n { store8(load8(gp + j) - vectorExp(load8(yp + j)) * total, dp + j); j += 8 }
                        if j < n {
                            let k = n - j
                            storePartial(loadPartial(gp + j, k) - vectorExp(loadPartial(yp + j, k)) * total, dp + j, k)
                        }
                    } else {
                        var total: Float = 0
                        for j in 0..<n { total += gp[j * stride] }
                        for j in 0..<n { dp[j * stride] = gp[j * stride] - scalarExp(yp[j * stride]) * total }
                    }
                }
            }
            return [Tensor(storage: grad, shape: g.shape)]
        }
    }

    /// Runs `kernel(x, y, n)` on every line along the axis of an (outer, n, inner) block,
    /// from `src` to `dst`. Contiguous lines (inner = 1) are passed in place; strided ones are
    /// copied into a scratch row, transformed there, and copied out.
    @inline(__always)
    static func transformLines(outer: Int, n: Int, inner: Int, from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>,
                           _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) {
        if inner == 1 {
            forEachLine(outer: outer, n: n, inner: inner) { offset, _ in kernel(src + offset, dst + offset, n) }
            return
        }
        forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(n, 1)) { scratch in
                let row = scratch.baseAddress!
                for j in 0..<n { row[j] = src[offset + j * stride] }
                kernel(row, row, n)
                for j in 0..<n { dst[offset + j * stride] = row[j] }
            }
        }
    }

    /// Calls `body(offset, stride)` for every line along the axis of an (outer, n, inner)
    /// block: the line's first element and the distance between its elements. Lines are
    /// independent, so big tensors are split across cores.
    @inline(__always)
    static func forEachLine(outer: Int, n: Int, inner: Int, _ body: (Int, Int) -> Void) {
        let lines = outer * inner
        // Split by lines, counting work in elements so that short tensors stay on one thread.
        let chunks = Swift.min(parallelWorkers, lines * n / expensiveGrain, lines)
        if chunks <= 1 {
            for line in 0..<lines { body((line / inner) * n * inner + line % inner, inner) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // As in `parallelFor`: lines are disjoint, and concurrentPerform waits for all.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for line in (lines * chunk / chunks)..<(lines * (chunk + 1) / chunks) {
                    body((line / inner) * n * inner + line % inner, inner)
                }
            }
        }
    }
}
