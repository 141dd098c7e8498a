import XCTest
import LecternCore

/// Hidden tests for `crossEntropy`: the library's `LecternCore.crossEntropy` is the answer key.
final class CrossEntropyHiddenTests: XCTestCase {
    private func randomLogits(_ count: Int, std: Float, rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextNormal(std: std) }
    }

    private func assertClose(_ got: Float, _ want: Float, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got, want, accuracy: 1e-5 + 1e-5 * abs(want), what, file: file, line: line)
    }

    func testMatchesTheLibraryOnRandomLogits() {
        var rng = SeededGenerator(seed: 3)
        for round in 0..<30 {
            let x = randomLogits(2 + round, std: 3, rng: &rng)
            let t = Int.random(in: 0..<x.count, using: &rng)
            assertClose(crossEntropy(logits: x, target: t), LecternCore.crossEntropy(logits: x, target: t),
                        "random logits \(round), target \(t)")
        }
    }

    func testHugeAndTinyLogits() {
        for t in 0..<3 {
            assertClose(crossEntropy(logits: [1000, 1001, 1002], target: t), LecternCore.crossEntropy(logits: [1000, 1001, 1002], target: t),
                        "[1000, 1001, 1002], target \(t)")
            assertClose(crossEntropy(logits: [-1000, -1001, -1002], target: t), LecternCore.crossEntropy(logits: [-1000, -1001, -1002], target: t),
                        "[-1000, -1001, -1002], target \(t)")
        }
    }

    func testConfidentAndWrongIsLargeButFinite() {
        // p(target) = e^-200 underflows to 0 in Float, so -log(softmax(x)[0]) would be inf.
        assertClose(crossEntropy(logits: [0, 200], target: 0), 200, "logits [0, 200], target 0: the loss is 200")
        assertClose(crossEntropy(logits: [0, 200], target: 1), 0, "logits [0, 200], target 1: a sure and right prediction")
    }

    func testUniformPredictionCostsLogV() {
        for v in [2, 10, 1000, 50_257] {
            assertClose(crossEntropy(logits: [Float](repeating: 1.5, count: v), target: v - 1), log(Float(v)), "uniform over \(v) classes")
        }
    }

    func testSingleClassIsFree() {
        XCTAssertEqual(crossEntropy(logits: [4.2], target: 0), 0, accuracy: 1e-6, "one class: probability 1, loss 0")
    }

    func testImpossibleTargetIsInfinite() {
        XCTAssertEqual(crossEntropy(logits: [0, -.infinity, 1], target: 1), .infinity, "a -inf target logit has probability 0: the loss is +inf")
        assertClose(crossEntropy(logits: [0, -.infinity, 1], target: 2), LecternCore.crossEntropy(logits: [0, -.infinity, 1], target: 2),
                    "-inf entries elsewhere do not matter")
    }

    func testBatchIsTheMean() {
        var rng = SeededGenerator(seed: 4)
        for size in [1, 2, 5, 16] {
            let rows = (0..<size).map { _ in randomLogits(7, std: 2, rng: &rng) }
            let targets = (0..<size).map { _ in Int.random(in: 0..<7, using: &rng) }
            assertClose(crossEntropy(logits: rows, targets: targets), LecternCore.crossEntropy(logits: rows, targets: targets),
                        "a batch of \(size) rows")
        }
        assertClose(crossEntropy(logits: [[1000, 1001, 1002], [1, 2, 3]], targets: [0, 2]),
                    LecternCore.crossEntropy(logits: [[1000, 1001, 1002], [1, 2, 3]], targets: [0, 2]),
                    "a batch with a row of huge logits")
    }
}
