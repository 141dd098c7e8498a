// Splitting big elementwise loops across cores.
//
// Reference: PyTorch's `at::parallel_for`, which splits a loop only above a grain size
// (`at::internal::GRAIN_SIZE` = 32,768 elements). Below it one thread is faster: waking
// workers costs microseconds, more than a small loop takes.
//
// Two grain sizes, from measurements on a 2-core Linux machine: a cheap, memory-bound loop
// (an add, a copy) runs at memory speed on one core, and splitting a 131k-element add made
// it 30× slower (5 µs → 180 µs: the wake-up, and a second core that was busy), so cheap loops
// are split only when they are far beyond the caches. Transcendental functions (exp, tanh,
// erf: 3–12 ns per element) are split from 32k elements on, vectorized ones (eight lanes of
// exp at about 0.3 ns per element) from 128k.

import Dispatch
import Foundation

/// Elements per thread below which a cheap, memory-bound loop stays on the calling thread.
let cheapGrain = 1 << 21
/// Elements per thread below which a loop of transcendental functions stays on one thread.
let expensiveGrain = 1 << 15

/// Elements per thread below which a vectorized transcendental loop (``vectorExp``: about
/// 0.3 ns per element) stays on one thread: waking a worker costs more than 2¹⁵ of them.
let vectorGrain = 1 << 17

/// The number of threads used for big elementwise loops and batched products: the
/// `LECTERN_NUM_THREADS` environment variable when set (1…256), else the active cores (at
/// most 8). See ``Kernels/threadCount``.
let parallelWorkers: Int = {
    if let text = ProcessInfo.processInfo.environment["LECTERN_NUM_THREADS"], let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 1 {
        return Swift.min(n, 256)
    }
    return Swift.max(1, Swift.min(8, ProcessInfo.processInfo.activeProcessorCount))
}()

/// Calls `body` on disjoint ranges covering `0..<count`: once with the whole range when
/// `count` is below two `grain`s, otherwise on up to ``parallelWorkers`` chunks of at least
/// `grain` elements, concurrently. `body` must only write to elements of its own range.
@inline(__always)
func parallelFor(_ count: Int, grain: Int = cheapGrain, _ body: (Range<Int>) -> Void) {
    let chunks = Swift.min(parallelWorkers, count / grain)
    if chunks <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // Linux's Dispatch wants a @Sendable closure; `body` captures raw pointers, which are
        // not Sendable. It is safe here: every chunk writes a disjoint range, and
        // concurrentPerform returns only after all chunks are done.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
            body(start..<end)
        }
    }
}

/// How many chunks ``parallelChunks(_:chunks:_:)`` should split `count` items into so that
/// each has at least `grain` of them: 1 (stay on the calling thread) up to ``parallelWorkers``.
@inline(__always)
func chunkCount(_ count: Int, grain: Int) -> Int {
    Swift.max(1, Swift.min(parallelWorkers, count / Swift.max(grain, 1)))
}

/// Calls `body(chunk, range)` for `chunks` disjoint, consecutive ranges covering `0..<count`,
/// concurrently when `chunks > 1`. For loops that keep a partial result per chunk (a column
/// sum over rows, say) and combine the partials afterwards; `body` must write only to its
/// own range and its own chunk's partial.
@inline(__always)
func parallelChunks(_ count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
    if chunks <= 1 {
        body(0, 0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // As in `parallelFor`: disjoint writes, and concurrentPerform waits for every chunk.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk, (count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }
}
