// x @ Wᵀ with W stored [out, in] — the product every Linear layer computes.
//
// Reference: `torch.nn.functional.linear` (without the bias; add it with `+`). PyTorch stores
// a Linear weight as [out, in] so that checkpoints load as they are; multiplying by its
// transpose need not copy it, because BLAS reads a matrix transposed for free (sgemm's transB).
// For y = x Wᵀ with upstream g (all as rows (N, ·)):
//   ∂x = g W        (N, out) @ (out, in)
//   ∂W = gᵀ x       (out, N) @ (N, in)   — the sum over the batch is sgemm's long k.

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
        require(rank >= 1 && weight.rank == 2 && shape[rank - 1] == weight.shape[1],
                "linear: input of shape \(shape) and weight of shape \(weight.shape): the weight is [out, in] with in = the input's last dimension")
        let k = weight.shape[1], n = weight.shape[0]          // in, out
        let m = count / Swift.max(k, 1)                      // rows N
        let out = TensorStorage(uninitializedCount: m * n)
        withExtendedLifetime((storage, weight.storage, out)) {
            Kernels.sgemm(transA: false, transB: true, m: m, n: n, k: k, alpha: 1,
                          a: storage.base, lda: Swift.max(k, 1), b: weight.storage.base, ldb: Swift.max(k, 1),
                          beta: 0, c: out.base, ldc: Swift.max(n, 1))  // (N, out)
        }
        let resultShape = Array(shape.dropLast()) + [n]
        return .record("linear", out, shape: resultShape, inputs: [self, weight]) {
            // ∂x needs W and ∂W needs x: save only those (frozen weights keep x out of memory).
            [x = weight.node != nil ? detached() : nil, w = node != nil ? weight.detached() : nil, xShape = shape, wShape = weight.shape] g, needs in
            var gx: Tensor?, gw: Tensor?
            if needs[0] {
                let s = TensorStorage(uninitializedCount: m * k)
                let w = w!
                withExtendedLifetime((g.storage, w.storage, s)) {
                    Kernels.sgemm(transA: false, transB: false, m: m, n: k, k: n, alpha: 1,
                                  a: g.storage.base, lda: Swift.max(n, 1), b: w.storage.base, ldb: Swift.max(k, 1),
                                  beta: 0, c: s.base, ldc: Swift.max(k, 1))  // (N, in)
                }
                gx = Tensor(storage: s, shape: xShape)
            }
            if needs[1] {
                let s = TensorStorage(uninitializedCount: n * k)
                let x = x!
                withExtendedLifetime((g.storage, x.storage, s)) {
                    Kernels.sgemm(transA: true, transB: false, m: n, n: k, k: m, alpha: 1,
                                  a: g.storage.base, lda: Swift.max(n, 1), b: x.storage.base, ldb: Swift.max(k, 1),
                                  beta: 0, c: s.base, ldc: Swift.max(k, 1))  // (out, in)
                }
                gw = Tensor(storage: s, shape: wShape)
            }
            return [gx, gw]
        }
    }
}
