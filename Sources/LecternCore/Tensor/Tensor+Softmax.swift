// Softmax and log-softmax along an axis, numerically stable.
//
// Reference: `torch.softmax(x, dim)` and `torch.log_softmax(x, dim)` (PyTorch 2.x), and this
// library's Lesson 0 functions (Functional/Softmax.swift, LogSumExp.swift), which explain the
// max-shift: softmax(x) = softmax(x − m) for any m, and with m = max(x) no exponent overflows.
//   softmax:     y = e^(x−m) / Σ e^(x−m)           ∂x = y ⊙ (g − Σ g⊙y)
//   logSoftmax:  y = (x − m) − log Σ e^(x−m)       ∂x = g − softmax(x) · Σ g
// A row whose entries are all −inf (a fully masked attention row) gives NaN, as in PyTorch.
//
// Layout: the common case is the last axis (attention scores, logits), where each row is
// contiguous and is processed in three tight passes (max, exp-and-sum, scale). Other axes are
// handled by the same code on a strided row.

import Foundation

extension Tensor {
    /// Softmax along `axis` (default: the last): exponentials normalized to sum to 1.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
    ///     x.softmax().scalars   // [0.09003057, 0.24472848, 0.66524094, 0.33333334, 0.33333334, 0.33333334]
    public func softmax(axis: Int = -1) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "softmax")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(uninitializedCount: count)
        Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
            let x = storage.base + offset, y = out.base + offset
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j * stride]) }
            var total: Float = 0
            for j in 0..<n {
                let e = expf(x[j * stride] - m)
                y[j * stride] = e
                total += e
            }
            let scale = 1 / total
            for j in 0..<n { y[j * stride] *= scale }
        }
        let y = Tensor(storage: out, shape: shape)
        return .record("softmax", out, shape: shape, inputs: [self]) { g, _ in
            let grad = TensorStorage(uninitializedCount: g.count)
            withExtendedLifetime(g.storage) {
                Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
                    let gp = g.storage.base + offset, yp = y.storage.base + offset, dp = grad.base + offset
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
        Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
            let x = storage.base + offset, y = out.base + offset
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j * stride]) }
            var total: Float = 0
            for j in 0..<n { total += expf(x[j * stride] - m) }
            let logTotal = logf(total)
            for j in 0..<n { y[j * stride] = (x[j * stride] - m) - logTotal }
        }
        let y = Tensor(storage: out, shape: shape)
        return .record("logSoftmax", out, shape: shape, inputs: [self]) { g, _ in
            let grad = TensorStorage(uninitializedCount: g.count)
            withExtendedLifetime(g.storage) {
                Tensor.forEachLine(outer: outer, n: n, inner: inner) { offset, stride in
                    let gp = g.storage.base + offset, yp = y.storage.base + offset, dp = grad.base + offset
                    var total: Float = 0
                    for j in 0..<n { total += gp[j * stride] }
                    for j in 0..<n { dp[j * stride] = gp[j * stride] - expf(yp[j * stride]) * total }
                }
            }
            return [Tensor(storage: grad, shape: g.shape)]
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
