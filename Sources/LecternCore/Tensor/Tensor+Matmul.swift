// Matrix product, plain and batched.
//
// Reference: `torch.matmul` (PyTorch 2.x): 2-D @ 2-D is the matrix product; N-D operands are
// stacks of matrices in their last two dimensions, and the batch (leading) dimensions
// broadcast, so (B, H, T, D) @ (B, H, D, T) → (B, H, T, T) and (B, T, C) @ (C, N) → (B, T, N).
// A 1-D left operand is a row vector (a 1 prepended, then removed from the result); a 1-D right
// operand is a column vector (a 1 appended, then removed).
//
// Every product goes through `Kernels.sgemm` (BLAS). For z = x @ w with upstream g:
//   ∂x = g @ wᵀ,   ∂w = xᵀ @ g,
// computed with sgemm's transpose flags (no transposed copies), summing over batch entries
// that were broadcast (beta = 1 accumulates into the same slot).
//
// Fast path: when the right operand is a single matrix, a batched left operand is one tall
// matrix (B·T, K), so a Linear layer is one sgemm call instead of B. Otherwise the batch's
// products are spread over threads, each a single-threaded sgemm (Kernels/Threads.swift).

extension Tensor {
    /// The matrix product, batched over leading dimensions with broadcasting, like
    /// `torch.matmul`.
    ///
    ///     let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // (2, 3)
    ///     let b = Tensor(shape: [3, 1], scalars: [1, 0, 1])            // (3, 1)
    ///     a.matmul(b).scalars                                          // [4, 10]   (2, 1)
    ///
    ///     let q = Tensor.zeros([8, 4, 16, 32]), k = Tensor.zeros([8, 4, 32, 16])
    ///     q.matmul(k).shape                                            // [8, 4, 16, 16]
    ///
    /// - Precondition: both operands have rank ≥ 1, the inner sizes agree (`K` in
    ///   (…, M, K) @ (…, K, N)) and the batch dimensions broadcast.
    public func matmul(_ other: Tensor) -> Tensor {
        require(rank >= 1 && other.rank >= 1, "matmul: operands must have rank ≥ 1, got shapes \(shape) and \(other.shape)")
        if rank == 1 {
            // A row vector: (K) → (1, K); drop the 1 from the result.
            let result = reshaped([1, shape[0]]).matmul(other)
            var s = result.shape; s.remove(at: s.count - 2)
            return result.reshaped(s)
        }
        if other.rank == 1 {
            // A column vector: (K) → (K, 1); drop the 1 from the result.
            let result = matmul(other.reshaped([other.shape[0], 1]))
            return result.reshaped(Array(result.shape.dropLast()))
        }
        let m = shape[rank - 2], k = shape[rank - 1]
        let k2 = other.shape[other.rank - 2], n = other.shape[other.rank - 1]
        require(k == k2, "matmul: inner sizes differ: \(shape) @ \(other.shape) needs \(k) == \(k2) (columns of the left = rows of the right)")
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = Tensor.broadcastShapeOrFail(batchA, batchB, "matmul (batch dimensions)")
        let plan = MatmulPlan(batch: batch, batchA: batchA, batchB: batchB, m: m, n: n, k: k)
        let out = TensorStorage(uninitializedCount: plan.batchCount * m * n)
        plan.forward(a: storage, b: other.storage, c: out)
        return .record("matmul", out, shape: batch + [m, n], inputs: [self, other]) {
            // ∂A needs B and ∂B needs A: save only what will be used.
            [a = other.node != nil ? detached() : nil, b = node != nil ? other.detached() : nil, sa = shape, sb = other.shape] g, needs in
            let ga: Tensor? = needs[0] ? plan.gradientA(g: g.storage, b: b!.storage, shape: sa) : nil
            let gb: Tensor? = needs[1] ? plan.gradientB(g: g.storage, a: a!.storage, shape: sb) : nil
            return [ga, gb]
        }
    }

    /// The transpose of a matrix (`x.T`), a copy.
    ///
    ///     Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).T.shape   // [3, 2]
    ///
    /// - Precondition: rank 2 (use ``transposed(_:_:)`` otherwise).
    public var T: Tensor {
        require(rank == 2, "T: only for matrices (rank 2), got shape \(shape); use transposed(_:_:)")
        return transposed(0, 1)
    }
}

/// Which matrix of each operand every batch entry of a (broadcast) batched product uses.
private struct MatmulPlan: Sendable {
    let m: Int, n: Int, k: Int
    /// For each batch entry of the result, the index of the matrix in A and in B.
    let matrixA: [Int], matrixB: [Int]
    let countA: Int, countB: Int
    var batchCount: Int { matrixA.count }
    /// Floating-point operations of one matrix product.
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    /// B is one matrix shared by every batch entry, and A's entries are consecutive: the whole
    /// product is one (batch·m, k) @ (k, n) call.
    var foldsIntoOne: Bool { countB == 1 && countA == batchCount }

    init(batch: [Int], batchA: [Int], batchB: [Int], m: Int, n: Int, k: Int) {
        self.m = m; self.n = n; self.k = k
        countA = batchA.reduce(1, *)
        countB = batchB.reduce(1, *)
        let total = batch.reduce(1, *)
        if batch.isEmpty || (batchA == batch && batchB == batch) {
            matrixA = Array(0..<total); matrixB = Array(0..<total)
            return
        }
        let sa = Tensor.broadcastStrides(batchA, to: batch), sb = Tensor.broadcastStrides(batchB, to: batch)
        var ia = [Int](), ib = [Int]()
        ia.reserveCapacity(total); ib.reserveCapacity(total)
        var index = [Int](repeating: 0, count: batch.count)
        for _ in 0..<total {
            var oa = 0, ob = 0
            for d in 0..<batch.count { oa += index[d] * sa[d]; ob += index[d] * sb[d] }
            ia.append(oa); ib.append(ob)
            var d = batch.count - 1
            while d >= 0 { index[d] += 1; if index[d] < batch[d] { break }; index[d] = 0; d -= 1 }
        }
        matrixA = ia; matrixB = ib
    }

    /// C = A @ B for every batch entry.
    func forward(a: TensorStorage, b: TensorStorage, c: TensorStorage) {
        withExtendedLifetime((a, b, c)) {
            if foldsIntoOne {
                Kernels.sgemm(transA: false, transB: false, m: batchCount * m, n: n, k: k, alpha: 1,
                              a: a.base, lda: Swift.max(k, 1), b: b.base, ldb: Swift.max(n, 1), beta: 0, c: c.base, ldc: Swift.max(n, 1))
                return
            }
            // Independent products, each writing its own matrix of C: spread over threads.
            Kernels.concurrentProducts(batchCount, flopsEach: flops) { range in
                for i in range {
                    Kernels.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                                  a: a.base + matrixA[i] * m * k, lda: Swift.max(k, 1),
                                  b: b.base + matrixB[i] * k * n, ldb: Swift.max(n, 1),
                                  beta: 0, c: c.base + i * m * n, ldc: Swift.max(n, 1))
                }
            }
        }
    }

    /// ∂A = G @ Bᵀ, summed over the batch entries that share a matrix of A.
    func gradientA(g: TensorStorage, b: TensorStorage, shape: [Int]) -> Tensor {
        let out = TensorStorage(repeating: 0, count: countA * m * k)
        withExtendedLifetime((g, b, out)) {
            if foldsIntoOne {
                // (batch·m, n) @ (k, n)ᵀ → (batch·m, k)
                Kernels.sgemm(transA: false, transB: true, m: batchCount * m, n: k, k: n, alpha: 1,
                              a: g.base, lda: Swift.max(n, 1), b: b.base, ldb: Swift.max(n, 1), beta: 0, c: out.base, ldc: Swift.max(k, 1))
                return
            }
            // Concurrent only when no two entries add into the same matrix of ∂A.
            Kernels.concurrentProducts(batchCount, flopsEach: countA == batchCount ? flops : 0) { range in
                for i in range {
                    Kernels.sgemm(transA: false, transB: true, m: m, n: k, k: n, alpha: 1,
                                  a: g.base + i * m * n, lda: Swift.max(n, 1),
                                  b: b.base + matrixB[i] * k * n, ldb: Swift.max(n, 1),
                                  beta: 1, c: out.base + matrixA[i] * m * k, ldc: Swift.max(k, 1))
                }
            }
        }
        return Tensor(storage: out, shape: shape)
    }

    /// ∂B = Aᵀ @ G, summed over the batch entries that share a matrix of B.
    func gradientB(g: TensorStorage, a: TensorStorage, shape: [Int]) -> Tensor {
        let out = TensorStorage(repeating: 0, count: countB * k * n)
        withExtendedLifetime((g, a, out)) {
            if foldsIntoOne {
                // (batch·m, k)ᵀ @ (batch·m, n) → (k, n): the sum over the batch is the long k.
                Kernels.sgemm(transA: true, transB: false, m: k, n: n, k: batchCount * m, alpha: 1,
                              a: a.base, lda: Swift.max(k, 1), b: g.base, ldb: Swift.max(n, 1), beta: 0, c: out.base, ldc: Swift.max(n, 1))
                return
            }
            Kernels.concurrentProducts(batchCount, flopsEach: countB == batchCount ? flops : 0) { range in
                for i in range {
                    Kernels.sgemm(transA: true, transB: false, m: k, n: n, k: m, alpha: 1,
                                  a: a.base + matrixA[i] * m * k, lda: Swift.max(k, 1),
                                  b: g.base + i * m * n, ldb: Swift.max(n, 1),
                                  beta: 1, c: out.base + matrixB[i] * k * n, ldc: Swift.max(n, 1))
                }
            }
        }
        return Tensor(storage: out, shape: shape)
    }
}
