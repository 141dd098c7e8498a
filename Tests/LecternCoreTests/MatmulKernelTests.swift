// Tests of Kernels.sgemm against a naive triple loop computed in Double: every transpose
// combination, non-square shapes, leading dimensions wider than the rows, alpha and beta,
// and the edge cases (k = 0, beta = 0 over NaN, empty outputs, padding left untouched).
import LecternCore
import XCTest

final class MatmulKernelTests: XCTestCase {
    /// A row-major matrix stored with leading dimension `ld` (≥ cols): the padding holds a
    /// sentinel so that reading or writing it shows up.
    struct Stored {
        var rows: Int, cols: Int, ld: Int
        var data: [Float]

        static let padding: Float = 12345

        init(rows: Int, cols: Int, ld: Int, rng: inout SeededGenerator) {
            self.rows = rows; self.cols = cols; self.ld = ld
            data = [Float](repeating: Stored.padding, count: max(1, rows * ld))
            for i in 0..<rows { for j in 0..<cols { data[i * ld + j] = rng.nextUniform() * 2 - 1 } }
        }

        subscript(i: Int, j: Int) -> Float { data[i * ld + j] }
    }

    /// C = alpha·op(A)·op(B) + beta·C in Double, the obvious way.
    func naive(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: Stored, b: Stored, beta: Float, c: Stored) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transA ? a[p, i] : a[i, p]
                    let y = transB ? b[j, p] : b[p, j]
                    sum += Double(x) * Double(y)
                }
                out[i * n + j] = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i, j]))
            }
        }
        return out
    }

    /// Runs one case through sgemm and compares with `naive`, with a tolerance that grows like
    /// √k (Float rounding of k products, summed in some order BLAS chooses).
    func check(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
               extra: Int = 0, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        // Stored shapes: A is m×k, or k×m when transposed; B is k×n, or n×k.
        let a = transA ? Stored(rows: k, cols: m, ld: m + extra, rng: &rng) : Stored(rows: m, cols: k, ld: k + extra, rng: &rng)
        let b = transB ? Stored(rows: n, cols: k, ld: k + extra, rng: &rng) : Stored(rows: k, cols: n, ld: n + extra, rng: &rng)
        var c = Stored(rows: m, cols: n, ld: n + extra, rng: &rng)
        let expected = naive(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    Kernels.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                  a: pa.baseAddress!, lda: a.ld, b: pb.baseAddress!, ldb: b.ld,
                                  beta: beta, c: pc.baseAddress!, ldc: c.ld)
                }
            }
        }
        let label = "transA=\(transA) transB=\(transB) m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) extra=\(extra)"
        let tolerance = 1e-5 * Double(max(1, k)).squareRoot() * Double(max(1, abs(alpha))) + 1e-6
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let scale = max(1, abs(expected[i * n + j]))
                worst = max(worst, abs(Double(c[i, j]) - expected[i * n + j]) / scale)
            }
            for j in n..<(n + extra) {
                XCTAssertEqual(c[i, j], Stored.padding, "sgemm wrote C's padding at (\(i), \(j)): \(label)", file: file, line: line)
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "largest error \(worst): \(label)", file: file, line: line)
    }

    func testAllTransposeCombinationsSquare() {
        for transA in [false, true] {
            for transB in [false, true] {
                check(transA: transA, transB: transB, m: 33, n: 33, k: 33, seed: 1)
            }
        }
    }

    func testNonSquareShapes() {
        let shapes = [(1, 1, 1), (1, 7, 5), (7, 1, 5), (5, 7, 1), (3, 65, 17), (130, 9, 64), (17, 31, 257), (64, 128, 96)]
        for (index, (m, n, k)) in shapes.enumerated() {
            for transA in [false, true] {
                for transB in [false, true] {
                    check(transA: transA, transB: transB, m: m, n: n, k: k, seed: UInt64(10 + index))
                }
            }
        }
    }

    func testLeadingDimensionsWiderThanTheRows() {
        for transA in [false, true] {
            for transB in [false, true] {
                check(transA: transA, transB: transB, m: 19, n: 23, k: 29, extra: 5, seed: 3)
                check(transA: transA, transB: transB, m: 40, n: 3, k: 70, alpha: 0.5, beta: 2, extra: 1, seed: 4)
            }
        }
    }

    func testAlphaAndBeta() {
        for (alpha, beta) in [(Float(2), Float(0)), (1, 1), (-0.5, 0.25), (3, -1), (0, 2)] {
            for transA in [false, true] {
                for transB in [false, true] {
                    check(transA: transA, transB: transB, m: 21, n: 14, k: 37, alpha: alpha, beta: beta, extra: 2, seed: 5)
                }
            }
        }
    }

    /// Large enough that OpenBLAS splits the work across threads.
    func testLargeProduct() {
        check(transA: false, transB: false, m: 300, n: 257, k: 411, seed: 6)
        check(transA: true, transB: true, m: 257, n: 300, k: 129, alpha: 1.5, beta: -0.5, extra: 3, seed: 7)
    }

    /// Single-row and single-column products go to sgemv: every transpose, wide leading
    /// dimensions (A or B read with a stride), alpha and beta, and NaN in C with beta = 0.
    func testSingleRowAndColumnProductsAsMatrixVector() {
        for (m, n, k) in [(1, 50, 37), (45, 1, 37), (1, 1, 9), (1, 3000, 64)] {
            for transA in [false, true] {
                for transB in [false, true] {
                    check(transA: transA, transB: transB, m: m, n: n, k: k, extra: 3, seed: 20)
                    check(transA: transA, transB: transB, m: m, n: n, k: k, alpha: -1.5, beta: 0.5, extra: 2, seed: 21)
                }
            }
        }
        let a: [Float] = [1, 2]
        let b: [Float] = [1, 0, 0,
                          1, 1, 1]   // (2, 3)
        var c = [Float](repeating: .nan, count: 3)
        Kernels.sgemm(transA: false, transB: false, m: 1, n: 3, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 3, beta: 0, c: &c, ldc: 3)
        XCTAssertEqual(c, [3, 2, 2], "[1, 2] · b, and beta = 0 must not read the NaN in C")
    }

    /// Products big enough to be cut into bands over threads: by rows, and by columns when
    /// there are few rows (a decoding step against a big weight), with strides, alpha and beta.
    func testProductsSplitIntoBandsOfRowsOrColumns() {
        check(transA: false, transB: true, m: 512, n: 96, k: 200, alpha: 0.5, beta: 1, extra: 4, seed: 30)
        check(transA: true, transB: false, m: 6, n: 2048, k: 300, beta: -1, extra: 2, seed: 31)
        check(transA: false, transB: true, m: 2, n: 4096, k: 256, seed: 32)
    }

    /// The docs' example, exactly.
    func testDocumentationExample() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [1, 0, 0, 1, 1, 1]
        var c = [Float](repeating: 0, count: 4)
        Kernels.sgemm(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 1,
                      a: a, lda: 3, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        XCTAssertEqual(c, [4, 5, 10, 11])
    }

    /// beta = 0 means C is not read: NaN there must not leak into the result (BLAS semantics).
    func testBetaZeroIgnoresNaNInC() {
        let a: [Float] = [1, 2, 3, 4]
        let b: [Float] = [1, 0, 0, 1]
        var c = [Float](repeating: .nan, count: 4)
        Kernels.sgemm(transA: false, transB: false, m: 2, n: 2, k: 2, alpha: 1,
                      a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        XCTAssertEqual(c, [1, 2, 3, 4])
    }

    /// k = 0: the product is empty, so C becomes beta·C.
    func testEmptyInnerDimensionScalesC() {
        let a: [Float] = [0], b: [Float] = [0]
        var c: [Float] = [1, 2, 3, 4, 5, 6]
        Kernels.sgemm(transA: false, transB: false, m: 2, n: 3, k: 0, alpha: 1,
                      a: a, lda: 1, b: b, ldb: 3, beta: 0.5, c: &c, ldc: 3)
        XCTAssertEqual(c, [0.5, 1, 1.5, 2, 2.5, 3])
    }

    /// m = 0 or n = 0: nothing to compute and C is untouched.
    func testEmptyOutputDoesNothing() {
        let a: [Float] = [1, 2], b: [Float] = [3, 4]
        var c: [Float] = [7]
        Kernels.sgemm(transA: false, transB: false, m: 0, n: 1, k: 2, alpha: 1,
                      a: a, lda: 2, b: b, ldb: 1, beta: 0, c: &c, ldc: 1)
        Kernels.sgemm(transA: false, transB: false, m: 1, n: 0, k: 2, alpha: 1,
                      a: a, lda: 2, b: b, ldb: 1, beta: 0, c: &c, ldc: 1)
        XCTAssertEqual(c, [7])
    }
}
