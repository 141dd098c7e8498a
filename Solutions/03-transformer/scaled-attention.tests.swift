import XCTest
import LecternNN

/// Hidden tests for `scaledAttention`: against the library's
/// `LecternNN.scaledDotProductAttention` on seeded inputs of rank 3 and 4 (values, weights and the
/// gradients of query, key and value), padding and causal masks, exact zeros at hidden keys, and a
/// fully hidden row that must stay finite (uniform weights).
final class ScaledAttentionHiddenTests: XCTestCase {
    /// Leaves with the same data as `t`, recording gradients.
    private func leaf(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars, requiresGrad: true) }

    func testMatchesTheLibraryOverHeadsWithPaddingAndCausalMasks() {
        var rng = SeededGenerator(seed: 301)
        let q = Tensor.randn([2, 3, 4, 8], using: &rng), k = Tensor.randn([2, 3, 6, 8], using: &rng)
        let v = Tensor.randn([2, 3, 6, 5], using: &rng), upstream = Tensor.randn([2, 3, 4, 5], using: &rng)
        let padding = LecternNN.attentionMask(lengths: [6, 3], maxLength: 6)                  // (B, S)
        let causal = LecternNN.causalMask(queryLength: 4, keyLength: 6)                       // (T, S)
        let mask = padding.reshaped([2, 1, 1, 6]) * causal.reshaped([1, 1, 4, 6])              // (B, 1, T, S)
        let (q1, k1, v1) = (leaf(q), leaf(k), leaf(v))
        let mine = scaledAttention(query: q1, key: k1, value: v1, mask: mask)
        let (q2, k2, v2) = (leaf(q), leaf(k), leaf(v))
        let want = LecternNN.scaledDotProductAttention(query: q2, key: k2, value: v2, attentionMask: padding, isCausal: true)
        assertTensorClose(mine.weights, want.weights, "weights (B = 2, heads = 3, T = 4, S = 6), padded and causal", absolute: 1e-6)
        assertTensorClose(mine.output, want.output, "output")
        guard mine.output.requiresGrad else { return XCTFail("the output does not record gradients: use tensor operations") }
        (mine.output * upstream).sum().backward()
        (want.output * upstream).sum().backward()
        assertTensorClose(q1.grad ?? Tensor.zeros(q.shape), q2.grad!, "gradient with respect to the query")
        assertTensorClose(k1.grad ?? Tensor.zeros(k.shape), k2.grad!, "gradient with respect to the key")
        assertTensorClose(v1.grad ?? Tensor.zeros(v.shape), v2.grad!, "gradient with respect to the value")
    }

    func testRankThreeWithoutMaskAndDifferentValueSize() {
        var rng = SeededGenerator(seed: 302)
        let q = Tensor.randn([3, 5, 16], using: &rng), k = Tensor.randn([3, 7, 16], using: &rng), v = Tensor.randn([3, 7, 2], using: &rng)
        let mine = scaledAttention(query: q, key: k, value: v)
        let want = LecternNN.scaledDotProductAttention(query: q.unsqueezed(axis: 1), key: k.unsqueezed(axis: 1),
                                                       value: v.unsqueezed(axis: 1))
        assertTensorClose(mine.output, want.output.squeezed(axis: 1), "output (B, T, d_v) = (3, 5, 2)")
        assertTensorClose(mine.weights, want.weights.squeezed(axis: 1), "weights (3, 5, 7)", absolute: 1e-6)
    }

    func testHiddenKeysGetExactlyZeroEvenWithHugeScores() {
        let q = Tensor(shape: [1, 1, 1], scalars: [1])
        let k = Tensor(shape: [1, 3, 1], scalars: [1, 1e6, 2])
        let v = Tensor(shape: [1, 3, 1], scalars: [1, 2, 3])
        let weights = scaledAttention(query: q, key: k, value: v, mask: Tensor(shape: [1, 1, 3], scalars: [1, 0, 1])).weights
        XCTAssertEqual(weights.scalars[1], 0, "a hidden key with a huge score still gets nothing")
        XCTAssertEqual(weights.scalars[2], 1 / (1 + exp(-1)), accuracy: 1e-5, "scores 1 and 2 over √1")
    }

    func testAFullyHiddenRowIsUniformInsteadOfUndefined() {
        let q = Tensor(shape: [1, 2, 2], scalars: [1, 0,   0, 1])
        let k = Tensor(shape: [1, 3, 2], scalars: [1, 0,   0, 1,   1, 1])
        let v = Tensor(shape: [1, 3, 1], scalars: [3, 6, 9])
        let mask = Tensor(shape: [1, 2, 3], scalars: [1, 1, 1,   0, 0, 0])      // query 1 may see nothing
        let (output, weights) = scaledAttention(query: q, key: k, value: v, mask: mask)
        XCTAssertFalse(weights.scalars.contains { $0.isNaN }, "fill hidden scores with -Float.greatestFiniteMagnitude, not -infinity")
        for w in weights.scalars[3...] { XCTAssertEqual(w, 1.0 / 3, accuracy: 1e-6) }
        XCTAssertEqual(output.scalars[1], 6, accuracy: 1e-5, "the uniform average of the values")
    }
}
