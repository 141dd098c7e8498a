import XCTest
import LecternNN

/// Hidden tests for `additiveScores(query:keys:W:U:v:)`: against the library's
/// `LecternNN.AdditiveScore` on seeded random inputs and weights, values and gradients.
final class AdditiveScoreHiddenTests: XCTestCase {
    private func leaf(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars, requiresGrad: true) }

    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 41)
        for (b, s, hs, he, a) in [(1, 1, 1, 1, 1), (2, 5, 3, 6, 4), (3, 8, 8, 16, 10), (4, 3, 6, 2, 7)] {
            let score = AdditiveScore(querySize: hs, keySize: he, attentionSize: a, using: &rng)
            let query = Tensor.randn([b, hs], using: &rng), keys = Tensor.randn([b, s, he], using: &rng)
            let got = additiveScores(query: query, keys: keys, W: score.W.weight.value, U: score.U.weight.value,
                                     v: score.v.weight.value)
            assertTensorClose(got, score(query, keys), "B = \(b), S = \(s), Hs = \(hs), He = \(he), A = \(a)")
        }
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 42)
        let score = AdditiveScore(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        let qData = Tensor.randn([2, 3], using: &rng), kData = Tensor.randn([2, 6, 4], using: &rng)
        let upstream = Tensor.randn([2, 6], using: &rng)
        let (q, k) = (leaf(qData), leaf(kData))
        let (w, u, v) = (leaf(score.W.weight.value), leaf(score.U.weight.value), leaf(score.v.weight.value))
        let e = additiveScores(query: q, keys: k, W: w, U: u, v: v)
        guard e.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (e * upstream).sum().backward()
        let (q2, k2) = (leaf(qData), leaf(kData))
        (score(q2, k2) * upstream).sum().backward()
        assertTensorClose(q.grad!, q2.grad!, "the gradient with respect to the query")
        assertTensorClose(k.grad!, k2.grad!, "the gradient with respect to the keys")
        assertTensorClose(w.grad!, score.W.weight.grad!, "the gradient with respect to W")
        assertTensorClose(u.grad!, score.U.weight.grad!, "the gradient with respect to U")
        assertTensorClose(v.grad!, score.v.weight.grad!, "the gradient with respect to v")
    }
}
