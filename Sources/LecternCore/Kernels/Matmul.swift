// Matrix multiplication: the one kernel everything else leans on.
//
// Why BLAS. A dense layer, attention's QKᵀ and PV, and the backward pass of each are all
// matrix products, and they are where a Transformer spends nearly all of its time. Measured
// at 512×512 on the 2-core development machine: the textbook i-j-k triple loop in Swift (-O)
// reaches 1.6 GFLOP/s, the cache-friendly i-k-j order 27 GFLOP/s (one core, vectorized by the
// compiler), and OpenBLAS about 270 GFLOP/s (register blocking, cache tiling, packed panels,
// FMA micro-kernels, both cores). Writing such a kernel is a project of its own, so the
// library calls the standard CBLAS interface instead, as NumPy does:
//   - Linux: OpenBLAS (Debian `libopenblas-dev`), through the `CBLAS` system-library target.
//     It is the same library NumPy's wheels bundle, so our matmuls run at NumPy's speed.
//   - macOS: Accelerate, which ships with the OS and uses the Apple AMX/matrix units.
//
// Conventions (the CBLAS ones, with `CblasRowMajor`):
//   - Row-major: element (i, j) of a matrix stored at `p` with leading dimension `ld` is at
//     `p[i * ld + j]`. Rows are contiguous; consecutive rows start `ld` elements apart.
//   - The leading dimension `ld` is the distance between rows *as stored*, so it is at least
//     the number of stored columns. A larger `ld` addresses a sub-block of a bigger matrix
//     (e.g. one head's slice of a fused QKV projection) without copying.
//   - `transA`/`transB` say that the matrix is stored transposed: with `transA`, A is stored
//     as a k×m matrix (lda ≥ m) and used as its transpose, m×k. Without, it is m×k (lda ≥ k).
//     Likewise B is k×n (ldb ≥ n), or n×k stored (ldb ≥ k) when `transB`.
//   - C is m×n (ldc ≥ n) and is never transposed.
//
// Reference: the BLAS Technical Forum Standard, Annex B (the C interface, CBLAS),
// https://netlib.org/blas/blast-forum/cinterface.pdf

#if canImport(Accelerate)
import Accelerate
#elseif canImport(CBLAS)
import CBLAS
#endif

/// Low-level numeric kernels on raw buffers. Tensor operations call these; lessons and
/// students normally use the tensor API instead.
public enum Kernels {
    /// Single-precision general matrix multiply, row-major:
    /// `C ← alpha · op(A) · op(B) + beta · C`, where op(X) is X, or Xᵀ when its flag is set.
    ///
    ///     // C (2×2) = A (2×3) · B (3×2)
    ///     let a: [Float] = [1, 2, 3,
    ///                       4, 5, 6]
    ///     let b: [Float] = [1, 0,
    ///                       0, 1,
    ///                       1, 1]
    ///     var c = [Float](repeating: 0, count: 4)
    ///     Kernels.sgemm(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 1,
    ///                   a: a, lda: 3, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
    ///     // c == [4, 5, 10, 11]
    ///
    /// - Parameters:
    ///   - transA: use Aᵀ: A is stored k×m (row-major) instead of m×k.
    ///   - transB: use Bᵀ: B is stored n×k instead of k×n.
    ///   - m: rows of op(A) and of C.
    ///   - n: columns of op(B) and of C.
    ///   - k: columns of op(A), rows of op(B) (the summed dimension).
    ///   - alpha: scale of the product.
    ///   - a: A's first element; element (i, j) of the stored matrix is `a[i * lda + j]`.
    ///   - lda: A's leading dimension (row stride as stored): ≥ k, or ≥ m when `transA`.
    ///   - b: B's first element.
    ///   - ldb: B's leading dimension: ≥ n, or ≥ k when `transB`.
    ///   - beta: scale of the old C. With `beta == 0` C is only written, never read, so it may
    ///     hold garbage (even NaN) beforehand.
    ///   - c: C's first element, m×n; must not overlap A or B.
    ///   - ldc: C's leading dimension, ≥ n.
    ///
    /// Empty shapes are allowed: with m or n zero nothing happens; with k zero C becomes
    /// beta·C. Backed by `cblas_sgemm`: on Linux, OpenBLAS on one thread per call, a big
    /// product cut into bands over ``threadCount`` threads (Threads.swift); on macOS,
    /// Accelerate with its own threads.
    ///
    /// - Precondition: sizes are non-negative and the leading dimensions are at least the
    ///   stored row lengths (checked; BLAS would otherwise report to stderr and return).
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        require(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
        require(lda >= max(1, transA ? m : k), "sgemm: lda=\(lda) is smaller than A's stored row length \(transA ? m : k)")
        require(ldb >= max(1, transB ? k : n), "sgemm: ldb=\(ldb) is smaller than B's stored row length \(transB ? k : n)")
        require(ldc >= max(1, n), "sgemm: ldc=\(ldc) is smaller than C's row length \(n)")
        if m == 0 || n == 0 { return }
        #if canImport(CBLAS)
        _ = blasThreadsConfigured
        if shouldSplit(m: m, n: n, k: k) {
            splitSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                       b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        #endif
        #if canImport(Accelerate) || canImport(CBLAS)
        product(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
        #else
        #error("Lectern needs a CBLAS: OpenBLAS (libopenblas-dev) on Linux, Accelerate on macOS")
        #endif
    }

    #if canImport(CBLAS)
    /// C = op(A)·op(B) as bands computed on ``threadCount`` threads at once, each a
    /// single-threaded OpenBLAS call (see Threads.swift). Every band packs the whole of the
    /// operand it shares with the others (B for bands of C's rows, A for bands of columns), so
    /// the split is along the longer side of C, which shares the smaller operand: rows for
    /// m ≥ n, columns otherwise (a language model's (tokens, d)·(d, vocab) head, a decoding
    /// step's single row).
    private static func splitSgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m >= n {
            parallelRegion(m, chunks: parallelWorkers) { _, rows in
                product(transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: alpha,
                        a: transA ? a + rows.lowerBound : a + rows.lowerBound * lda, lda: lda,
                        b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
            }
        } else {
            parallelRegion(n, chunks: parallelWorkers) { _, columns in
                product(transA: transA, transB: transB, m: m, n: columns.count, k: k, alpha: alpha, a: a, lda: lda,
                        b: transB ? b + columns.lowerBound * ldb : b + columns.lowerBound, ldb: ldb,
                        beta: beta, c: c + columns.lowerBound, ldc: ldc)
            }
        }
    }
    #endif

    #if canImport(Accelerate) || canImport(CBLAS)
    /// One BLAS call for C = alpha·op(A)·op(B) + beta·C. A product with a single row or column
    /// is a matrix–vector product (sgemv): sgemm would first pack the whole other matrix into
    /// its blocked layout, which for a decoding step's (1, d) · (d, vocab) cost three times the
    /// multiplication itself (measured: 63 % of a cached decoding step in OpenBLAS's packing).
    private static func product(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 1 || n == 1, k > 0 {
            // With beta = 0, C may hold garbage (NaN): clear it, as 0·NaN would stay NaN.
            if beta == 0 {
                if m == 1 { c.update(repeating: 0, count: n) } else { for i in 0..<m { c[i * ldc] = 0 } }
            }
            if m == 1 {
                // cᵀ (n) = op(B)ᵀ a: a's k elements are a[i] (or a[i·lda] when A is stored k×1).
                cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, blasInt(transB ? n : k), blasInt(transB ? k : n),
                            alpha, b, blasInt(ldb), a, blasInt(transA ? lda : 1), beta, c, 1)
            } else {
                // c (m) = op(A) b: b's k elements are b[i·ldb] (or b[i] when B is stored 1×k).
                cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, blasInt(transA ? k : m), blasInt(transA ? m : k),
                            alpha, a, blasInt(lda), b, blasInt(transB ? 1 : ldb), beta, c, blasInt(ldc))
            }
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb),
                    beta, c, blasInt(ldc))
    }
    #endif

    /// Which BLAS ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` calls, and how
    /// many threads share a product: e.g. "OpenBLAS 0.3.21 … Zen …, 1 thread per call, products
    /// split over 2 threads", or "Accelerate".
    ///
    ///     print(Kernels.blasDescription)
    public static var blasDescription: String {
        #if canImport(Accelerate)
        return "Accelerate"
        #elseif canImport(CBLAS)
        _ = blasThreadsConfigured
        let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
        let threads = openblas_get_num_threads()
        return "\(config), \(threads) thread\(threads == 1 ? "" : "s") per call, products split over \(threadCount) thread\(threadCount == 1 ? "" : "s")"
        #endif
    }
}

/// `x` as the BLAS integer type (32-bit `int` in both OpenBLAS's default build and Accelerate's
/// classic interface); a size that does not fit is a precondition failure, not a wrap-around.
private func blasInt<T: FixedWidthInteger>(_ x: Int) -> T {
    guard let value = T(exactly: x) else { fatalError("sgemm: \(x) does not fit BLAS's \(T.bitWidth)-bit integers") }
    return value
}
