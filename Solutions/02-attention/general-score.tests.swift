import XCTest
import LecternNN

/// Hidden tests for `generalScores(query:keys:W:)`: against the library's `LecternNN.GeneralScore`
/// (its `W.weight` is the (Hs, He) matrix) on seeded random inputs, values and gradients.
final class GeneralScoreHiddenTests: XCTestCase {
    func testMatchesTheLibraryForUnequalSizes() {
        var rng = SeededGenerator(seed: 31)
        for (b, s, hs, he) in [(1, 1, 1, 1), (2, 4, 3, 6), (3, 9, 8, 16), (5, 2, 7, 2)] {
            let score = GeneralScore(querySize: hs, keySize: he, using: &rng)
            let query = Tensor.randn([b, hs], using: &rng), keys = Tensor.randn([b, s, he], using: &rng)
            assertTensorClose(generalScores(query: query, keys: keys, W: score.W.weight.value), score(query, keys),
                        "B = \(b), S = \(s), Hs = \(hs), He = \(he)")
        }
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 32)
        let score = GeneralScore(querySize: 3, keySize: 5, using: &rng)
        let qData = Tensor.randn([2, 3], using: &rng), kData = Tensor.randn([2, 4, 5], using: &rng)
        let upstream = Tensor.randn([2, 4], using: &rng)
        let q = Tensor(shape: qData.shape, scalars: qData.scalars, requiresGrad: true)
        let k = Tensor(shape: kData.shape, scalars: kData.scalars, requiresGrad: true)
        let w = Tensor(shape: score.W.weight.shape, scalars: score.W.weight.value.scalars, requiresGrad: true)
        let e = generalScores(query: q, keys: k, W: w)
        guard e.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (e * upstream).sum().backward()
        let q2 = Tensor(shape: qData.shape, scalars: qData.scalars, requiresGrad: true)
        let k2 = Tensor(shape: kData.shape, scalars: kData.scalars, requiresGrad: true)
        (score(q2, k2) * upstream).sum().backward()
        assertTensorClose(q.grad!, q2.grad!, "the gradient with respect to the query")
        assertTensorClose(k.grad!, k2.grad!, "the gradient with respect to the keys")
        assertTensorClose(w.grad!, score.W.weight.grad!, "the gradient with respect to W")
    }
}
