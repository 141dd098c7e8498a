import XCTest
import LecternNN

/// Hidden tests for `sequenceLoss(logits:targets:padID:)`: against the library's
/// `LecternNN.crossEntropy` with `ignoreIndex`, on seeded random logits, values and gradients.
final class SequenceLossHiddenTests: XCTestCase {
    private func libraryLoss(_ logits: Tensor, _ targets: [[Int]], _ padID: Int) -> Tensor {
        LecternNN.crossEntropy(logits: logits.reshaped([-1, logits.shape[2]]), targets: targets.flatMap { $0 }, ignoreIndex: padID)
    }

    /// Random targets: row b has a random number of real ids (at least 1), then padding.
    private func randomTargets(_ b: Int, _ t: Int, _ v: Int, padID: Int, rng: inout SeededGenerator) -> [[Int]] {
        (0..<b).map { _ in
            let length = 1 + rng.nextInt(below: t)
            return (0..<t).map { time in
                guard time < length else { return padID }
                var id = rng.nextInt(below: v)
                while id == padID { id = rng.nextInt(below: v) }
                return id
            }
        }
    }

    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 41)
        for (b, t, v, pad) in [(1, 1, 3, 0), (2, 4, 5, 0), (3, 6, 7, 6), (8, 10, 13, 0), (4, 3, 11, 2)] {
            let logits = Tensor.randn([b, t, v], std: 2, using: &rng)
            let targets = randomTargets(b, t, v, padID: pad, rng: &rng)
            let got = sequenceLoss(logits: logits, targets: targets, padID: pad)
            XCTAssertEqual(got.shape, [], "the loss is a scalar tensor")
            let want = libraryLoss(logits, targets, pad).scalar
            XCTAssertEqual(got.scalar, want, accuracy: 1e-5 + 1e-5 * abs(want), "B = \(b), T = \(t), V = \(v), padID = \(pad), targets \(targets)")
        }
    }

    func testMeanOverRealTokensNotOverAllPositions() {
        // One real token with loss log 4, three padding positions.
        let loss = sequenceLoss(logits: Tensor.zeros([1, 4, 4]), targets: [[3, 0, 0, 0]], padID: 0)
        XCTAssertEqual(loss.scalar, log(4), accuracy: 1e-6, "divide by the number of real tokens (1), not by B·T (4)")
    }

    func testPaddingLogitsDoNotMatter() {
        var rng = SeededGenerator(seed: 42)
        let base = Tensor.randn([2, 3, 4], using: &rng)
        var changed = base.scalars
        for k in 8..<12 { changed[k] = 1000 }   // row 0, position 2: padding
        let targets = [[1, 2, 0], [3, 3, 1]]
        XCTAssertEqual(sequenceLoss(logits: Tensor(shape: [2, 3, 4], scalars: changed), targets: targets, padID: 0).scalar,
                       sequenceLoss(logits: base, targets: targets, padID: 0).scalar, accuracy: 1e-5)
    }

    func testGradientMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 43)
        let data = Tensor.randn([3, 5, 6], std: 2, using: &rng)
        let targets = randomTargets(3, 5, 6, padID: 0, rng: &rng)
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let loss = sequenceLoss(logits: x, targets: targets, padID: 0)
        guard loss.requiresGrad else { return XCTFail("the loss does not record gradients: use tensor operations") }
        loss.backward()
        let y = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        libraryLoss(y, targets, 0).backward()
        for (i, (g, w)) in zip(x.grad!.scalars, y.grad!.scalars).enumerated() where abs(g - w) > 1e-5 {
            return XCTFail("gradient element \(i) is \(g), expected \(w) (padding positions get 0)")
        }
    }
}
