import XCTest
import LecternNN

/// Hidden tests for `dotScores(query:keys:)`: against the library's `LecternNN.DotScore` on seeded
/// random inputs, values and gradients.
final class DotScoreHiddenTests: XCTestCase {
    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 21)
        for (b, s, h) in [(1, 1, 1), (2, 5, 3), (4, 7, 8), (3, 12, 16)] {
            let query = Tensor.randn([b, h], using: &rng), keys = Tensor.randn([b, s, h], using: &rng)
            assertTensorClose(dotScores(query: query, keys: keys), DotScore()(query, keys), "B = \(b), S = \(s), H = \(h)")
        }
    }

    func testRowsDoNotMix() {
        // Row 1's query is zero, so all its scores are 0 whatever row 0 holds.
        let query = Tensor(shape: [2, 2], scalars: [5, -3,   0, 0])
        let keys = Tensor(shape: [2, 2, 2], scalars: [1, 2,   3, 4,   5, 6,   7, 8])
        XCTAssertEqual(dotScores(query: query, keys: keys).scalars, [-1, 3, 0, 0])
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 22)
        let qData = Tensor.randn([3, 4], using: &rng), kData = Tensor.randn([3, 5, 4], using: &rng)
        let upstream = Tensor.randn([3, 5], using: &rng)
        let q = Tensor(shape: qData.shape, scalars: qData.scalars, requiresGrad: true)
        let k = Tensor(shape: kData.shape, scalars: kData.scalars, requiresGrad: true)
        let e = dotScores(query: q, keys: k)
        guard e.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (e * upstream).sum().backward()
        let q2 = Tensor(shape: qData.shape, scalars: qData.scalars, requiresGrad: true)
        let k2 = Tensor(shape: kData.shape, scalars: kData.scalars, requiresGrad: true)
        (DotScore()(q2, k2) * upstream).sum().backward()
        assertTensorClose(q.grad!, q2.grad!, "the gradient with respect to the query")
        assertTensorClose(k.grad!, k2.grad!, "the gradient with respect to the keys")
    }
}
