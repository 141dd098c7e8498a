// Tests of the speed-oriented kernels: the vectorized exp (Kernels/VectorExp.swift) against
// Foundation's Double exp over the whole float range, the fused layer norm
// (Tensor+LayerNorm.swift) against finite differences and against the same formula composed
// from tensor ops, and the fused softmax on every axis and across the parallel threshold.
import Foundation
import LecternCore
import XCTest

final class VectorExpTests: XCTestCase {
    /// Every 1999th bit pattern of the 2³² (about 2.1 million floats, every binade, both signs,
    /// infinities and NaNs): normal results within 2e-7 relative of the exact eˣ, subnormal ones
    /// within one subnormal step, overflow exactly +inf, NaN → NaN.
    func testExpMatchesDoubleExpOverTheWholeFloatRange() {
        var inputs: [Float] = []
        var bits: UInt64 = 0
        while bits < 1 << 32 {
            inputs.append(Float(bitPattern: UInt32(bits)))
            bits += 1999
        }
        inputs += [0, -0.0, .infinity, -.infinity, .nan, 88.72283, 88.72284, -87.33654, -103.97, -103.98, -150, 1e-30, -1e-30]
        var outputs = [Float](repeating: 0, count: inputs.count)
        Kernels.exp(inputs, count: inputs.count, into: &outputs)
        var worst = 0.0, worstInput: Float = 0, failures = 0
        for (x, y) in zip(inputs, outputs) {
            if x.isNaN {
                if !y.isNaN { failures += 1 }
                continue
            }
            let exact = Foundation.exp(Double(x))
            let rounded = Float(exact)   // the correctly rounded result (inf beyond the range)
            if rounded.isInfinite || rounded == 0 && exact < 0x1p-151 {
                if y != rounded { failures += 1; XCTFail("exp(\(x)) = \(y), expected \(rounded)") }
            } else if rounded.isNormal {
                let error = Swift.abs(Double(y) - exact) / exact
                if error > worst { worst = error; worstInput = x }
            } else if Swift.abs(Double(y) - exact) > 0x1p-149 {
                failures += 1
                XCTFail("exp(\(x)) = \(y) in the subnormal range, expected \(exact)")
            }
            if failures > 5 { break }
        }
        XCTAssertEqual(failures, 0)
        XCTAssertLessThan(worst, 2e-7, "worst relative error at x = \(worstInput)")
    }

    func testExpSpecialValuesAndTails() {
        // Lengths that are not multiples of 8 use the padded tail.
        for count in [1, 7, 8, 9, 17] {
            let x = (0..<count).map { Float($0) - 3 }
            var y = [Float](repeating: -1, count: count)
            Kernels.exp(x, count: count, into: &y)
            for (a, b) in zip(x, y) { XCTAssertEqual(Double(b), Foundation.exp(Double(a)), accuracy: Foundation.exp(Double(a)) * 2e-7) }
        }
        let special = Tensor(shape: [5], scalars: [-.infinity, .infinity, 100, -200, .nan]).exp().scalars
        XCTAssertEqual(Array(special[0..<4]), [0, .infinity, .infinity, 0])
        XCTAssertTrue(special[4].isNaN)
        // sigmoid and tanh are built on it.
        let s = Tensor(shape: [6], scalars: [-.infinity, -100, -1, 0, 1, .infinity]).sigmoid().scalars
        assertClose(s, [0, 0, 0.26894143, 0.5, 0.7310586, 1])
        let t = Tensor(shape: [6], scalars: [-.infinity, -20, -0.01, 0.01, 0.5, .infinity]).tanh().scalars
        assertClose(t, [-1, -1, Float(Foundation.tanh(-0.01)), Float(Foundation.tanh(0.01)), Float(Foundation.tanh(0.5)), 1])
        XCTAssertTrue(Tensor(shape: [1], scalars: [.nan]).sigmoid().scalar.isNaN)
    }
}

final class FusedLayerNormTests: XCTestCase {
    /// The composed-ops layer norm (two-pass mean, as LecternNN's LayerNorm was written).
    private func composedLayerNorm(_ x: Tensor, _ weight: Tensor?, _ bias: Tensor?, eps: Float) -> Tensor {
        let roughMean = x.mean(axis: -1, keepDims: true)                       // (N, 1)
        let roughCentered = x - roughMean                                        // (N, n)
        let centered = roughCentered - roughCentered.mean(axis: -1, keepDims: true)
        let variance = centered.squared().mean(axis: -1, keepDims: true)        // (N, 1)
        var y = centered / (variance + eps).sqrt()                               // (N, n)
        if let weight { y = y * weight }
        if let bias { y = y + bias }
        return y
    }

    func testGradientsMatchFiniteDifferences() {
        // n = 13: one full vector and a padded tail; n = 20 and 3 likewise.
        for (shape, seed) in [([2, 3, 13], UInt64(90)), ([4, 20], 91), ([5, 3], 92)] {
            let n = shape.last!
            let x = randomTensor(shape, seed: seed, std: 2)
            let gamma = randomTensor([n], seed: seed + 10), beta = randomTensor([n], seed: seed + 20)
            checkGradients([x, gamma, beta], "layerNorm \(shape)") { xs in
                xs[0].layerNorm(weight: xs[1], bias: xs[2], eps: 1e-5)
            }
            checkGradients([x], "layerNorm \(shape) without weight and bias") { xs in
                xs[0].layerNorm(weight: nil, bias: nil, eps: 1e-5)
            }
            checkGradients([x, gamma], "layerNorm \(shape) with weight only") { xs in
                xs[0].layerNorm(weight: xs[1], bias: nil, eps: 1e-5)
            }
        }
    }

    func testMatchesComposedOpsForwardAndBackward() {
        // 300 rows of 771: above the parallel threshold (2·2¹⁶ elements), with a tail of 3.
        for (rows, n) in [(7, 16), (300, 771)] {
            let x = randomTensor([rows, n], seed: 93, std: 3) + 5
            var w = randomTensor([n], seed: 94); w.requiresGrad = true
            var b = randomTensor([n], seed: 95); b.requiresGrad = true
            var x1 = x; x1.requiresGrad = true
            var x2 = x.detached(); x2.requiresGrad = true
            let upstream = randomTensor([rows, n], seed: 96)
            let fused = x1.layerNorm(weight: w, bias: b, eps: 1e-5)
            fused.backward(upstream)
            let (fw, fb) = (w.grad!.scalars, b.grad!.scalars)
            w.zeroGrad(); b.zeroGrad()
            let composed = composedLayerNorm(x2, w, b, eps: 1e-5)
            composed.backward(upstream)
            assertClose(fused.scalars, composed.scalars, absolute: 2e-5, relative: 2e-5, "output \(rows)×\(n)")
            assertClose(x1.grad!.scalars, x2.grad!.scalars, absolute: 2e-5, relative: 1e-4, "∂x \(rows)×\(n)")
            assertClose(fw, w.grad!.scalars, absolute: Float(rows) * 2e-6, relative: 1e-4, "∂weight \(rows)×\(n)")
            assertClose(fb, b.grad!.scalars, absolute: Float(rows) * 2e-6, relative: 1e-4, "∂bias \(rows)×\(n)")
        }
    }

    /// Rows like 100 ± 0.01 (the case LecternNN's fixture calls "offset_rows"): the corrected
    /// two-pass moments keep them as accurate as rows around 0, against a Double computation.
    func testOffsetRowsAreAccurate() {
        var rng = SeededGenerator(seed: 97)
        let n = 64
        let values = (0..<(4 * n)).map { _ in 100 + (rng.nextUniform() * 2 - 1) * 0.01 }
        let y = Tensor(shape: [4, n], scalars: values).layerNorm(weight: nil, bias: nil, eps: 1e-12).scalars
        for row in 0..<4 {
            let xs = values[(row * n)..<((row + 1) * n)].map(Double.init)
            let mean = xs.reduce(0, +) / Double(n)
            let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            for j in 0..<n {
                let exact = (xs[j] - mean) / (variance + 1e-12).squareRoot()
                XCTAssertEqual(Double(y[row * n + j]), exact, accuracy: 1e-5, "row \(row)[\(j)]")
            }
        }
    }

    func testConstantRowsAndShapes() {
        // A constant row has variance 0: the output is 0 (times weight) plus bias, not NaN.
        let y = Tensor(shape: [2, 5], scalars: Array(repeating: 3, count: 10))
            .layerNorm(weight: nil, bias: Tensor(shape: [5], scalars: [1, 2, 3, 4, 5]), eps: 1e-5)
        XCTAssertEqual(y.scalars, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
        XCTAssertEqual(Tensor.zeros([2, 3, 4]).layerNorm(weight: nil, bias: nil, eps: 1e-5).shape, [2, 3, 4])
        XCTAssertEqual(Tensor.zeros([0, 4]).layerNorm(weight: nil, bias: nil, eps: 1e-5).shape, [0, 4])
    }
}

final class FusedSoftmaxTests: XCTestCase {
    func testEveryAxisMatchesTheLastAxisOfTheTransposedTensor() {
        let x = randomTensor([3, 11, 5], seed: 98, std: 3)
        for axis in 0..<3 {
            let direct = x.softmax(axis: axis)
            let viaLast = x.transposed(axis, 2).softmax(axis: -1).transposed(axis, 2)
            XCTAssertEqual(direct.scalars, viaLast.scalars, "softmax axis \(axis)")
            let logDirect = x.logSoftmax(axis: axis)
            let logViaLast = x.transposed(axis, 2).logSoftmax(axis: -1).transposed(axis, 2)
            XCTAssertEqual(logDirect.scalars, logViaLast.scalars, "logSoftmax axis \(axis)")
        }
    }

    func testRowsMatchDoublePrecisionAcrossTheParallelThreshold() {
        // 700 rows of 203 (a tail of 3 after 25 vectors): split across cores.
        let rows = 700, n = 203
        let x = randomTensor([rows, n], seed: 99, std: 4)
        let y = x.softmax().scalars, logY = x.logSoftmax().scalars
        let xs = x.scalars
        for row in stride(from: 0, to: rows, by: 37) {
            let r = xs[(row * n)..<((row + 1) * n)].map(Double.init)
            let m = r.max()!
            let total = r.map { Foundation.exp($0 - m) }.reduce(0, +)
            for j in 0..<n {
                let p = Foundation.exp(r[j] - m) / total
                XCTAssertEqual(Double(y[row * n + j]), p, accuracy: 1e-6 * p + 1e-12, "softmax[\(row), \(j)]")
                XCTAssertEqual(Double(logY[row * n + j]), r[j] - m - Foundation.log(total), accuracy: 2e-6, "logSoftmax[\(row), \(j)]")
            }
        }
    }

    func testMaskedAndNaNRows() {
        let y = Tensor(shape: [3, 3], scalars: [-.infinity, 0, -.infinity,
                                                -.infinity, -.infinity, -.infinity,
                                                1, .nan, 2]).softmax().scalars
        XCTAssertEqual(Array(y[0..<3]), [0, 1, 0])
        XCTAssertTrue(y[3...].allSatisfy(\.isNaN))
    }
}

final class VectorErfTests: XCTestCase {
    /// The exact GELU's erf (Abramowitz & Stegun 7.1.26, eight lanes at a time) within 3e-7 of
    /// Foundation's double-precision erf over [−6, 6] and at the extremes; the GELU built on it
    /// within 5e-7 of x·Φ(x) in double.
    func testVectorizedErfAndGELUMatchDoublePrecision() {
        let xs = stride(from: -6.0, through: 6.0, by: 0.001).map { Float($0) } + [-20, 20]
        let gelu = Tensor(shape: [xs.count], scalars: xs).gelu().scalars
        var worst = 0.0
        for (x, y) in zip(xs, gelu) where x.isFinite {
            let exact = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = Swift.max(worst, Swift.abs(Double(y) - exact) / Swift.max(1, Swift.abs(exact)))
        }
        XCTAssertLessThan(worst, 5e-7, "GELU against x·Φ(x) in double")
        XCTAssertEqual(gelu[gelu.count - 2], 0, "GELU(−20) = 0")
        XCTAssertEqual(gelu[gelu.count - 1], 20, "GELU(20) = 20")
    }
}
