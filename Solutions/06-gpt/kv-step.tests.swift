import XCTest
import LecternNN

/// Hidden tests for `cachedStep`: decoding a seeded random sequence one token at a time gives, at
/// every step, the last row of the full causal attention over the whole prefix computed without a
/// cache by the library's `LecternNN.scaledDotProductAttention(isCausal: true)`, times Eᵀ; the
/// cache grows by one key and one value per step, and those are W_K x and W_V x.
final class KVStepHiddenTests: XCTestCase {
    func testMatchesAttentionWithoutACache() {
        var rng = SeededGenerator(seed: 621)
        for (h, heads, v, steps) in [(4, 1, 5, 3), (8, 2, 7, 6), (12, 3, 4, 5)] {
            let wq = Tensor.randn([h, h], using: &rng), wk = Tensor.randn([h, h], using: &rng)
            let wv = Tensor.randn([h, h], using: &rng), table = Tensor.randn([v, h], using: &rng)
            let xs = Tensor.randn([steps, h], using: &rng)
            var cache = StepCache()
            for t in 1...steps {
                let logits = cachedStep(xs.slice(axis: 0, (t - 1)..<t).reshaped([h]), wq: wq, wk: wk, wv: wv,
                                        heads: heads, embedding: table, cache: &cache)
                XCTAssertEqual(cache.keys.count, t)
                XCTAssertEqual(cache.values.count, t)
                let prefix = xs.slice(axis: 0, 0..<t).reshaped([1, t, h])                     // (1, t, H)
                let split = { (w: Tensor) in LecternNN.splitHeads(prefix.matmul(w.T), heads: heads) }   // (1, heads, t, d)
                let full = LecternNN.scaledDotProductAttention(query: split(wq), key: split(wk), value: split(wv), isCausal: true).output
                let last = LecternNN.mergeHeads(full).slice(axis: 1, (t - 1)..<t).reshaped([h, 1])    // (H, 1)
                assertTensorClose(logits, table.matmul(last).reshaped([v]), "H \(h), heads \(heads), step \(t)", absolute: 1e-4)
            }
            let lastX = xs.slice(axis: 0, (steps - 1)..<steps)                                   // (1, H)
            assertTensorClose(cache.keys.last!, lastX.matmul(wk.T).reshaped([h]), "the newest key")
            assertTensorClose(cache.values.last!, lastX.matmul(wv.T).reshaped([h]), "the newest value")
        }
    }
}
