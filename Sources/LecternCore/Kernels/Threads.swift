// How many threads the library computes on, and how it shares the cores with OpenBLAS.
//
// Reference: PyTorch's `torch.set_num_threads` / `OMP_NUM_THREADS`, which set the size of one
// intra-op thread pool that its own kernels and MKL share.
//
// Two pools work here: ours (Dispatch's `concurrentPerform`, for elementwise loops and for
// batches of independent matrix products) and OpenBLAS's (inside one big `sgemm`). They must not
// both run at once: two threads that each call a multithreaded `sgemm` make OpenBLAS hand four
// jobs to two cores, and a batch of small products, each split across cores by OpenBLAS, spends
// more time waking threads than multiplying. Measured on the 2-core development machine, the
// 64 products (128×32)·(32×128) of one attention layer took 2.8 ms as 64 calls with OpenBLAS's
// two threads, 2.5 ms on one thread, and 1.3 ms as two threads of ours each making 32
// single-threaded calls. So:
//   - one big product (a Linear layer) is one `sgemm` call, and OpenBLAS spreads it over its
//     threads;
//   - a batch of independent products is spread over our threads, each calling `sgemm` with
//     OpenBLAS switched to one thread for the duration (``Kernels/concurrentProducts``).
//
// `LECTERN_NUM_THREADS=n` sets both pools to n threads (OpenBLAS's unless
// `OPENBLAS_NUM_THREADS` is also set, which then wins for BLAS); unset, ours uses the active
// cores (at most 8) and OpenBLAS its own default.

#if canImport(CBLAS)
import CBLAS
#endif
import Foundation

extension Kernels {
    /// The number of threads the library's own parallel loops use: `LECTERN_NUM_THREADS` when
    /// set, else the number of active cores, at most 8.
    ///
    ///     // LECTERN_NUM_THREADS=1 swift run …   → 1
    ///     print(Kernels.threadCount)
    public static var threadCount: Int { parallelWorkers }

    /// Applies `LECTERN_NUM_THREADS` to OpenBLAS once, before its first use (unless
    /// `OPENBLAS_NUM_THREADS` is set, which OpenBLAS reads itself).
    static let blasThreadsConfigured: Bool = {
        #if canImport(CBLAS)
        let environment = ProcessInfo.processInfo.environment
        if environment["LECTERN_NUM_THREADS"] != nil, environment["OPENBLAS_NUM_THREADS"] == nil {
            openblas_set_num_threads(Int32(parallelWorkers))
        }
        #endif
        return true
    }()

    /// Runs `body` on disjoint, consecutive ranges of `0..<count` independent matrix products,
    /// concurrently on up to ``threadCount`` threads when the batch holds enough work
    /// (`flopsEach` floating-point operations per product), with BLAS on one thread meanwhile
    /// (see the file comment). `body` must only write what its own range of products owns.
    ///
    ///     Kernels.concurrentProducts(64, flopsEach: 2 * 128 * 128 * 32) { range in
    ///         for i in range { /* one sgemm per i */ }
    ///     }
    static func concurrentProducts(_ count: Int, flopsEach: Double, _ body: (Range<Int>) -> Void) {
        // Below ~1 MFLOP in all, waking a worker costs more than it saves.
        let chunks = Double(count) * flopsEach < 1e6 ? 1 : Swift.min(parallelWorkers, count)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        BLASThreads.serial {
            parallelChunks(count, chunks: chunks) { _, range in body(range) }
        }
    }
}

/// Switches OpenBLAS to one thread while our own threads call it, and back afterwards.
/// Nested and concurrent callers are counted, so the last one out restores the setting.
enum BLASThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved: Int32 = 1

    static func serial<R>(_ body: () -> R) -> R {
        #if canImport(CBLAS)
        _ = Kernels.blasThreadsConfigured
        lock.lock()
        if depth == 0 {
            saved = openblas_get_num_threads()
            if saved > 1 { openblas_set_num_threads(1) }
        }
        depth += 1
        lock.unlock()
        defer {
            lock.lock()
            depth -= 1
            if depth == 0, saved > 1 { openblas_set_num_threads(saved) }
            lock.unlock()
        }
        #endif
        return body()
    }
}
