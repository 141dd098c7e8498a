import XCTest
import LecternModels

/// Hidden tests for `rankingLoss`: on seeded random rewards for P prompts × K ranked answers
/// (K from 2 to 9, InstructGPT's range), equal to the library's `LecternModels.pairwiseRewardLoss`
/// on all C(K, 2) pairs the test builds itself, values and gradients; no overflow at huge margins;
/// and the order of the answers matters (best first).
final class RankingLossHiddenTests: XCTestCase {
    func testMatchesThePairwiseLossOnEveryPair() {
        var rng = SeededGenerator(seed: 631)
        for (p, k) in [(1, 2), (3, 4), (2, 9), (5, 3)] {
            let scalars = Tensor.randn([p, k], std: 2, using: &rng).scalars
            let mine = Tensor(shape: [p, k], scalars: scalars, requiresGrad: true)
            let loss = rankingLoss(mine)
            loss.backward()
            var w: [Int] = [], l: [Int] = []
            for row in 0..<p { for i in 0..<k { for j in (i + 1)..<k { w.append(row * k + i); l.append(row * k + j) } } }
            let reference = Tensor(shape: [p, k], scalars: scalars, requiresGrad: true)
            let flat = reference.reshaped([p * k])
            let want = LecternModels.pairwiseRewardLoss(chosen: flat.gathered(indices: w), rejected: flat.gathered(indices: l))
            want.backward()
            XCTAssertEqual(loss.scalar, want.scalar, accuracy: 1e-5, "P \(p), K \(k)")
            assertTensorClose(mine.grad!, reference.grad!, "gradient, P \(p), K \(k)")
        }
    }

    func testTiesHaveTheRightGradient() {
        // Ties (d = 0) everywhere in the first prompt, some in the second: the gradient of −log σ(d)
        // at 0 is −½, not the 0 that relu and abs give at their kinks.
        let scalars: [Float] = [1, 1, 1,   3, 0, 0]
        let mine = Tensor(shape: [2, 3], scalars: scalars, requiresGrad: true)
        rankingLoss(mine).backward()
        let reference = Tensor(shape: [2, 3], scalars: scalars, requiresGrad: true)
        let flat = reference.reshaped([6])
        LecternModels.pairwiseRewardLoss(chosen: flat.gathered(indices: [0, 0, 1, 3, 3, 4]),
                                         rejected: flat.gathered(indices: [1, 2, 2, 4, 5, 5])).backward()
        assertTensorClose(mine.grad!, reference.grad!, "gradient with ties")
        XCTAssertEqual(mine.grad!.scalars[0], -1.0 / 6, accuracy: 1e-6)      // two ties: 2 · (−½) / 6
    }

    func testHugeMargins() {
        XCTAssertEqual(rankingLoss(Tensor(shape: [2, 2], scalars: [-100, 100,   100, -100])).scalar, 100, accuracy: 1e-3)
    }

    func testOrderMatters() {
        let good = rankingLoss(Tensor(shape: [1, 3], scalars: [3, 2, 1])).scalar
        let bad = rankingLoss(Tensor(shape: [1, 3], scalars: [1, 2, 3])).scalar
        XCTAssertLessThan(good, bad)
    }
}
