import XCTest
import LecternCore

/// Hidden tests for `softmax(_ logits: Tensor)`: the library's `Tensor.softmax(axis:)` is the
/// answer key, for values and for gradients.
final class SoftmaxHiddenTests: XCTestCase {
    /// A fresh leaf with the same numbers, so the student's graph and the library's are separate.
    private func leaf(_ x: Tensor) -> Tensor {
        Tensor(shape: x.shape, scalars: x.scalars, requiresGrad: true)
    }

    private func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, tolerance: Float = 1e-6,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard got.shape == want.shape else {
            return XCTFail("\(what): got shape \(got.shape), expected \(want.shape)", file: file, line: line)
        }
        for (i, (g, w)) in zip(got.scalars, want.scalars).enumerated() where !(abs(g - w) <= tolerance + 1e-5 * abs(w)) {
            return XCTFail("\(what): element \(i) (row-major) is \(g), expected \(w)", file: file, line: line)
        }
    }

    private func assertMatchesLibrary(_ x: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        assertClose(softmax(x), x.softmax(axis: -1), what, file: file, line: line)
    }

    func testMatchesTheLibraryOnRandomLogits() {
        var rng = SeededGenerator(seed: 1)
        for shape in [[5], [1, 7], [4, 3], [8, 16], [2, 3, 6], [2, 2, 2, 5]] {
            assertMatchesLibrary(Tensor.randn(shape, std: 4, using: &rng), "random logits of shape \(shape)")
        }
    }

    func testEveryRowSumsToOne() {
        var rng = SeededGenerator(seed: 2)
        let p = softmax(Tensor.randn([3, 4, 9], std: 3, using: &rng))
        XCTAssertEqual(p.shape, [3, 4, 9], "softmax keeps the shape")
        for (row, total) in p.sum(axis: -1).scalars.enumerated() {
            XCTAssertEqual(total, 1, accuracy: 1e-5, "row \(row) of a (3, 4, 9) tensor must sum to 1 (rows run along the last axis)")
        }
        XCTAssertTrue(p.scalars.allSatisfy { $0 >= 0 && $0 <= 1 }, "every probability must be in [0, 1]")
    }

    func testHugeLogits() {
        assertMatchesLibrary(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, 1, 2, 3]), "[[1000, 1001, 1002], [1, 2, 3]]")
        assertMatchesLibrary(Tensor(shape: [4], scalars: [88, 89, 90, -10]), "logits past Float's exp limit (88.7)")
        var rng = SeededGenerator(seed: 99)
        assertMatchesLibrary(Tensor.randn([3, 30], using: &rng) + 5000, "random logits around 5000")
    }

    func testVeryNegativeLogits() {
        // Naively every exp underflows to 0, and 0 / 0 is NaN.
        assertMatchesLibrary(Tensor(shape: [2, 3], scalars: [-1000, -1001, -1002, -200, -150, -300]),
                             "[[-1000, -1001, -1002], [-200, -150, -300]]")
    }

    func testEachRowHasItsOwnShift() {
        // One row tiny, one row huge: a single max over the whole tensor would wipe out row 0.
        assertMatchesLibrary(Tensor(shape: [2, 3], scalars: [-5, -4, -3, 4000, 4001, 4002]),
                             "rows far apart: each row needs its own maximum")
    }

    func testMaskedLogitsGetZero() {
        var rng = SeededGenerator(seed: 5)
        let future = Tensor(shape: [4, 4], scalars: [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        let scores = Tensor.randn([2, 4, 4], using: &rng).maskedFill(future, with: -.infinity)
        let p = softmax(scores)
        for (i, s) in scores.scalars.enumerated() where s == -.infinity {
            XCTAssertEqual(p.scalars[i], 0, "element \(i): a -inf logit (a masked position) must get probability exactly 0")
        }
        assertMatchesLibrary(scores, "causally masked (2, 4, 4) attention scores")
    }

    func testSingleClass() {
        XCTAssertEqual(softmax(Tensor(shape: [3, 1], scalars: [3.7, -500, 1e6])).scalars, [1, 1, 1],
                       "one logit per row: it gets all the probability, whatever its value")
    }

    func testShiftInvariance() {
        var rng = SeededGenerator(seed: 7)
        let x = Tensor.randn([2, 8], std: 2, using: &rng)
        let p = softmax(x)
        for c: Float in [-300, -1, 0.5, 40, 700] {
            assertClose(softmax(x + c), p, "adding \(c) to every logit must not change the probabilities", tolerance: 1e-4)
        }
    }

    func testLargeVocabularySumsToOne() {
        var rng = SeededGenerator(seed: 2024)
        let p = softmax(Tensor.randn([1, 50_257], std: 3, using: &rng))
        XCTAssertEqual(p.scalars.reduce(0.0) { $0 + Double($1) }, 1, accuracy: 1e-4, "a softmax over GPT-2's 50,257 tokens must sum to 1")
    }

    func testGradientMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 11)
        for shape in [[6], [3, 5], [2, 3, 4]] {
            let data = Tensor.randn(shape, std: 2, using: &rng)
            let weights = Tensor.randn(shape, using: &rng)   // loss = Σ wᵢ·pᵢ: every output matters
            let mine = leaf(data), theirs = leaf(data)
            let p = softmax(mine)
            guard p.requiresGrad else {
                return XCTFail("softmax's result does not record gradients: build it from tensor operations (max, -, exp, sum, /), not from .scalars")
            }
            (p * weights).sum().backward()
            (theirs.softmax(axis: -1) * weights).sum().backward()
            guard let got = mine.grad, let want = theirs.grad else {
                return XCTFail("backward() did not reach the logits of shape \(shape)")
            }
            assertClose(got, want, "the gradient through softmax, shape \(shape)", tolerance: 1e-5)
        }
    }

    func testGradientWithHugeAndMaskedLogits() {
        let data = Tensor(shape: [2, 4], scalars: [1000, 1001, -.infinity, 1002,
                                                   -.infinity, 3, 0, -.infinity])
        let weights = Tensor(shape: [2, 4], scalars: [1, -2, 3, 0.5, 2, 1, -1, 4])
        let mine = leaf(data), theirs = leaf(data)
        let p = softmax(mine)
        guard p.requiresGrad else {
            return XCTFail("softmax's result does not record gradients: build it from tensor operations, not from .scalars")
        }
        (p * weights).sum().backward()
        (theirs.softmax(axis: -1) * weights).sum().backward()
        guard let got = mine.grad, let want = theirs.grad else { return XCTFail("backward() did not reach the logits") }
        XCTAssertFalse(got.scalars.contains { $0.isNaN }, "no NaN in the gradient, even with -inf and huge logits: got \(got.scalars)")
        assertClose(got, want, "the gradient through softmax with huge and -inf logits", tolerance: 1e-5)
    }
}
