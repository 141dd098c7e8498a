// Losses against PyTorch (values and gradients, every reduction, ignore_index and label
// smoothing) from Fixtures/losses.json (Scripts/fixtures/nn_reference.py), and a
// finite-difference check of each loss's gradient that needs no fixture.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct LossFixtures: Decodable {
    struct CrossEntropyCase: Decodable {
        let name: String
        let logits: TensorFixture
        let targets: [Int]
        let ignoreIndex: Int?
        let labelSmoothing: Float
        let reduction: String
        let loss, upstream, gradLogits: TensorFixture
    }
    struct BCECase: Decodable {
        let name: String
        let logits, targets: TensorFixture
        let reduction: String
        let loss, upstream, gradLogits: TensorFixture
    }
    struct MSECase: Decodable {
        let name: String
        let input, target: TensorFixture
        let reduction: String
        let loss, upstream, gradInput: TensorFixture
    }
    let crossEntropy: [CrossEntropyCase]
    let bceWithLogits: [BCECase]
    let mse: [MSECase]
}

final class LossTests: XCTestCase {
    private var fixtures: LossFixtures!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(LossFixtures.self, from: "losses.json")
    }

    func testCrossEntropyMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.crossEntropy.count, 11)
        for c in fixtures.crossEntropy {
            let reduction = try XCTUnwrap(LossReduction(rawValue: c.reduction))
            let logits = c.logits.leaf
            // The fixture's null ignore_index means "no ignored targets": nil here.
            let loss = crossEntropy(logits: logits, targets: c.targets, ignoreIndex: c.ignoreIndex,
                                    labelSmoothing: c.labelSmoothing, reduction: reduction)
            assertClose(loss, c.loss, relative: 2e-6, c.name + " loss")
            loss.backward(c.upstream.tensor)
            assertClose(logits.grad, c.gradLogits, relative: 2e-5, c.name + " grad")
        }
    }

    func testCrossEntropyEdgeCases() {
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, -.infinity, 5])
        // A −∞ logit in another class is fine without smoothing (PyTorch gives a finite loss).
        let loss = crossEntropy(logits: logits, targets: [2, 2])
        XCTAssertTrue(loss.scalar.isFinite, "\(loss.scalar)")
        // Every target ignored: the mean is 0/0 = NaN, as in PyTorch; the sum is 0.
        XCTAssertTrue(crossEntropy(logits: logits, targets: [-100, -100]).scalar.isNaN)
        XCTAssertEqual(crossEntropy(logits: logits, targets: [-100, -100], reduction: .sum).scalar, 0)
        // ignoreIndex nil: -100 would be an invalid class, so make every target count instead.
        let all = crossEntropy(logits: logits, targets: [0, 0], ignoreIndex: nil, reduction: .none)
        XCTAssertEqual(all.shape, [2])
        // Uniform logits: the loss is log C with or without smoothing.
        let uniform = Tensor.zeros([4, 5])
        XCTAssertEqual(crossEntropy(logits: uniform, targets: [0, 1, 2, 3], labelSmoothing: 0.3).scalar, Foundation.log(5), accuracy: 1e-6)
    }

    func testBinaryCrossEntropyWithLogitsMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.bceWithLogits.count, 3)
        for c in fixtures.bceWithLogits {
            let reduction = try XCTUnwrap(LossReduction(rawValue: c.reduction))
            let logits = c.logits.leaf
            let loss = binaryCrossEntropyWithLogits(logits, c.targets.tensor, reduction: reduction)
            assertClose(loss, c.loss, absolute: 2e-6, relative: 2e-6, c.name + " loss")
            loss.backward(c.upstream.tensor)
            assertClose(logits.grad, c.gradLogits, absolute: 1e-6, relative: 1e-5, c.name + " grad")
        }
    }

    func testMSELossMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.mse.count, 3)
        for c in fixtures.mse {
            let reduction = try XCTUnwrap(LossReduction(rawValue: c.reduction))
            let input = c.input.leaf
            let loss = mseLoss(input, c.target.tensor, reduction: reduction)
            assertClose(loss, c.loss, c.name + " loss")
            loss.backward(c.upstream.tensor)
            assertClose(input.grad, c.gradInput, c.name + " grad")
        }
    }

    // MARK: - Finite differences

    /// Compares the autodiff gradient of `f` at `x` with central differences (in Double around
    /// Float evaluations: step h, error O(h²) + rounding/h).
    private func checkGradient(_ name: String, at x: [Float], shape: [Int], h: Float = 1e-2, tolerance: Float = 2e-3,
                               _ f: (Tensor) -> Tensor, file: StaticString = #filePath, line: UInt = #line) {
        let input = Tensor(shape: shape, scalars: x, requiresGrad: true)
        f(input).backward()
        guard let analytic = input.grad?.scalars else { return XCTFail("\(name): no gradient", file: file, line: line) }
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let fPlus = Tensor.withoutGradients { f(Tensor(shape: shape, scalars: plus)).scalar }
            let fMinus = Tensor.withoutGradients { f(Tensor(shape: shape, scalars: minus)).scalar }
            let numeric = Float((Double(fPlus) - Double(fMinus)) / (2 * Double(h)))
            XCTAssertEqual(analytic[i], numeric, accuracy: tolerance * max(1, Swift.abs(numeric)),
                           "\(name): ∂/∂x[\(i)]", file: file, line: line)
        }
    }

    func testLossGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        let logits = (0..<12).map { _ in rng.nextNormal(std: 1.5) }
        checkGradient("crossEntropy mean", at: logits, shape: [3, 4]) {
            crossEntropy(logits: $0, targets: [2, -100, 0])
        }
        checkGradient("crossEntropy smoothed sum", at: logits, shape: [3, 4]) {
            crossEntropy(logits: $0, targets: [1, 3, 0], labelSmoothing: 0.2, reduction: .sum)
        }
        checkGradient("crossEntropy smoothed mean, ignore 3", at: logits, shape: [3, 4]) {
            crossEntropy(logits: $0, targets: [1, 3, 0], ignoreIndex: 3, labelSmoothing: 0.1)
        }
        let x = (0..<6).map { _ in rng.nextNormal(std: 3) }
        let y = Tensor(shape: [6], scalars: [0, 1, 0.3, 1, 0, 0.8])
        checkGradient("binaryCrossEntropyWithLogits", at: x, shape: [6]) { binaryCrossEntropyWithLogits($0, y) }
        checkGradient("binaryCrossEntropyWithLogits sum", at: x, shape: [6]) {
            binaryCrossEntropyWithLogits($0, y, reduction: .sum)
        }
        let target = Tensor(shape: [2, 3], scalars: (0..<6).map { _ in rng.nextNormal() })
        checkGradient("mseLoss", at: x, shape: [2, 3]) { mseLoss($0, target) }
        checkGradient("mseLoss sum", at: x, shape: [2, 3]) { mseLoss($0, target, reduction: .sum) }
    }

    func testBinaryCrossEntropyIsStableForHugeLogits() {
        let logits = Tensor(shape: [4], scalars: [100, -100, 100, -100])
        let targets = Tensor(shape: [4], scalars: [1, 0, 0, 1])
        let losses = binaryCrossEntropyWithLogits(logits, targets, reduction: .none).scalars
        // Confident and right: ~0; confident and wrong: ~100, never inf or NaN.
        XCTAssertEqual(losses[0], 0, accuracy: 1e-6)
        XCTAssertEqual(losses[1], 0, accuracy: 1e-6)
        XCTAssertEqual(losses[2], 100, accuracy: 1e-4)
        XCTAssertEqual(losses[3], 100, accuracy: 1e-4)
    }
}
