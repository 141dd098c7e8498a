// Tests of softmax, logSoftmax, logSumExp and crossEntropy against PyTorch.
//
// The expected values are in Fixtures/functional.json, written by
// Scripts/fixtures/lesson0_functional.py (re-run it to regenerate them; see its header).
// A second group of tests checks properties that must hold for any input (sums to one, shift
// invariance, consistency between the functions) on seeded random vectors.
import Foundation
import LecternCore
import XCTest

/// The JSON written by Scripts/fixtures/lesson0_functional.py.
private struct FunctionalFixtures: Decodable {
    struct VectorCase: Decodable { let name: String; let input: [Float]; let expected: [Float] }
    struct ScalarCase: Decodable { let name: String; let input: [Float]; let expected: Float }
    struct CrossEntropyCase: Decodable { let name: String; let logits: [Float]; let target: Int; let expected: Float }
    struct BatchCase: Decodable { let name: String; let logits: [[Float]]; let targets: [Int]; let expected: Float }

    let torchVersion: String
    let softmax: [VectorCase]
    let logSoftmax: [VectorCase]
    let logsumexp: [ScalarCase]
    let crossEntropy: [CrossEntropyCase]
    let crossEntropyBatch: [BatchCase]

    static func load() throws -> FunctionalFixtures {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "functional", withExtension: "json", subdirectory: "Fixtures"),
                                "Fixtures/functional.json is missing from the test bundle")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // JSON has no inf or NaN: the generator writes them as strings.
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(FunctionalFixtures.self, from: Data(contentsOf: url))
    }
}

/// Asserts that `actual` is within `absolute + relative·|expected|` of `expected`; infinities
/// must match exactly and NaN must meet NaN.
func assertClose(_ actual: Float, _ expected: Float, absolute: Float = 1e-6, relative: Float = 4e-6,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    if expected.isNaN || !expected.isFinite {
        let same = expected.isNaN ? actual.isNaN : actual == expected
        XCTAssertTrue(same, "\(message()): got \(actual), expected \(expected)", file: file, line: line)
        return
    }
    XCTAssertLessThanOrEqual(abs(actual - expected), absolute + relative * abs(expected),
                             "\(message()): got \(actual), expected \(expected)", file: file, line: line)
}

/// Element-wise `assertClose`, after checking the lengths.
func assertClose(_ actual: [Float], _ expected: [Float], absolute: Float = 1e-6, relative: Float = 4e-6,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message()): lengths differ", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        assertClose(a, e, absolute: absolute, relative: relative, "\(message())[\(index)]", file: file, line: line)
    }
}

final class FunctionalFixtureTests: XCTestCase {
    func testFixturesLoad() throws {
        let fixtures = try FunctionalFixtures.load()
        XCTAssertFalse(fixtures.torchVersion.isEmpty)
        XCTAssertGreaterThanOrEqual(fixtures.softmax.count, 10)
        XCTAssertGreaterThanOrEqual(fixtures.crossEntropy.count, 5)
    }

    func testSoftmaxMatchesPyTorch() throws {
        for c in try FunctionalFixtures.load().softmax {
            assertClose(softmax(c.input), c.expected, "softmax \(c.name)")
        }
    }

    func testLogSoftmaxMatchesPyTorch() throws {
        for c in try FunctionalFixtures.load().logSoftmax {
            assertClose(logSoftmax(c.input), c.expected, "logSoftmax \(c.name)")
        }
    }

    func testLogSumExpMatchesPyTorch() throws {
        for c in try FunctionalFixtures.load().logsumexp {
            assertClose(logSumExp(c.input), c.expected, "logSumExp \(c.name)")
        }
    }

    func testCrossEntropyMatchesPyTorch() throws {
        for c in try FunctionalFixtures.load().crossEntropy {
            assertClose(crossEntropy(logits: c.logits, target: c.target), c.expected, "crossEntropy \(c.name)")
        }
    }

    func testBatchCrossEntropyMatchesPyTorch() throws {
        for c in try FunctionalFixtures.load().crossEntropyBatch {
            assertClose(crossEntropy(logits: c.logits, targets: c.targets), c.expected, "batch crossEntropy \(c.name)")
        }
    }
}

final class FunctionalPropertyTests: XCTestCase {
    private func randomLogits(_ count: Int, scale: Float, rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in rng.nextNormal(std: scale) }
    }

    func testSoftmaxOfALargeVocabularySumsToOne() {
        var rng = SeededGenerator(seed: 10)
        let probabilities = softmax(randomLogits(50_257, scale: 4, rng: &rng))
        XCTAssertEqual(probabilities.reduce(0.0) { $0 + Double($1) }, 1, accuracy: 1e-5)
        XCTAssertTrue(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    func testShiftInvariance() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<20 {
            let x = randomLogits(12, scale: 3, rng: &rng)
            let c = rng.nextNormal(std: 500)
            let shifted = x.map { $0 + c }
            // Adding c rounds each logit to the nearest Float near |c|: allow that much.
            let slack = 2 * abs(c).ulp
            assertClose(softmax(shifted), softmax(x), absolute: 1e-5 + slack, relative: 1e-4, "softmax shift \(c)")
            assertClose(logSumExp(shifted) - c, logSumExp(x), absolute: 1e-4 + 2 * slack, "logSumExp shift \(c)")
        }
    }

    func testTheFunctionsAgreeWithEachOther() {
        var rng = SeededGenerator(seed: 12)
        for _ in 0..<20 {
            let x = randomLogits(9, scale: 5, rng: &rng)
            let lse = logSumExp(x)
            let logP = logSoftmax(x)
            assertClose(logP, x.map { $0 - lse }, absolute: 1e-5, "logSoftmax = x - logSumExp(x)")
            assertClose(softmax(x), logP.map { exp($0) }, absolute: 1e-6, "softmax = exp(logSoftmax)")
            let target = Int.random(in: 0..<x.count, using: &rng)
            assertClose(crossEntropy(logits: x, target: target), -logP[target], absolute: 1e-5, "crossEntropy = -logSoftmax[t]")
        }
    }

    func testBatchCrossEntropyIsTheMeanOfTheRows() {
        let rows: [[Float]] = [[2, 1, 0.1], [0, 0, 0, 0], [5]]
        let targets = [0, 3, 0]
        let mean = (0..<3).map { crossEntropy(logits: rows[$0], target: targets[$0]) }.reduce(0, +) / 3
        assertClose(crossEntropy(logits: rows, targets: targets), mean, "batch mean")
        XCTAssertTrue(crossEntropy(logits: [], targets: []).isNaN, "an empty batch is 0/0, as in PyTorch")
    }

    func testUniformPredictionCostsLogV() {
        for v in [2, 10, 1000, 50_257] {
            assertClose(crossEntropy(logits: [Float](repeating: 0.3, count: v), target: v / 2), log(Float(v)), "V = \(v)")
        }
    }

    /// The documented departure from PyTorch: log1p keeps tiny log-sums that PyTorch rounds to 0.
    func testLogSumExpKeepsTheContributionOfTinyTerms() {
        assertClose(logSumExp([0, -30]), exp(-30), absolute: 0, relative: 1e-6, "log(1 + e^-30)")
        assertClose(crossEntropy(logits: [0, -30], target: 0), exp(-30), absolute: 0, relative: 1e-6, "confident loss")
        XCTAssertEqual(logSoftmax([0, -200]), [0, -200])
    }

    func testEdgeCases() {
        XCTAssertEqual(softmax([]), [])
        XCTAssertEqual(logSoftmax([]), [])
        XCTAssertEqual(logSumExp([]), -.infinity)
        XCTAssertEqual(logSumExp([.infinity, .infinity]), .infinity)
        XCTAssertTrue(logSumExp([1, .nan]).isNaN)
        XCTAssertTrue(softmax([.nan, 1]).allSatisfy(\.isNaN))
        XCTAssertTrue(softmax([1, .nan]).allSatisfy(\.isNaN))
        XCTAssertTrue(logSoftmax([.nan, 1]).allSatisfy(\.isNaN))
        XCTAssertEqual(softmax([-.infinity, 0]), [0, 1])
        XCTAssertEqual(crossEntropy(logits: [7], target: 0), 0)
    }
}
