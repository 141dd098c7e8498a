// How many threads the library computes on, and how it shares the cores with OpenBLAS.
//
// Reference: PyTorch's `torch.set_num_threads` / `OMP_NUM_THREADS`, which set the size of one
// intra-op thread pool that its own kernels and MKL share.
//
// Two pools could work here: ours (Dispatch's `concurrentPerform`, for elementwise loops and
// for batches of independent products) and OpenBLAS's (inside one `sgemm`). They must not run
// at once. OpenBLAS's idle workers busy-wait (`sched_yield` in a loop) for about 0.1 s after
// every call before they sleep, so in a Transformer layer, where products alternate with
// softmax, layer norm and GELU every millisecond, they never sleep: measured with perf on the
// 2-core development machine, a quarter of a multi-head attention forward pass was OpenBLAS
// workers yielding while our threads computed the softmax. And a batch of small products each
// split across cores by OpenBLAS spends more time waking threads than multiplying: the 64
// products (128×32)·(32×128) of one attention layer took 2.8 ms as 64 calls with OpenBLAS's two
// threads, 2.5 ms on one thread, and 1.3 ms as two threads of ours each making 32 calls.
//
// So on Linux the library owns the threads, as PyTorch's intra-op pool owns MKL's:
//   - OpenBLAS is switched to one thread at the first product (its idle worker then sleeps for
//     good);
//   - one big product is cut into bands of C's rows (or columns), one per thread, each a
//     single-threaded sgemm (Matmul.swift); measured on square products of 512–2048 this is as
//     fast as OpenBLAS's own two threads;
//   - a batch of independent products (attention's heads, a batched matmul) is spread over the
//     threads, each product on one (``Kernels/concurrentProducts``);
//   - elementwise loops use the same threads (Parallel.swift).
// A product made inside one of those threads is never split again.
//
// `LECTERN_NUM_THREADS=n` sets the number of threads; unset, the active cores (at most 8).
// On macOS, Accelerate manages its own threads and products are not split.

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

    /// What the tensor core's vector loops were compiled for: "a CPU chosen by
    /// LECTERN_TARGET_CPU" (e.g. AVX2 + FMA, set by the course scripts when the CPU has them) or
    /// "the baseline of its architecture" (see Package.swift).
    ///
    ///     print(Kernels.vectorTarget)
    public static var vectorTarget: String {
        #if LECTERN_TARGET_CPU
        return "the CPU chosen by LECTERN_TARGET_CPU at build time"
        #else
        return "the baseline of its architecture (set LECTERN_TARGET_CPU=haswell for AVX2 + FMA)"
        #endif
    }

    /// Switches OpenBLAS to one thread once, before its first product (the library splits
    /// products over its own threads instead; see the file comment).
    static let blasThreadsConfigured: Bool = {
        #if canImport(CBLAS)
        openblas_set_num_threads(1)
        #endif
        return true
    }()

    /// Below this many floating-point operations a product is not split: waking a thread costs
    /// more than it saves (about 30 µs of work on one core).
    static let minimumSplitFlops = Double(1 << 21)
    /// The fewest rows (or columns) of C a band gets.
    static let minimumBand = 16

    /// Whether an m×n×k product should be cut into bands over our threads.
    static func shouldSplit(m: Int, n: Int, k: Int) -> Bool {
        parallelWorkers > 1 && !ParallelRegion.isActive && 2 * Double(m) * Double(n) * Double(k) >= minimumSplitFlops
            && Swift.max(m, n) >= minimumBand * parallelWorkers
    }

    /// How many threads a batch of `count` independent products of `flopsEach` floating-point
    /// operations each is spread over: 1 when the whole batch is too little work to wake a
    /// thread for, or inside a parallel region already; else up to ``threadCount``.
    static func productChunks(_ count: Int, flopsEach: Double) -> Int {
        Double(count) * flopsEach < minimumSplitFlops || ParallelRegion.isActive ? 1 : Swift.min(parallelWorkers, count)
    }

    /// Runs `body` on disjoint, consecutive ranges of `0..<count` independent matrix products,
    /// concurrently on ``productChunks(_:flopsEach:)`` threads. `body` must only write what its
    /// own range of products owns.
    ///
    ///     Kernels.concurrentProducts(64, flopsEach: 2 * 128 * 128 * 32) { range in
    ///         for i in range { /* one sgemm per i */ }
    ///     }
    static func concurrentProducts(_ count: Int, flopsEach: Double, _ body: (Range<Int>) -> Void) {
        parallelRegion(count, chunks: productChunks(count, flopsEach: flopsEach)) { _, range in body(range) }
    }
}

/// Whether the current thread is one of a parallel region's (where products are not split
/// again).
enum ParallelRegion {
    @TaskLocal static var isActive = false
}

/// `body(chunk, range)` on `chunks` disjoint, consecutive ranges covering `0..<count`,
/// concurrently, each marked as inside a parallel region (``parallelChunks(_:chunks:_:)``, which
/// also gives the chunk's index for per-chunk partial results).
@inline(__always)
func parallelRegion(_ count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
    if chunks <= 1 {
        body(0, 0..<count)
        return
    }
    parallelChunks(count, chunks: chunks) { chunk, range in
        ParallelRegion.$isActive.withValue(true) { body(chunk, range) }
    }
}
