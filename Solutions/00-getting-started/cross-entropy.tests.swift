import XCTest
import LecternCore

/// Hidden tests for `crossEntropy(logits: Tensor, targets:)`. The answer key is the loss built
/// from the library's `Tensor.logSoftmax(axis:)`, for the value and for the gradient.
final class CrossEntropyHiddenTests: XCTestCase {
    /// −mean over rows of logSoftmax(x)[i, tᵢ], from the library's operations.
    private func libraryLoss(_ logits: Tensor, _ targets: [Int]) -> Tensor {
        let (n, c) = (logits.shape[0], logits.shape[1])
        let picked = logits.logSoftmax(axis: -1).reshaped([n * c]).gathered(indices: targets.enumerated().map { $0 * c + $1 })
        return -picked.mean()
    }

    private func randomBatch(_ n: Int, _ c: Int, std: Float, rng: inout SeededGenerator) -> (Tensor, [Int]) {
        (Tensor.randn([n, c], std: std, using: &rng), (0..<n).map { _ in Int.random(in: 0..<c, using: &rng) })
    }

    private func assertClose(_ got: Float, _ want: Float, _ what: String, tolerance: Float = 1e-5,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got, want, accuracy: tolerance + 1e-5 * abs(want), what, file: file, line: line)
    }

    /// The gradient of the student's loss with respect to fresh logits with `data`'s numbers, or
    /// nil (after a failure) when it does not reach them.
    private func studentGradient(_ data: Tensor, _ targets: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor? {
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let loss = crossEntropy(logits: x, targets: targets)
        guard loss.requiresGrad else {
            XCTFail("the loss does not record gradients: build it from tensor operations, not from .scalars", file: file, line: line)
            return nil
        }
        loss.backward()
        guard let grad = x.grad else {
            XCTFail("backward() did not reach the logits", file: file, line: line)
            return nil
        }
        return grad
    }

    private func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard got.shape == want.shape else {
            return XCTFail("\(what): got shape \(got.shape), expected \(want.shape)", file: file, line: line)
        }
        for (i, (g, w)) in zip(got.scalars, want.scalars).enumerated() where !(abs(g - w) <= 2e-6 + 1e-5 * abs(w)) {
            return XCTFail("\(what): element \(i) (row-major) is \(g), expected \(w)", file: file, line: line)
        }
    }

    func testMatchesTheLibraryOnRandomBatches() {
        var rng = SeededGenerator(seed: 3)
        for (n, c) in [(1, 2), (1, 7), (4, 3), (5, 10), (16, 7), (8, 100)] {
            let (x, t) = randomBatch(n, c, std: 3, rng: &rng)
            let loss = crossEntropy(logits: x, targets: t)
            XCTAssertEqual(loss.shape, [], "the loss is a scalar tensor, shape []")
            assertClose(loss.scalar, libraryLoss(x, t).scalar, "a random (\(n), \(c)) batch, targets \(t)")
        }
    }

    func testHugeAndTinyLogits() {
        for t in 0..<3 {
            let huge = Tensor(shape: [1, 3], scalars: [1000, 1001, 1002])
            assertClose(crossEntropy(logits: huge, targets: [t]).scalar, libraryLoss(huge, [t]).scalar,
                        "[1000, 1001, 1002], target \(t)", tolerance: 2e-4)
            let tiny = Tensor(shape: [1, 3], scalars: [-1000, -1001, -1002])
            assertClose(crossEntropy(logits: tiny, targets: [t]).scalar, libraryLoss(tiny, [t]).scalar,
                        "[-1000, -1001, -1002], target \(t)", tolerance: 2e-4)
        }
        let mixed = Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, 1, 2, 3])
        assertClose(crossEntropy(logits: mixed, targets: [0, 2]).scalar, libraryLoss(mixed, [0, 2]).scalar,
                    "a batch with a row of huge logits", tolerance: 2e-4)
    }

    func testConfidentAndWrongIsLargeButFinite() {
        // p(target) = e^-200 underflows to 0 in Float, so -log(softmax(x)[0]) would be inf.
        let x = Tensor(shape: [1, 2], scalars: [0, 200])
        assertClose(crossEntropy(logits: x, targets: [0]).scalar, 200, "logits [0, 200], target 0: the loss is 200")
        assertClose(crossEntropy(logits: x, targets: [1]).scalar, 0, "logits [0, 200], target 1: a sure and right prediction")
    }

    func testUniformPredictionCostsLogC() {
        for c in [2, 10, 1000, 50_257] {
            assertClose(crossEntropy(logits: Tensor.full([2, c], 1.5), targets: [c - 1, 0]).scalar, log(Float(c)),
                        "uniform over \(c) classes")
        }
    }

    func testSingleClassIsFree() {
        let x = Tensor(shape: [3, 1], scalars: [4.2, -100, 1e4])
        XCTAssertEqual(crossEntropy(logits: x, targets: [0, 0, 0]).scalar, 0, accuracy: 1e-6, "one class: probability 1, loss 0")
        if let grad = studentGradient(x, [0, 0, 0]) {
            XCTAssertEqual(grad.scalars, [0, 0, 0], "one class: nothing to learn, the gradient is 0")
        }
    }

    func testNegativeInfinityLogits() {
        let x = Tensor(shape: [2, 3], scalars: [0, -.infinity, 1,
                                                -.infinity, 2, 0])
        assertClose(crossEntropy(logits: x, targets: [2, 1]).scalar, libraryLoss(x, [2, 1]).scalar,
                    "-inf logits on other classes do not matter")
        XCTAssertEqual(crossEntropy(logits: x, targets: [1, 1]).scalar, .infinity,
                       "a -inf target logit has probability 0: the loss is +inf")
        if let grad = studentGradient(x, [2, 1]) {
            XCTAssertFalse(grad.scalars.contains { $0.isNaN }, "no NaN in the gradient with -inf logits (0 · -inf is NaN: pick the target by index): got \(grad.scalars)")
            XCTAssertEqual(grad.scalars[1], 0, "a -inf logit has probability 0 and gets no gradient")
            XCTAssertEqual(grad.scalars[3], 0, "a -inf logit has probability 0 and gets no gradient")
        }
    }

    func testGradientMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 4)
        for (n, c) in [(1, 3), (5, 4), (16, 10)] {
            let (data, t) = randomBatch(n, c, std: 2, rng: &rng)
            guard let got = studentGradient(data, t) else { return }
            let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
            libraryLoss(x, t).backward()
            assertClose(got, x.grad!, "the gradient of the loss of a (\(n), \(c)) batch")
        }
    }

    func testGradientIsSoftmaxMinusOneHotOverN() {
        // ∂ mean(logSumExp(xᵢ) − xᵢ[tᵢ]) / ∂x = (softmax(x) − onehot(t)) / N
        var rng = SeededGenerator(seed: 5)
        for (n, c) in [(1, 5), (3, 4), (8, 6)] {
            let (data, t) = randomBatch(n, c, std: 3, rng: &rng)
            guard let got = studentGradient(data, t) else { return }
            var onehot = [Float](repeating: 0, count: n * c)
            for (row, target) in t.enumerated() { onehot[row * c + target] = 1 }
            let want = (data.softmax(axis: -1) - Tensor(shape: [n, c], scalars: onehot)) / Float(n)
            assertClose(got, want, "(\(n), \(c)) batch: the gradient should be (softmax − onehot) / N")
        }
    }

    func testGradientWithHugeLogits() {
        let data = Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, -1001, -1002])
        guard let got = studentGradient(data, [0, 1]) else { return }
        let want = (data.softmax(axis: -1) - Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 1, 0])) / 2
        XCTAssertFalse(got.scalars.contains { $0.isNaN }, "no NaN in the gradient with huge logits: got \(got.scalars)")
        assertClose(got, want, "huge logits: the gradient should be (softmax − onehot) / N")
    }
}
