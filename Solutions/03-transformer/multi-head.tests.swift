import XCTest
import LecternNN

/// Hidden tests for `multiHeadAttention`: against the library's `LecternNN.MultiheadAttention`
/// holding the same (seeded, non-zero-bias) weights, for self-attention with a padding mask and
/// for cross-attention with a shorter query, values and the gradients of the inputs and of every
/// weight.
final class MultiHeadHiddenTests: XCTestCase {
    /// A library layer with seeded weights and non-zero biases.
    private func layer(d: Int, heads: Int, seed: UInt64) -> LecternNN.MultiheadAttention {
        var rng = SeededGenerator(seed: seed)
        let attention = LecternNN.MultiheadAttention(embedDim: d, numHeads: heads, using: &rng)
        attention.inProjBias!.value = Tensor.randn([3 * d], std: 0.5, using: &rng)
        attention.outProj.bias!.value = Tensor.randn([d], std: 0.5, using: &rng)
        return attention
    }

    private func leaf(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars, requiresGrad: true) }

    private func check(query: Tensor, memory: Tensor?, mask: Tensor?, heads: Int, seed: UInt64, _ what: String) {
        let d = query.shape[2]
        let attention = layer(d: d, heads: heads, seed: seed)
        var upstreamRNG = SeededGenerator(seed: seed + 1)
        let upstream = Tensor.randn(query.shape, using: &upstreamRNG)
        let weights = [attention.inProjWeight.value, attention.inProjBias!.value,
                       attention.outProj.weight.value, attention.outProj.bias!.value].map(leaf)
        let q = leaf(query), m = memory.map(leaf)
        let mine = multiHeadAttention(query: q, key: m ?? q, value: m ?? q, heads: heads,
                                      inProjWeight: weights[0], inProjBias: weights[1], outWeight: weights[2], outBias: weights[3],
                                      mask: mask)
        let q2 = leaf(query), m2 = memory.map(leaf)
        let want = attention(query: q2, key: m2 ?? q2, value: m2 ?? q2, attentionMask: mask)
        assertTensorClose(mine, want, "\(what): output")
        guard mine.requiresGrad else { return XCTFail("\(what): the output does not record gradients: use tensor operations") }
        (mine * upstream).sum().backward()
        (want * upstream).sum().backward()
        assertTensorClose(q.grad ?? Tensor.zeros(q.shape), q2.grad!, "\(what): gradient of the query")
        if let m, let m2 { assertTensorClose(m.grad ?? Tensor.zeros(m.shape), m2.grad!, "\(what): gradient of key/value") }
        let names = ["inProjWeight", "inProjBias", "outWeight", "outBias"]
        let library = [attention.inProjWeight, attention.inProjBias!, attention.outProj.weight, attention.outProj.bias!]
        for (index, name) in names.enumerated() {
            assertTensorClose(weights[index].grad ?? Tensor.zeros(weights[index].shape), library[index].grad!, "\(what): gradient of \(name)")
        }
    }

    func testSelfAttentionWithPadding() {
        var rng = SeededGenerator(seed: 321)
        check(query: Tensor.randn([2, 5, 8], using: &rng), memory: nil,
              mask: LecternNN.attentionMask(lengths: [5, 3], maxLength: 5), heads: 2, seed: 322, "self-attention, 2 heads")
    }

    func testCrossAttentionWithShorterQueries() {
        var rng = SeededGenerator(seed: 323)
        check(query: Tensor.randn([2, 3, 12], using: &rng), memory: Tensor.randn([2, 6, 12], using: &rng),
              mask: LecternNN.attentionMask(lengths: [4, 6], maxLength: 6), heads: 4, seed: 324, "cross-attention, 4 heads")
    }

    func testOneHeadWithoutMask() {
        var rng = SeededGenerator(seed: 325)
        check(query: Tensor.randn([1, 4, 6], using: &rng), memory: nil, mask: nil, heads: 1, seed: 326, "one head")
    }
}
