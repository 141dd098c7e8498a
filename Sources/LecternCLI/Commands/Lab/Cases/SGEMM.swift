// sgemm-512, sgemm-1024, sgemm-2048: C = A·B for square row-major Float matrices through
// Kernels.sgemm, against NumPy's `np.matmul(a, b, out=c)` (both OpenBLAS underneath on Linux).
// 2·n³ floating-point operations per call (n³ multiplies and n³ adds).
import LecternCore

extension BenchCase {
    static var sgemm: [BenchCase] {
        [512, 1024, 2048].map { n in
            BenchCase(name: "sgemm-\(n)", unit: .gflops(perCall: 2 * Double(n) * Double(n) * Double(n)),
                      reference: ReferenceSpec(kind: "sgemm", params: ["m": n, "n": n, "k": n])) {
                let a = BenchBuffer(count: n * n, seed: 1), b = BenchBuffer(count: n * n, seed: 2)
                let c = BenchBuffer(count: n * n, seed: 3)
                return {
                    Kernels.sgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1,
                                  a: a.pointer, lda: n, b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
                }
            }
        }
    }
}
