// The pairwise reward loss of RLHF, −mean log σ(r_w − r_l) (Ouyang et al. 2022, Eq. 1), with
// numbers worked out by hand:
//   - margins 0, −1 and 3: (ln 2 + ln(1 + e) + ln(1 + e⁻³)) / 3;
//   - its gradient −σ(−d)/N for r_w and +σ(−d)/N for r_l, by hand and by finite differences;
//   - no overflow at margins of ±100 (loss 100 and 0);
//   - the tensor and the plain-number forms agree; pairwise accuracy;
//   - the linear RewardModel: shape, and a few steps of gradient descent that rank a toy set.
import Foundation
import LecternModels
import XCTest

final class RewardModelTests: XCTestCase {
    private let chosen: [Float] = [2, 0, 3]
    private let rejected: [Float] = [2, 1, 0]          // margins 0, −1, 3

    func testLossByHand() {
        let want = (Float(log(2.0)) + Float(log(1 + exp(1.0))) + Float(log(1 + exp(-3.0)))) / 3   // 0.684999
        XCTAssertEqual(want, 0.684999, accuracy: 1e-5)
        let loss = pairwiseRewardLoss(chosen: Tensor(shape: [3], scalars: chosen), rejected: Tensor(shape: [3], scalars: rejected))
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(loss.scalar, want, accuracy: 1e-6)
        XCTAssertEqual(pairwiseRewardLoss(chosen: chosen, rejected: rejected), want, accuracy: 1e-6)
    }

    func testEqualRewardsCostLn2() {
        XCTAssertEqual(pairwiseRewardLoss(chosen: [5], rejected: [5]), Float(log(2.0)), accuracy: 1e-7)
    }

    func testGradientByHand() {
        // ∂/∂r_w [−log σ(d)] / N = −(1 − σ(d)) / N = −σ(−d) / N; r_l gets the opposite.
        let w = Tensor(shape: [3], scalars: chosen, requiresGrad: true)
        let l = Tensor(shape: [3], scalars: rejected, requiresGrad: true)
        pairwiseRewardLoss(chosen: w, rejected: l).backward()
        let sigmaOfMinusD: [Float] = [0.5, 0.7310586, 0.0474259]     // σ(0), σ(1), σ(−3)
        for i in 0..<3 {
            XCTAssertEqual(w.grad!.scalars[i], -sigmaOfMinusD[i] / 3, accuracy: 1e-6, "r_w[\(i)]")
            XCTAssertEqual(l.grad!.scalars[i], sigmaOfMinusD[i] / 3, accuracy: 1e-6, "r_l[\(i)]")
        }
    }

    func testGradientByFiniteDifferences() {
        let w = Tensor(shape: [3], scalars: chosen, requiresGrad: true)
        let l = Tensor(shape: [3], scalars: rejected, requiresGrad: true)
        pairwiseRewardLoss(chosen: w, rejected: l).backward()
        let h: Float = 1e-2
        for i in 0..<3 {
            var up = chosen, down = chosen
            up[i] += h
            down[i] -= h
            let numeric = (pairwiseRewardLoss(chosen: up, rejected: rejected) - pairwiseRewardLoss(chosen: down, rejected: rejected)) / (2 * h)
            XCTAssertEqual(w.grad!.scalars[i], numeric, accuracy: 1e-4, "r_w[\(i)]")
            var upL = rejected, downL = rejected
            upL[i] += h
            downL[i] -= h
            let numericL = (pairwiseRewardLoss(chosen: chosen, rejected: upL) - pairwiseRewardLoss(chosen: chosen, rejected: downL)) / (2 * h)
            XCTAssertEqual(l.grad!.scalars[i], numericL, accuracy: 1e-4, "r_l[\(i)]")
        }
    }

    func testNoOverflowForLargeMargins() {
        let loss = pairwiseRewardLoss(chosen: Tensor(shape: [2], scalars: [0, 100]), rejected: Tensor(shape: [2], scalars: [100, 0]))
        XCTAssertEqual(loss.scalar, 50, accuracy: 1e-4)            // (100 + 0) / 2
        XCTAssertFalse(loss.scalar.isNaN)
    }

    func testAccuracy() {
        XCTAssertEqual(pairwiseAccuracy(chosen: [1, 0, 2, 2], rejected: [0, 2, 1, 2]), 0.5)
    }

    func testRewardModelLearnsARule() {
        // Features (length of the answer, politeness): the preferred answer is always the polite
        // one. A few steps of gradient descent must rank every pair and raise the politeness weight.
        var rng = SeededGenerator(seed: 3)
        let model = RewardModel(features: 2, using: &rng)
        let w = Tensor(shape: [4, 2], scalars: [3, 1,   1, 1,   5, 1,   2, 1])
        let l = Tensor(shape: [4, 2], scalars: [1, 0,   4, 0,   2, 0,   6, 0])
        XCTAssertEqual(model(w).shape, [4])
        let optimizer = SGD(model.parameters(), lr: 0.5)
        var losses: [Float] = []
        for _ in 0..<200 {
            let loss = pairwiseRewardLoss(chosen: model(w), rejected: model(l))
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            losses.append(loss.scalar)
        }
        XCTAssertLessThan(losses.last!, losses.first!)
        XCTAssertEqual(pairwiseAccuracy(chosen: model(w).scalars, rejected: model(l).scalars), 1)
        XCTAssertGreaterThan(model.score.weight.value.scalars[1], 0)
    }
}
