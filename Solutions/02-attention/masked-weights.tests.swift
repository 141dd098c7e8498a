import XCTest
import LecternNN

/// Hidden tests for `maskedAttentionWeights(scores:lengths:)`: against the library's
/// `LecternNN.attentionWeights(scores:sourceLengths:)` on seeded random scores (values and
/// gradients), exact zeros at padding, and large scores.
final class MaskedWeightsHiddenTests: XCTestCase {
    func testMatchesTheLibraryOnRaggedBatches() {
        var rng = SeededGenerator(seed: 51)
        for s in [1, 3, 8, 13] {
            let lengths = (0..<5).map { _ in 1 + rng.nextInt(below: s) }
            let scores = Tensor.randn([5, s], std: 3, using: &rng)
            assertTensorClose(maskedAttentionWeights(scores: scores, lengths: lengths),
                              attentionWeights(scores: scores, sourceLengths: lengths), "S = \(s), lengths \(lengths)",
                              absolute: 1e-6, relative: 1e-4)
        }
    }

    func testPaddingIsExactlyZeroEvenWithHugeScores() {
        let scores = Tensor(shape: [2, 4], scalars: [1, 2, 1e30, 1e30,   -1e30, 0, 0, 0])
        let a = maskedAttentionWeights(scores: scores, lengths: [2, 1])
        XCTAssertEqual(Array(a.scalars[2...3]), [0, 0], "row 0's padding")
        XCTAssertEqual(Array(a.scalars[4...7]), [1, 0, 0, 0], "row 1 has one real position: all weight on it")
        XCTAssertEqual(a.scalars[0] + a.scalars[1], 1, accuracy: 1e-6)
    }

    func testLargeRealScoresStayFinite() {
        let a = maskedAttentionWeights(scores: Tensor(shape: [1, 3], scalars: [1000, 999, 0]), lengths: [3])
        XCTAssertFalse(a.scalars.contains { $0.isNaN }, "subtract the row maximum before exp (or use softmax)")
        XCTAssertEqual(a.scalars[0], 1 / (1 + exp(-1)), accuracy: 1e-5)
    }

    func testGradientsMatchTheLibraryAndSkipPadding() {
        var rng = SeededGenerator(seed: 52)
        let data = Tensor.randn([3, 6], using: &rng), upstream = Tensor.randn([3, 6], using: &rng)
        let lengths = [6, 2, 4]
        let scores = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let a = maskedAttentionWeights(scores: scores, lengths: lengths)
        guard a.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (a * upstream).sum().backward()
        let scores2 = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        (attentionWeights(scores: scores2, sourceLengths: lengths) * upstream).sum().backward()
        assertTensorClose(scores.grad!, scores2.grad!, "the gradient with respect to the scores", absolute: 1e-6, relative: 1e-4)
        XCTAssertEqual(Array(scores.grad!.scalars[8...11]), [0, 0, 0, 0], "padded scores get no gradient")
    }
}
