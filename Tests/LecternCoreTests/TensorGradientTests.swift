// Gradient checks of every differentiable Tensor operation against central differences
// (GradientChecker.swift), including broadcasting, batched matmul, reductions over each axis,
// shape operations, gather with repeated indices, masking, softmax and both GELUs.
import LecternCore
import XCTest

final class GradientCheckerTests: XCTestCase {
    /// The checker must be able to fail: `x · detached(x)` hides half of the derivative of x²
    /// from backward (which gives x, while the true derivative is 2x).
    func testCheckerCatchesAWrongGradient() {
        let x = randomTensor([3, 2], seed: 100, margin: 0.2)
        XCTAssertNil(gradientMismatch([x]) { $0[0] * $0[0] })
        let problem = gradientMismatch([x]) { $0[0] * $0[0].detached() }
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem?.hasPrefix("6 gradient entries disagree") ?? false, problem ?? "")
        // A 5% error in a single entry is caught too: (x.detached() − x) is 0 in value, but it
        // subtracts 0.05 from the backward derivative of the one unmasked entry.
        let onlyLast = [true, true, true, true, true, false]
        let nudged = gradientMismatch([x]) { xs in
            xs[0] + ((xs[0].detached() - xs[0]) * 0.05).maskedFill(onlyLast, with: 0)
        }
        XCTAssertEqual(nudged?.hasPrefix("1 gradient entries disagree") ?? false, true, nudged ?? "no mismatch found")
        XCTAssertNotNil(nudged)
    }
}

final class ArithmeticGradientTests: XCTestCase {
    func testSameShapeArithmetic() {
        let a = randomTensor([2, 3], seed: 1), b = positiveTensor([2, 3], seed: 2)
        checkGradients([a, b], "add") { $0[0] + $0[1] }
        checkGradients([a, b], "sub") { $0[0] - $0[1] }
        checkGradients([a, b], "mul") { $0[0] * $0[1] }
        checkGradients([a, b], "div") { $0[0] / $0[1] }
        checkGradients([a], "neg") { -$0[0] }
    }

    func testBroadcastingArithmeticReducesGradientsToInputShapes() {
        let x = randomTensor([2, 3, 4], seed: 3)                // (B, T, C)
        let bias = randomTensor([4], seed: 4)                   // (C)
        let column = positiveTensor([2, 3, 1], seed: 5)         // (B, T, 1)
        let middle = positiveTensor([3, 1], seed: 6)            // (T, 1)
        checkGradients([x, bias], "(B,T,C) + (C)") { $0[0] + $0[1] }
        checkGradients([x, column], "(B,T,C) - (B,T,1)") { $0[0] - $0[1] }
        checkGradients([x, middle], "(B,T,C) * (T,1)") { $0[0] * $0[1] }
        checkGradients([x, column], "(B,T,C) / (B,T,1)") { $0[0] / $0[1] }
        checkGradients([column, x], "(B,T,1) / (B,T,C)") { $0[0] / ($0[1].squared() + 1) }
        // Both sides broadcast: (2, 1, 3) * (4, 1) → (2, 4, 3).
        checkGradients([randomTensor([2, 1, 3], seed: 7), randomTensor([4, 1], seed: 8)], "(2,1,3) * (4,1)") { $0[0] * $0[1] }
        // A scalar tensor and plain numbers.
        checkGradients([x, Tensor(1.5)], "tensor * scalar tensor") { $0[0] * $0[1] }
        checkGradients([x], "Float operands") { (2 - $0[0] * 3 + 1) / 4 }
        checkGradients([positiveTensor([3], seed: 9)], "Float / tensor") { 1 / $0[0] }
    }

    func testSameInputOnBothSidesAccumulates() {
        checkGradients([randomTensor([3, 2], seed: 10)], "x * x + x") { $0[0] * $0[0] + $0[0] }
    }
}

final class UnaryGradientTests: XCTestCase {
    func testElementwiseFunctions() {
        let x = randomTensor([3, 4], seed: 11, margin: 0.05)
        let p = positiveTensor([3, 4], seed: 12)
        checkGradients([x], "exp") { $0[0].exp() }
        checkGradients([p], "log") { $0[0].log() }
        checkGradients([p], "sqrt") { $0[0].sqrt() }
        checkGradients([x], "tanh") { $0[0].tanh() }
        checkGradients([x * 3], "sigmoid") { $0[0].sigmoid() }
        checkGradients([x], "relu") { $0[0].relu() }
        checkGradients([x], "pow(3)") { $0[0].pow(3) }
        checkGradients([p], "pow(-1.5)") { $0[0].pow(-1.5) }
        checkGradients([x], "squared") { $0[0].squared() }
        checkGradients([x], "abs") { $0[0].abs() }
    }

    func testGELUs() {
        let x = randomTensor([4, 5], seed: 13, std: 2)
        checkGradients([x], "gelu") { $0[0].gelu() }
        checkGradients([x], "geluTanh") { $0[0].geluTanh() }
    }
}

final class MatmulGradientTests: XCTestCase {
    func testLinearAgainstFiniteDifferencesAndMatmul() {
        checkGradients([randomTensor([5, 3], seed: 40), randomTensor([4, 3], seed: 41)], "(5,3)·(4,3)ᵀ") { $0[0].linear($0[1]) }
        checkGradients([randomTensor([2, 3, 3], seed: 42), randomTensor([2, 3], seed: 43)], "(2,3,3)·(2,3)ᵀ") { $0[0].linear($0[1]) }
        // The same numbers as the product with an explicit transpose.
        let x = randomTensor([2, 3, 4], seed: 44), w = randomTensor([5, 4], seed: 45)
        let viaLinear = x.linear(w), viaMatmul = x.matmul(w.transposed(0, 1))
        XCTAssertEqual(viaLinear.shape, [2, 3, 5])
        for (a, b) in zip(viaLinear.scalars, viaMatmul.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// The fused bias and a block of the weight's rows used in place (multi-head attention's
    /// packed projection): central differences for x, the whole weight (rows outside the block
    /// get exactly zero) and the bias; values equal slicing the weight and adding the bias.
    func testLinearWithBiasAndARowBlockOfTheWeight() {
        let x = randomTensor([2, 3, 4], seed: 46), w = randomTensor([7, 4], seed: 47), b = randomTensor([3], seed: 48)
        checkGradients([x, w, b], "x·W[2..<5]ᵀ + b") { $0[0].linear($0[1], rows: 2..<5, bias: $0[2]) }
        checkGradients([x, w, randomTensor([7], seed: 49)], "x·Wᵀ + b") { $0[0].linear($0[1], bias: $0[2]) }
        let fused = x.linear(w, rows: 2..<5, bias: b), composed = x.linear(w.slice(axis: 0, 2..<5)) + b
        XCTAssertEqual(fused.shape, [2, 3, 3])
        for (p, q) in zip(fused.scalars, composed.scalars) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        var leaf = w; leaf.requiresGrad = true
        x.linear(leaf, rows: 2..<5, bias: nil).sum().backward()
        let g = leaf.grad!.scalars
        XCTAssertEqual(Array(g[0..<8]) + Array(g[20..<28]), [Float](repeating: 0, count: 16), "rows outside the block get no gradient")
    }

    func testMatrixProduct() {
        checkGradients([randomTensor([3, 4], seed: 20), randomTensor([4, 2], seed: 21)], "2-D") { $0[0].matmul($0[1]) }
    }

    func testBatchedProduct() {
        checkGradients([randomTensor([2, 3, 4], seed: 22), randomTensor([2, 4, 5], seed: 23)], "(2,3,4) @ (2,4,5)") { $0[0].matmul($0[1]) }
    }

    func testBroadcastBatchDimensions() {
        // (2, 1, 3, 4) @ (3, 4, 2) → (2, 3, 3, 2): both operands are broadcast.
        checkGradients([randomTensor([2, 1, 3, 4], seed: 24), randomTensor([3, 4, 2], seed: 25)], "(2,1,3,4) @ (3,4,2)") { $0[0].matmul($0[1]) }
        // (B, T, C) @ (C, N): the folded single-sgemm path.
        checkGradients([randomTensor([2, 3, 4], seed: 26), randomTensor([4, 5], seed: 27)], "(B,T,C) @ (C,N)") { $0[0].matmul($0[1]) }
        // (M, K) @ (B, K, N): the left operand is shared.
        checkGradients([randomTensor([3, 4], seed: 28), randomTensor([2, 4, 2], seed: 29)], "(M,K) @ (B,K,N)") { $0[0].matmul($0[1]) }
    }

    func testVectorsAndTransposes() {
        checkGradients([randomTensor([4], seed: 30), randomTensor([4, 3], seed: 31)], "(K) @ (K,N)") { $0[0].matmul($0[1]) }
        checkGradients([randomTensor([2, 3, 4], seed: 32), randomTensor([4], seed: 33)], "(B,M,K) @ (K)") { $0[0].matmul($0[1]) }
        checkGradients([randomTensor([3, 4], seed: 34)], "x @ xᵀ") { $0[0].matmul($0[0].T) }
    }
}

final class ReductionGradientTests: XCTestCase {
    let x = randomTensor([2, 3, 4], seed: 40)

    func testSumAndMean() {
        checkGradients([x], "sum()") { $0[0].sum() }
        checkGradients([x], "mean()") { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            for keep in [false, true] {
                checkGradients([x], "sum(axis: \(axis), keepDims: \(keep))") { $0[0].sum(axis: axis, keepDims: keep) }
                checkGradients([x], "mean(axis: \(axis), keepDims: \(keep))") { $0[0].mean(axis: axis, keepDims: keep) }
            }
        }
    }

    func testMax() {
        checkGradients([x], "max()") { $0[0].max() }
        for axis in [0, 1, 2] {
            checkGradients([x], "max(axis: \(axis))") { $0[0].max(axis: axis) }
        }
        checkGradients([x], "max(axis: -1, keepDims: true)") { $0[0].max(axis: -1, keepDims: true) }
    }

    func testVariance() {
        checkGradients([x], "variance unbiased") { $0[0].variance(axis: -1) }
        checkGradients([x], "variance biased, keepDims") { $0[0].variance(axis: 1, keepDims: true, unbiased: false) }
    }
}

final class SoftmaxGradientTests: XCTestCase {
    func testSoftmaxAndLogSoftmax() {
        let x = randomTensor([2, 3, 5], seed: 50, std: 2)
        for axis in [-1, 1, 0] {
            checkGradients([x], "softmax(axis: \(axis))") { $0[0].softmax(axis: axis) }
            checkGradients([x], "logSoftmax(axis: \(axis))") { $0[0].logSoftmax(axis: axis) }
        }
    }
}

final class ShapeGradientTests: XCTestCase {
    let x = randomTensor([2, 3, 4], seed: 60)

    func testReshapeFamily() {
        checkGradients([x], "reshaped") { $0[0].reshaped([4, -1]) * Tensor.arange(6) }
        checkGradients([x], "flattened") { $0[0].flattened() * Tensor.arange(24) }
        checkGradients([x], "unsqueezed/squeezed") { ($0[0].unsqueezed(axis: 1) * Tensor.arange(4)).squeezed(axis: 1) }
        checkGradients([randomTensor([3], seed: 61)], "broadcasted(to:)") { $0[0].broadcasted(to: [2, 3]) * randomTensor([2, 3], seed: 62) }
    }

    func testPermuteAndTranspose() {
        checkGradients([x], "permuted") { $0[0].permuted([2, 0, 1]) * Tensor.arange(4).reshaped([4, 1, 1]) }
        checkGradients([x], "transposed") { $0[0].transposed(-1, -2).matmul(randomTensor([3, 2], seed: 63)) }
        checkGradients([randomTensor([3, 5], seed: 64)], "T") { $0[0].T * Tensor.arange(3) }
    }

    func testSliceIndexConcatStackSplit() {
        checkGradients([x], "slice axis 1") { $0[0].slice(axis: 1, 1..<3) }
        checkGradients([x], "slice axis -1") { $0[0].slice(axis: -1, 0..<2) }
        checkGradients([x], "index") { $0[0].index(axis: 2, 3) * 2 + $0[0].index(axis: 2, 0) }
        checkGradients([x], "index negative") { $0[0].index(axis: 0, -1) }
        let y = randomTensor([2, 2, 4], seed: 65)
        checkGradients([x, y], "concat") { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) * Tensor.arange(4) }
        checkGradients([x, x * 2], "stack") { Tensor.stack([$0[0], $0[1]], axis: 1) * Tensor.arange(4) }
        checkGradients([x], "split") { xs in
            let parts = xs[0].split(sizes: [1, 3], axis: -1)
            return parts[0] * 3 - parts[1].sum(axis: -1, keepDims: true)
        }
    }
}

final class IndexingGradientTests: XCTestCase {
    func testGatherWithRepeatedIndices() {
        let table = randomTensor([5, 3], seed: 70)   // (V, C)
        checkGradients([table], "gathered rows") { $0[0].gathered(indices: [4, 1, 4, 0, 4]) * Tensor.arange(3) }
        checkGradients([randomTensor([2, 4, 3], seed: 71)], "gathered axis 1") { $0[0].gathered(indices: [3, 3, 0], axis: 1) }
    }

    func testMaskedFillAndWhere() {
        let scores = randomTensor([2, 3, 3], seed: 72)
        let causal = Tensor(shape: [3, 3], scalars: [0, 1, 1, 0, 0, 1, 0, 0, 0])
        checkGradients([scores], "maskedFill broadcast") { $0[0].maskedFill(causal, with: -5) * Tensor.arange(3) }
        checkGradients([scores], "maskedFill then softmax") { $0[0].maskedFill(causal, with: -.infinity).softmax() }
        let bools = (0..<18).map { $0 % 3 == 1 }
        checkGradients([scores], "maskedFill [Bool]") { $0[0].maskedFill(bools, with: 7) }
        let condition = Tensor(shape: [3, 1], scalars: [1, 0, 1])
        checkGradients([scores, randomTensor([3], seed: 73)], "where") { Tensor.where(condition, $0[0], $0[1]) }
    }

    func testDropout() {
        let x = randomTensor([4, 6], seed: 74)
        checkGradients([x], "dropout") { xs in
            var rng = SeededGenerator(seed: 5)   // the same mask at every evaluation
            return xs[0].dropout(p: 0.3, training: true, using: &rng)
        }
    }
}

final class CompositeGradientTests: XCTestCase {
    func testLayerNormFromOps() {
        let x = randomTensor([2, 3, 6], seed: 80, std: 2)
        let gamma = randomTensor([6], seed: 81), beta = randomTensor([6], seed: 82)
        checkGradients([x, gamma, beta], "layer norm") { xs in
            let mean = xs[0].mean(axis: -1, keepDims: true)              // (B, T, 1)
            let centered = xs[0] - mean                                   // (B, T, C)
            let variance = centered.squared().mean(axis: -1, keepDims: true)
            return centered / (variance + 1e-5).sqrt() * xs[1] + xs[2]    // (B, T, C)
        }
    }

    func testCrossEntropyFromOps() {
        let logits = randomTensor([4, 5], seed: 83, std: 2)   // (N, V)
        checkGradients([logits], "cross entropy") { xs in
            let logProbs = xs[0].logSoftmax()                   // (N, V)
            let picked = logProbs.reshaped([-1]).gathered(indices: [2, 5 + 0, 10 + 4, 15 + 4])   // (N)
            return -picked.mean()
        }
    }
}
