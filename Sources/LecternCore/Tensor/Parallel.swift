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
// erf: 3–12 ns per element) are split from 32k elements on.

import Dispatch
import Foundation

/// Elements per thread below which a cheap, memory-bound loop stays on the calling thread.
let cheapGrain = 1 << 21
/// Elements per thread below which a loop of transcendental functions stays on one thread.
let expensiveGrain = 1 << 15

/// The number of cores used for big elementwise loops (at most 8).
let parallelWorkers = Swift.max(1, Swift.min(8, ProcessInfo.processInfo.activeProcessorCount))

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
