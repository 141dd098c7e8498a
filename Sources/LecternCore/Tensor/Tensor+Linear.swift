// x @ Wᵀ + b with W stored [out, in] — the product every Linear layer computes.
//
// Reference: `torch.nn.functional.linear(x, weight, bias)`. PyTorch stores a Linear weight as
// [out, in] so that checkpoints load as they are; multiplying by its transpose need not copy
// it, because BLAS reads a matrix transposed for free (sgemm's transB). For y = x Wᵀ + b with
// upstream g (all as rows (N, ·)):
//   ∂x = g W        (N, out) @ (out, in)
//   ∂W = gᵀ x       (out, N) @ (N, in)   — the sum over the batch is sgemm's long k
//   ∂b = Σ_rows g
// The bias is written into the output first and the product added onto it by the same sgemm
// call (beta = 1): no extra pass over the result.
//
// A block of the weight's rows can be used in place (`rows:`): multi-head attention's packed
// (3E, E) `in_proj_weight` gives its query, key and value projections that way without copying
// a block out per call, and the block's gradient is added straight into the weight's gradient.

extension Tensor {
    /// `self @ weightᵀ` over the last axis: (…, in) with `weight` (out, in) → (…, out),
    /// without copying the transposed weight.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // (N=2, in=3)
    ///     let w = Tensor(shape: [1, 3], scalars: [1, 0, -1])           // (out=1, in=3)
    ///     x.linear(w).scalars                                          // [-2, -2]
    ///
    /// - Precondition: `weight` has rank 2 and its second dimension is this tensor's last one.
    public func linear(_ weight: Tensor) -> Tensor {
        linear(weight, bias: nil)
    }

    /// `self @ weight[rows]ᵀ + bias` over the last axis (PyTorch's `F.linear(x, weight, bias)`,
    /// with `weight[rows]` a block of the weight's rows, default all of them, used in place).
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // (N=2, in=3)
    ///     let w = Tensor(shape: [1, 3], scalars: [1, 0, -1])           // (out=1, in=3)
    ///     x.linear(w, bias: Tensor(shape: [1], scalars: [10])).scalars // [8, 8]
    ///     qkv.linear(inProj, rows: 0..<64, bias: nil)                  // the first 64 outputs only
    ///
    /// - Precondition: `weight` has rank 2 and its second dimension is this tensor's last one;
    ///   `rows` lies within its first; `bias`, when given, has shape [rows.count].
    public func linear(_ weight: Tensor, rows: Range<Int>? = nil, bias: Tensor?) -> Tensor {
        require(rank >= 1 && weight.rank == 2 && shape[rank - 1] == weight.shape[1],
                "linear: input of shape \(shape) and weight of shape \(weight.shape): the weight is [out, in] with in = the input's last dimension")
        let rows = rows ?? 0..<weight.shape[0]
        require(rows.lowerBound >= 0 && rows.upperBound <= weight.shape[0],
                "linear: rows \(rows) are outside the weight's 0..<\(weight.shape[0])")
        let k = weight.shape[1], n = rows.count                 // in, out
        require(bias.map { $0.shape == [n] } ?? true, "linear: bias of shape \(bias?.shape ?? []) for \(n) outputs; it must be [\(n)]")
        let m = count / Swift.max(k, 1)                        // rows N
        let out = TensorStorage(uninitializedCount: m * n)
        let first = rows.lowerBound * k                          // offset of weight[rows]
        withExtendedLifetime((storage, weight.storage, out, bias?.storage)) {
            if let bias {
                for row in 0..<m { (out.base + row * n).update(from: bias.storage.base, count: n) }   // (N, out) = b
            }
            Kernels.sgemm(transA: false, transB: true, m: m, n: n, k: k, alpha: 1,
                          a: storage.base, lda: Swift.max(k, 1), b: weight.storage.base + first, ldb: Swift.max(k, 1),
                          beta: bias == nil ? 0 : 1, c: out.base, ldc: Swift.max(n, 1))  // (N, out)
        }
        let resultShape = Array(shape.dropLast()) + [n]
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        // ∂x needs W and ∂W needs x: save only those (frozen weights keep x out of memory).
        return .record("linear", out, shape: resultShape, inputs: inputs) {
            [x = weight.node != nil ? detached() : nil, w = node != nil ? weight.detached() : nil,
             xShape = shape, wShape = weight.shape] g, sink in
            if sink.needs(0), let w {
                let s = TensorStorage(uninitializedCount: m * k)
                withExtendedLifetime((g.storage, w.storage, s)) {
                    Kernels.sgemm(transA: false, transB: false, m: m, n: k, k: n, alpha: 1,
                                  a: g.storage.base, lda: Swift.max(n, 1), b: w.storage.base + first, ldb: Swift.max(k, 1),
                                  beta: 0, c: s.base, ldc: Swift.max(k, 1))  // (N, in)
                }
                sink.add(Tensor(storage: s, shape: xShape), to: 0)
            }
            if sink.needs(1), let x {
                // Added straight into rows `rows` of the weight's running gradient.
                sink.accumulate(into: 1, shape: wShape) { grad in
                    withExtendedLifetime((g.storage, x.storage)) {
                        Kernels.sgemm(transA: true, transB: false, m: n, n: k, k: m, alpha: 1,
                                      a: g.storage.base, lda: Swift.max(n, 1), b: x.storage.base, ldb: Swift.max(k, 1),
                                      beta: 1, c: grad + first, ldc: Swift.max(k, 1))  // (out, in)
                    }
                }
            }
            if inputs.count > 2, sink.needs(2) {
                sink.add(g.reshaped([m, n]).sum(axis: 0), to: 2)                        // (out)
            }
        }
    }
}
