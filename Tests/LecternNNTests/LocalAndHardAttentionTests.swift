// Local-p attention (Luong et al. 2015, eq. 9–10) and deterministic hard attention: a
// hand-worked window × Gaussian example, the predicted position against a hand evaluation of
// (S − 1)·sigmoid(v_pᵀ tanh(W_p h)), the window/padding invariants, central differences for
// the scores, the centre and the predictor's parameters, and hard attention's one-hot rows,
// first-index ties and absent score gradient.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

/// Local-p weights written out from the formula in plain Double math: softmax of the scores
/// over the real positions within `halfWidth` of round(p), times exp(−(s − p)² / (2σ²)), σ = D/2.
private func referenceLocalWeights(scores: [[Double]], centers: [Double], lengths: [Int], halfWidth: Int) -> [[Double]] {
    let sigma = Double(halfWidth) / 2
    return scores.indices.map { b in
        let s = scores[b].count
        let middle = Int(centers[b].rounded())
        let window = (0..<s).filter { $0 < lengths[b] && Swift.abs($0 - middle) <= halfWidth }
        let top = window.map { scores[b][$0] }.max()!
        let z = window.reduce(0.0) { $0 + Foundation.exp(scores[b][$1] - top) }
        return (0..<s).map { j in
            guard window.contains(j) else { return 0 }
            let d = Double(j) - centers[b]
            return Foundation.exp(scores[b][j] - top) / z * Foundation.exp(-d * d / (2 * sigma * sigma))
        }
    }
}

final class LocalAndHardAttentionTests: XCTestCase {
    // MARK: Local attention

    func testLocalWeightsMatchAHandWorkedOneRowExample() {
        // S = 6, 5 real positions, p = 1.7, D = 1 → round(p) = 2, window {1, 2, 3}, σ = 0.5.
        // The padded position 5 has the largest score: it must still get nothing.
        let e: [Float] = [0.3, -1.2, 2.0, 0.5, 1.1, 9.0]
        let weights = localAttentionWeights(scores: Tensor(shape: [1, 6], scalars: e),
                                            center: Tensor(shape: [1], scalars: [1.7]),
                                            sourceLengths: [5], halfWidth: 1)                 // (1, 6)
        XCTAssertEqual(weights.shape, [1, 6])
        // By hand: softmax over e[1...3] = (e^−1.2, e^2, e^0.5) / Σ, times e^{−(s − 1.7)²/0.5}.
        let z = exp(-1.2) + exp(2.0) + exp(0.5)
        let expected: [Double] = [
            0,
            exp(-1.2) / z * exp(-0.49 / 0.5),   // s = 1: (1 − 1.7)² = 0.49
            exp(2.0) / z * exp(-0.09 / 0.5),    // s = 2: (2 − 1.7)² = 0.09
            exp(0.5) / z * exp(-1.69 / 0.5),    // s = 3: (3 − 1.7)² = 1.69
            0, 0,
        ]
        assertClose(weights.scalars, expected.map(Float.init), absolute: 1e-6, relative: 1e-5, "hand-worked local weights")
        // The same numbers, evaluated once with Python's math module.
        assertClose(weights.scalars, [0, 0.0121042804, 0.6608713171, 0.0060108078, 0, 0],
                    absolute: 1e-6, relative: 1e-5, "literal local weights")
        // Exactly zero outside the window and at padding, not merely small.
        XCTAssertEqual(weights.scalars[0], 0)
        XCTAssertEqual(weights.scalars[4], 0)
        XCTAssertEqual(weights.scalars[5], 0)
    }

    func testLocalWeightsMatchTheFormulaOnABatch() {
        var rng = SeededGenerator(seed: 21)
        let scores = Tensor.randn([4, 7], std: 2, using: &rng)                      // (B, S)
        let lengths = [7, 4, 1, 6]
        let centers: [Float] = [5.2, 0.4, 0, 2.9]                                   // in 0...len − 1
        for halfWidth in 1...3 {
            let weights = localAttentionWeights(scores: scores, center: Tensor(shape: [4], scalars: centers),
                                                sourceLengths: lengths, halfWidth: halfWidth)   // (B, S)
            let rows = (0..<4).map { b in (0..<7).map { Double(scores.scalars[b * 7 + $0]) } }
            let expected = referenceLocalWeights(scores: rows, centers: centers.map(Double.init),
                                                 lengths: lengths, halfWidth: halfWidth)
            assertClose(weights.scalars, expected.flatMap { $0 }.map(Float.init), absolute: 1e-6, relative: 1e-5,
                        "D = \(halfWidth)")
        }
    }

    func testLocalWeightsAreZeroOutsideTheWindowAndAtPaddingAndNeverExceedOne() {
        var rng = SeededGenerator(seed: 22)
        for trial in 0..<20 {
            let (b, s) = (3, 2 + rng.nextInt(below: 8))
            // Large scores so that padding or out-of-window positions would win if they leaked.
            let scores = Tensor.randn([b, s], std: 20, using: &rng)                 // (B, S)
            let lengths = (0..<b).map { _ in 1 + rng.nextInt(below: s) }
            let centers = lengths.map { Float(rng.nextInt(below: 1000)) / 999 * Float($0 - 1) }
            let halfWidth = 1 + rng.nextInt(below: 3)
            let w = localAttentionWeights(scores: scores, center: Tensor(shape: [b], scalars: centers),
                                          sourceLengths: lengths, halfWidth: halfWidth).scalars   // (B, S)
            for row in 0..<b {
                let middle = Int(centers[row].rounded())
                let what = "trial \(trial) row \(row): length \(lengths[row]), p = \(centers[row]), D = \(halfWidth)"
                XCTAssertTrue((0..<lengths[row]).contains(middle), what + ": round(p) is a real position")
                for j in 0..<s {
                    let value = w[row * s + j]
                    if j >= lengths[row] || Swift.abs(j - middle) > halfWidth {
                        XCTAssertEqual(value, 0, what + " position \(j) is outside the window")
                    } else {
                        XCTAssertTrue(value >= 0 && value.isFinite, what + " position \(j): \(value)")
                    }
                }
                XCTAssertGreaterThan(w[row * s + middle], 0, what + ": the window contains round(p)")
                let total = (0..<s).reduce(Float(0)) { $0 + w[row * s + $1] }
                XCTAssertLessThanOrEqual(total, 1 + 1e-6, what)
                XCTAssertGreaterThan(total, 0, what)
            }
        }
    }

    func testLocalWeightsWithAWideWindowAreGlobalWeightsTimesTheGaussian() {
        // With D ≥ S every real position is in the window, so dividing out the Gaussian must
        // give back the ordinary masked softmax.
        var rng = SeededGenerator(seed: 23)
        let scores = Tensor.randn([3, 5], std: 1.5, using: &rng)                    // (B, S)
        let lengths = [5, 3, 2]
        let centers: [Float] = [2.2, 1.9, 0.3]
        let halfWidth = 6
        let local = localAttentionWeights(scores: scores, center: Tensor(shape: [3], scalars: centers),
                                          sourceLengths: lengths, halfWidth: halfWidth).scalars   // (B, S)
        let global = attentionWeights(scores: scores, sourceLengths: lengths).scalars            // (B, S)
        let sigma = Double(halfWidth) / 2
        for b in 0..<3 {
            for j in 0..<lengths[b] {
                let d = Double(j) - Double(centers[b])
                let gaussian = Foundation.exp(-d * d / (2 * sigma * sigma))
                XCTAssertEqual(Double(local[b * 5 + j]) / gaussian, Double(global[b * 5 + j]), accuracy: 1e-6,
                               "row \(b) position \(j)")
            }
        }
    }

    func testLocalWeightGradientsAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 24)
        let scores = Tensor.randn([3, 6], std: 1, using: &rng)                      // (B, S)
        // Centres at least 0.1 from a rounding boundary (x.5), so the ±4e-3 steps keep the window.
        let center = Tensor(shape: [3], scalars: [2.3, 1.8, 3.1])                   // (B)
        let lengths = [6, 4, 5]
        for halfWidth in [1, 2] {
            checkModuleGradients([scores, center], [], "local D = \(halfWidth)") { xs in
                localAttentionWeights(scores: xs[0], center: xs[1], sourceLengths: lengths, halfWidth: halfWidth)   // (B, S)
            }
        }
        // And the centre does receive a gradient (through the Gaussian), which is what makes
        // p_t learnable: d/dp Σ_s a(s) is not zero here.
        var p = center.detached(); p.requiresGrad = true
        var e = scores.detached(); e.requiresGrad = true
        localAttentionWeights(scores: e, center: p, sourceLengths: lengths, halfWidth: 2).sum().backward()
        let pGrad = p.grad?.scalars ?? []
        XCTAssertEqual(pGrad.count, 3)
        XCTAssertTrue(pGrad.contains { Swift.abs($0) > 1e-3 }, "the centre's gradient is \(pGrad)")
        // Padded scores get exactly zero gradient (row 1, positions 4 and 5).
        let eGrad = e.grad!.scalars
        XCTAssertEqual(eGrad[1 * 6 + 4], 0)
        XCTAssertEqual(eGrad[1 * 6 + 5], 0)
    }

    // MARK: Predicted position

    func testPredictedPositionMatchesTheFormulaByHand() {
        var rng = SeededGenerator(seed: 25)
        let position = PredictedPosition(querySize: 3, attentionSize: 2, using: &rng)
        XCTAssertEqual(position.children.map(\.name), ["W_p", "v_p"])
        XCTAssertEqual(position.namedParameters().map(\.name), ["W_p.weight", "v_p.weight"])
        XCTAssertEqual(position.W_p.weight.shape, [2, 3])                           // (A, H)
        XCTAssertEqual(position.v_p.weight.shape, [1, 2])                           // (1, A)
        XCTAssertNil(position.W_p.bias)
        XCTAssertNil(position.v_p.bias)

        let w: [[Double]] = [[0.5, -1.0, 0.25], [1.5, 0.0, -0.5]]
        let v: [Double] = [0.8, -1.2]
        position.W_p.weight.value = Tensor(shape: [2, 3], scalars: w.flatMap { $0 }.map(Float.init))
        position.v_p.weight.value = Tensor(shape: [1, 2], scalars: v.map(Float.init))
        let h: [[Double]] = [[1.0, 0.5, -2.0], [-0.3, 0.2, 0.4]]
        let lengths = [5, 3]
        let p = position(Tensor(shape: [2, 3], scalars: h.flatMap { $0 }.map(Float.init)), sourceLengths: lengths)
        XCTAssertEqual(p.shape, [2])
        let expected = (0..<2).map { b -> Double in
            let hidden = (0..<2).map { a in Foundation.tanh((0..<3).reduce(0.0) { $0 + w[a][$1] * h[b][$1] }) }
            let x = v[0] * hidden[0] + v[1] * hidden[1]
            return Double(lengths[b] - 1) / (1 + Foundation.exp(-x))
        }
        assertClose(p.scalars, expected.map(Float.init), absolute: 1e-6, relative: 1e-5, "p = (S − 1)·sigmoid(v tanh(W h))")
        assertClose(p.scalars, [0.6982498971, 1.2402453875], absolute: 1e-6, relative: 1e-5, "literal p")
    }

    func testPredictedPositionStaysOnTheRealPositionsOfEachRow() {
        var rng = SeededGenerator(seed: 26)
        let position = PredictedPosition(querySize: 4, attentionSize: 5, using: &rng)
        // Large weights and inputs push the sigmoid to both ends.
        position.v_p.weight.value = position.v_p.weight.value * 50
        let lengths = [1, 2, 5, 9, 3, 7]
        let h = Tensor.randn([6, 4], std: 10, using: &rng)                          // (B, H)
        let p = position(h, sourceLengths: lengths).scalars                         // (B)
        for (b, length) in lengths.enumerated() {
            XCTAssertTrue(p[b] >= 0 && p[b] <= Float(length - 1), "row \(b): p = \(p[b]) for length \(length)")
        }
        XCTAssertEqual(p[0], 0, "a one-word source has only position 0")
    }

    func testPredictedPositionGradientsAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 27)
        let position = PredictedPosition(querySize: 3, attentionSize: 4, using: &rng)
        let h = Tensor.randn([3, 3], std: 1, using: &rng)                           // (B, H)
        let scores = Tensor.randn([3, 6], std: 1, using: &rng)                      // (B, S)
        let lengths = [6, 4, 5]
        // The position alone (smooth everywhere).
        checkModuleGradients([h], position.parameters(), "position") { xs in
            position(xs[0], sourceLengths: lengths)                                 // (B)
        }
        // Through the local weights: valid only if no centre is near a rounding boundary,
        // where the window (a hard choice) would change under the finite-difference step.
        let centers = Tensor.withoutGradients { position(h, sourceLengths: lengths) }.scalars
        for c in centers {
            let fraction = c - c.rounded(.down)
            XCTAssertGreaterThan(Swift.abs(fraction - 0.5), 0.05, "centre \(c) is too close to x.5 for this check; pick another seed")
        }
        checkModuleGradients([scores, h], position.parameters(), "local with predicted position") { xs in
            localAttentionWeights(scores: xs[0], center: position(xs[1], sourceLengths: lengths),
                                  sourceLengths: lengths, halfWidth: 2)             // (B, S)
        }
    }

    // MARK: Hard attention

    func testHardWeightsPutOneOneAtEachRowsArgmaxAndBreakTiesToTheFirst() {
        let soft = Tensor(shape: [4, 4], scalars: [
            0.1, 0.6, 0.2, 0.1,     // arg-max 1
            0.4, 0.1, 0.4, 0.1,     // a tie between 0 and 2 → 0
            0, 0, 0.3, 0.7,         // arg-max 3
            0.25, 0.25, 0.25, 0.25, // all tied → 0
        ])
        let hard = hardAttentionWeights(soft)                                       // (B, S)
        XCTAssertEqual(hard.shape, [4, 4])
        XCTAssertEqual(hard.scalars, [0, 1, 0, 0,
                                      1, 0, 0, 0,
                                      0, 0, 0, 1,
                                      1, 0, 0, 0])
        XCTAssertFalse(hard.requiresGrad, "hard weights are a constant")
    }

    func testHardWeightsOnMaskedSoftWeightsNeverPickPadding() {
        var rng = SeededGenerator(seed: 28)
        let scores = Tensor.randn([5, 6], std: 3, using: &rng)                      // (B, S)
        let lengths = [6, 1, 3, 2, 5]
        let soft = attentionWeights(scores: scores, sourceLengths: lengths)         // (B, S)
        let hard = hardAttentionWeights(soft).scalars
        for (b, length) in lengths.enumerated() {
            let row = Array(hard[(b * 6)..<(b * 6 + 6)])
            let real = Array(scores.scalars[(b * 6)..<(b * 6 + length)])
            let best = real.indices.max { real[$0] < real[$1] || (real[$0] == real[$1] && $0 > $1) }!
            var expected = [Float](repeating: 0, count: 6)
            expected[best] = 1
            XCTAssertEqual(row, expected, "row \(b): the best real score is at \(best)")
        }
    }

    func testNoGradientReachesTheScoresThroughHardAttentionButValuesGetOne() {
        var rng = SeededGenerator(seed: 29)
        var scores = Tensor.randn([2, 3], std: 1, using: &rng); scores.requiresGrad = true   // (B, S)
        var values = Tensor.randn([2, 3, 2], std: 1, using: &rng); values.requiresGrad = true   // (B, S, D)
        let upstream = Tensor(shape: [2, 2], scalars: [1.5, -2, 0.5, 3])            // (B, D)
        let soft = attentionWeights(scores: scores, sourceLengths: [3, 2])          // (B, S)
        let hard = hardAttentionWeights(soft)                                       // (B, S)
        let context = attentionContext(weights: hard, values: values)               // (B, D)
        (context * upstream).sum().backward()
        // The context is exactly the chosen value of each row.
        let best = (0..<2).map { b in
            let real = Array(scores.scalars[(b * 3)..<(b * 3 + [3, 2][b])])
            return real.indices.max { real[$0] < real[$1] || (real[$0] == real[$1] && $0 > $1) }!
        }
        let v = values.scalars
        XCTAssertEqual(context.scalars, [v[best[0] * 2], v[best[0] * 2 + 1], v[6 + best[1] * 2], v[6 + best[1] * 2 + 1]])
        // The scores get no gradient at all: nil, or all zeros.
        XCTAssertTrue((scores.grad?.scalars ?? []).allSatisfy { $0 == 0 }, "scores.grad = \(String(describing: scores.grad?.scalars))")
        // ∂/∂values[b, j, :] = hard[b, j] · upstream[b, :].
        var expected = [Float](repeating: 0, count: 12)
        for b in 0..<2 {
            for d in 0..<2 { expected[b * 6 + best[b] * 2 + d] = upstream.scalars[b * 2 + d] }
        }
        XCTAssertEqual(values.grad?.scalars, expected)
    }
}
