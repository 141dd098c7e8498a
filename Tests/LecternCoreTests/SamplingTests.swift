// Bounded integers, shuffles and categorical sampling: ranges, uniformity (chi-square), zero
// weights, and the same results from the same seed.
import XCTest
@testable import LecternCore

final class SamplingTests: XCTestCase {
    /// Pearson's chi-square statistic of `counts` against `expected` counts.
    func chiSquare(_ counts: [Int], _ expected: [Double]) -> Double {
        zip(counts, expected).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) / $1.1 }
    }

    func testBoundedIntegersAreInRangeAndUniform() {
        var rng = SeededGenerator(seed: 11)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let k = rng.nextInt(below: 7)
            XCTAssertTrue((0..<7).contains(k))
            counts[k] += 1
        }
        // 6 degrees of freedom: P(χ² > 22.46) = 0.001.
        XCTAssertLessThan(chiSquare(counts, Array(repeating: 10_000, count: 7)), 22.46, "\(counts)")
        XCTAssertEqual(rng.nextInt(below: 1), 0)
    }

    func testAHugeBoundStillWorks() {
        var rng = SeededGenerator(seed: 12)
        let bound = Int.max / 3 * 2   // rejection is likely here: exercises the retry loop
        for _ in 0..<1000 { XCTAssertTrue((0..<bound).contains(rng.nextInt(below: bound))) }
    }

    func testShuffleIsAPermutationAndEveryOrderIsEquallyLikely() {
        var rng = SeededGenerator(seed: 13)
        var seen: [[Int]: Int] = [:]
        for _ in 0..<24_000 {
            let order = rng.shuffled([0, 1, 2, 3])
            XCTAssertEqual(order.sorted(), [0, 1, 2, 3])
            seen[order, default: 0] += 1
        }
        XCTAssertEqual(seen.count, 24, "all 4! orders occur")
        // 23 degrees of freedom: P(χ² > 49.73) = 0.001.
        XCTAssertLessThan(chiSquare(Array(seen.values), Array(repeating: 1000, count: 24)), 49.73)
    }

    func testTheSameSeedGivesTheSameShuffleAndSamples() {
        var a = SeededGenerator(seed: 14), b = SeededGenerator(seed: 14)
        XCTAssertEqual(a.shuffled(Array(0..<50)), b.shuffled(Array(0..<50)))
        let weights: [Float] = [0.2, 0.5, 0.3]
        XCTAssertEqual((0..<100).map { _ in a.sampleCategorical(weights) }, (0..<100).map { _ in b.sampleCategorical(weights) })
    }

    func testCategoricalFrequenciesFollowTheWeights() {
        var rng = SeededGenerator(seed: 15)
        let weights: [Float] = [1, 0, 3, 6]   // unnormalised on purpose
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<50_000 { counts[rng.sampleCategorical(weights)] += 1 }
        XCTAssertEqual(counts[1], 0, "a zero weight is never drawn")
        // 2 degrees of freedom over the non-zero classes: P(χ² > 13.82) = 0.001.
        XCTAssertLessThan(chiSquare([counts[0], counts[2], counts[3]], [5_000, 15_000, 30_000]), 13.82, "\(counts)")
    }

    func testASingleNonZeroWeightIsAlwaysDrawn() {
        var rng = SeededGenerator(seed: 16)
        for _ in 0..<100 { XCTAssertEqual(rng.sampleCategorical([0, 0, 2, 0]), 2) }
    }
}
