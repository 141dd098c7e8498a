import XCTest
import LecternCore

/// Hidden tests for `logSumExp`: the library's `LecternCore.logSumExp` is the answer key.
final class LogSumExpHiddenTests: XCTestCase {
    private func randomVector(_ count: Int, std: Float, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.nextNormal(std: std) }
    }

    private func assertMatchesLibrary(_ x: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = logSumExp(x), want = LecternCore.logSumExp(x)
        XCTAssertEqual(got, want, accuracy: 1e-5 + 2e-6 * abs(want), "\(what)", file: file, line: line)
    }

    func testMatchesTheLibraryOnRandomVectors() {
        for seed in UInt64(1)...20 {
            assertMatchesLibrary(randomVector(Int(seed) * 3, std: 5, seed: seed), "random vector (seed \(seed))")
        }
    }

    func testHugeValuesDoNotOverflow() {
        assertMatchesLibrary([1000, 1001, 1002], "[1000, 1001, 1002]")
        assertMatchesLibrary([89, 89, 89, 89], "four copies of 89 (exp(89) is inf in Float)")
        assertMatchesLibrary(randomVector(100, std: 1, seed: 5).map { $0 + 30_000 }, "values around 30000")
    }

    func testVeryNegativeValuesDoNotUnderflow() {
        assertMatchesLibrary([-1000, -1001, -1002], "[-1000, -1001, -1002] (naively log(0) = -inf)")
    }

    func testBounds() {
        // A smooth maximum: max(x) <= logSumExp(x) <= max(x) + log(n).
        for seed in UInt64(30)...40 {
            let x = randomVector(10, std: 20, seed: seed)
            let m = x.max()!, value = logSumExp(x)
            XCTAssertGreaterThanOrEqual(value, m - 1e-4, "logSumExp(x) must be at least max(x)")
            XCTAssertLessThanOrEqual(value, m + log(10) + 1e-4, "logSumExp(x) must be at most max(x) + log(n)")
        }
    }

    func testSingleElementIsItself() {
        XCTAssertEqual(logSumExp([42.5]), 42.5, accuracy: 1e-5)
        XCTAssertEqual(logSumExp([-7000]), -7000, accuracy: 1e-3)
    }

    func testEmptyIsNegativeInfinity() {
        XCTAssertEqual(logSumExp([]), -.infinity, "the empty sum is 0, and log 0 = -inf")
    }

    func testNegativeInfinity() {
        XCTAssertEqual(logSumExp([-.infinity, -.infinity]), -.infinity, "every term is exp(-inf) = 0: the answer is log 0 = -inf, not NaN")
        XCTAssertEqual(logSumExp([-.infinity, 2, -.infinity]), 2, accuracy: 1e-6, "-inf entries add exp(-inf) = 0")
    }

    func testPositiveInfinity() {
        XCTAssertEqual(logSumExp([.infinity, 1]), .infinity, "a +inf entry makes the sum +inf")
        XCTAssertEqual(logSumExp([3, .infinity, -.infinity]), .infinity, "a +inf entry makes the sum +inf")
    }
}
