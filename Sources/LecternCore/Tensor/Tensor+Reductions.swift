// Reductions: sum, mean, max, argmax, variance, over everything or along one axis.
//
// Reference: `torch.sum`, `torch.mean`, `torch.max(dim=...)`, `torch.argmax`, `torch.var`
// (PyTorch 2.x), with `keepdim` spelled `keepDims`. Gradients:
//   sum:  g broadcast back over the reduced axis;   mean: the same divided by n;
//   max:  g routed to the position of the maximum (the first one on ties, like the index
//         `torch.max(dim)` returns), zero elsewhere.
//
// Layout: a reduction along `axis` sees the tensor as a block (outer, n, inner). For the last
// axis (inner = 1), each row is contiguous and is summed with `rowSum`; otherwise the inner
// loop runs over `inner` contiguous outputs at once, which vectorizes.

extension Tensor {
    /// The sum of all elements, as a scalar (shape `[]`) tensor.
    ///
    ///     Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).sum().scalar   // 10
    public func sum() -> Tensor {
        let out = TensorStorage(uninitializedCount: 1)
        withExtendedLifetime(storage) { out.base[0] = rowSum(storage.base, count) }
        return .record("sum", out, shape: [], inputs: [self]) { [shape] g, _ in [g.expandedData(to: shape)] }
    }

    /// The sum along one axis (negative counts from the end).
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // (2, 3)
    ///     x.sum(axis: 0).scalars                                       // [5, 7, 9]    (3)
    ///     x.sum(axis: -1, keepDims: true).shape                        // [2, 1]
    ///
    /// - Precondition: `axis` is in `-rank..<rank`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "sum(axis:)")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(repeating: 0, count: outer * inner)
        let src = storage.base, dst = out.base
        withExtendedLifetime(storage) {
            if inner == 1 {
                for o in 0..<outer { dst[o] = rowSum(src + o * n, n) }
            } else {
                for o in 0..<outer {
                    let d = dst + o * inner
                    for j in 0..<n {
                        let s = src + (o * n + j) * inner
                        for i in 0..<inner { d[i] += s[i] }
                    }
                }
            }
        }
        let kept = Tensor.reducedShape(shape, axis: axis, keepDims: true)
        let resultShape = keepDims ? kept : Tensor.reducedShape(shape, axis: axis, keepDims: false)
        return .record("sum", out, shape: resultShape, inputs: [self]) { [shape] g, _ in
            [g.reshaped(kept).expandedData(to: shape)]
        }
    }

    /// The mean of all elements, as a scalar tensor. NaN for an empty tensor.
    ///
    ///     Tensor(shape: [4], scalars: [1, 2, 3, 4]).mean().scalar   // 2.5
    public func mean() -> Tensor {
        sum() / Float(count)
    }

    /// The mean along one axis.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    ///     x.mean(axis: 1).scalars                     // [2, 5]
    ///     x.mean(axis: -1, keepDims: true).shape      // [2, 1]   (for x - mean)
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = Tensor.normalizeAxis(axis, rank: rank, "mean(axis:)")
        return sum(axis: a, keepDims: keepDims) / Float(shape[a])
    }

    /// The variance along one axis: the mean squared deviation from the mean, divided by n
    /// (`unbiased: false`, what layer norm uses) or by n − 1 (`unbiased: true`, the default of
    /// `torch.var`).
    ///
    ///     let x = Tensor(shape: [4], scalars: [1, 2, 3, 4])
    ///     x.variance(axis: 0, unbiased: false).scalar   // 1.25
    ///     x.variance(axis: 0).scalar                    // 1.6666666
    ///
    /// Computed as mean((x − mean)²) from differentiable ops (two passes, no cancellation).
    public func variance(axis: Int, keepDims: Bool = false, unbiased: Bool = true) -> Tensor {
        let a = Tensor.normalizeAxis(axis, rank: rank, "variance(axis:)")
        let centered = self - mean(axis: a, keepDims: true)
        let n = Float(shape[a])
        return centered.squared().sum(axis: a, keepDims: keepDims) / (unbiased ? n - 1 : n)
    }

    /// The largest element, as a scalar tensor. The gradient goes to the first largest element.
    ///
    ///     Tensor(shape: [3], scalars: [1, 5, 2]).max().scalar   // 5
    ///
    /// - Precondition: the tensor is not empty.
    public func max() -> Tensor {
        reshaped([count]).max(axis: 0)
    }

    /// The largest element along one axis (PyTorch's `max(dim).values`). The gradient goes to
    /// the position of the maximum (the first one on ties). NaN counts as the largest.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 9, 3, 7, 5, 6])
    ///     x.max(axis: 1).scalars   // [9, 7]
    ///
    /// - Precondition: the axis is not empty.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "max(axis:)")
        let indices = argmax(axis: axis)
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(uninitializedCount: outer * inner)
        withExtendedLifetime(storage) {
            let src = storage.base
            for o in 0..<outer {
                for i in 0..<inner { out.base[o * inner + i] = src[(o * n + indices[o * inner + i]) * inner + i] }
            }
        }
        let kept = Tensor.reducedShape(shape, axis: axis, keepDims: true)
        let resultShape = keepDims ? kept : Tensor.reducedShape(shape, axis: axis, keepDims: false)
        return .record("max", out, shape: resultShape, inputs: [self]) { [shape] g, _ in
            let grad = TensorStorage(repeating: 0, count: outer * n * inner)
            withExtendedLifetime(g.storage) {
                for o in 0..<outer {
                    for i in 0..<inner {
                        grad.base[(o * n + indices[o * inner + i]) * inner + i] = g.storage.base[o * inner + i]
                    }
                }
            }
            return [Tensor(storage: grad, shape: shape)]
        }
    }

    /// The index of the largest element along one axis (the first on ties; a NaN counts as the
    /// largest, like PyTorch), in row-major order of the remaining dimensions. Not
    /// differentiable.
    ///
    ///     let logits = Tensor(shape: [2, 3], scalars: [0.1, 2, 0.3, 5, 1, 1])
    ///     logits.argmax(axis: -1)   // [1, 0]
    ///
    /// - Precondition: the axis is not empty.
    public func argmax(axis: Int = -1) -> [Int] {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "argmax(axis:)")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        require(n > 0, "argmax: axis \(axis) of shape \(shape) is empty")
        var result = [Int](repeating: 0, count: outer * inner)
        withUnsafeScalars { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = 0
                    var bestValue = x[o * n * inner + i]
                    if bestValue.isNaN { result[o * inner + i] = 0; continue }
                    for j in 1..<Swift.max(n, 1) {
                        let v = x[(o * n + j) * inner + i]
                        if v > bestValue || v.isNaN {
                            best = j; bestValue = v
                            if v.isNaN { break }
                        }
                    }
                    result[o * inner + i] = best
                }
            }
        }
        return result
    }

    /// `shape` with `axis` removed, or set to 1 when `keepDims`.
    static func reducedShape(_ shape: [Int], axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }
}
