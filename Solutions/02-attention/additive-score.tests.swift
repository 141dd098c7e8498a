import XCTest
import LecternNN

/// Hidden tests for `additiveScores(query:keys:W:U:v:)`: against the library's
/// `LecternNN.AdditiveScore` on seeded random inputs and weights, values and gradients.
final class AdditiveScoreHiddenTests: XCTestCase {
    private func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard got.shape == want.shape else {
            return XCTFail("\(what): got shape \(got.shape), expected \(want.shape)", file: file, line: line)
        }
        for (i, (g, w)) in zip(got.scalars, want.scalars).enumerated() where !(abs(g - w) <= 1e-5 + 1e-4 * abs(w)) {
            return XCTFail("\(what): element \(i) (row-major) is \(g), expected \(w)", file: file, line: line)
        }
    }

    private func leaf(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars, requiresGrad: true) }

    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 41)
        for (b, s, hs, he, a) in [(1, 1, 1, 1, 1), (2, 5, 3, 6, 4), (3, 8, 8, 16, 10), (4, 3, 6, 2, 7)] {
            let score = AdditiveScore(querySize: hs, keySize: he, attentionSize: a, using: &rng)
            let query = Tensor.randn([b, hs], using: &rng), keys = Tensor.randn([b, s, he], using: &rng)
            let got = additiveScores(query: query, keys: keys, W: score.W.weight.value, U: score.U.weight.value,
                                     v: score.v.weight.value)
            assertClose(got, score(query, keys), "B = \(b), S = \(s), Hs = \(hs), He = \(he), A = \(a)")
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
        assertClose(q.grad!, q2.grad!, "the gradient with respect to the query")
        assertClose(k.grad!, k2.grad!, "the gradient with respect to the keys")
        assertClose(w.grad!, score.W.weight.grad!, "the gradient with respect to W")
        assertClose(u.grad!, score.U.weight.grad!, "the gradient with respect to U")
        assertClose(v.grad!, score.v.weight.grad!, "the gradient with respect to v")
    }
}
