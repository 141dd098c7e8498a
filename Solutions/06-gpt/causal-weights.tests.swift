import XCTest
import LecternNN

/// Hidden tests for `causalWeights`: on seeded random (B, heads, T, T) scores, equal to a
/// reference built from the library's `LecternNN.causalMask` and softmax; the first row is always
/// (1, 0, …, 0); huge scores in the future still get no weight; gradients flow to the past only.
final class CausalWeightsHiddenTests: XCTestCase {
    func testMatchesTheLibraryMask() {
        var rng = SeededGenerator(seed: 601)
        for (b, h, t) in [(1, 1, 1), (2, 3, 5), (1, 2, 9)] {
            let scores = Tensor.randn([b, h, t, t], std: 3, using: &rng)
            let allowed = LecternNN.causalMask(queryLength: t, keyLength: t)              // 1 = may attend
            let want = scores.maskedFill(1 - allowed, with: -Float.greatestFiniteMagnitude).softmax(axis: -1)
            assertTensorClose(causalWeights(scores), want, "B \(b), heads \(h), T \(t)")
        }
    }

    func testTheFutureNeverWins() {
        // Scores of 1000 above the diagonal, 0 on and below it.
        let t = 4
        let scores = Tensor(shape: [t, t], scalars: (0..<(t * t)).map { $0 % t > $0 / t ? 1000 : 0 })
        let w = causalWeights(scores)
        for i in 0..<t {
            for j in 0..<t {
                XCTAssertEqual(w.scalars[i * t + j], j <= i ? 1 / Float(i + 1) : 0, accuracy: 1e-6, "row \(i), column \(j)")
            }
        }
    }

    func testGradientReachesOnlyThePast() {
        var rng = SeededGenerator(seed: 602)
        let scores = Tensor(shape: [3, 3], scalars: Tensor.randn([3, 3], using: &rng).scalars, requiresGrad: true)
        (causalWeights(scores) * Tensor.randn([3, 3], using: &rng)).sum().backward()
        let g = scores.grad!.scalars
        XCTAssertEqual([g[1], g[2], g[5]], [0, 0, 0])
        XCTAssertNotEqual(g[3], 0)
    }
}
