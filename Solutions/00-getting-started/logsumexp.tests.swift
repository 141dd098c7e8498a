import XCTest
import LecternCore

/// Hidden tests for `logSumExp(_ x: Tensor)`: the library's array `LecternCore.logSumExp`,
/// applied row by row, is the answer key; its gradient must be `Tensor.softmax(axis:)`.
final class LogSumExpHiddenTests: XCTestCase {
    /// The library's answer for every row of `x` (rows along the last axis).
    private func libraryAnswer(_ x: Tensor) -> [Float] {
        let c = x.shape.last!
        let values = x.scalars
        return (0..<(c == 0 ? x.shape.dropLast().reduce(1, *) : x.count / c)).map { row in
            LecternCore.logSumExp(Array(values[(row * c)..<((row + 1) * c)]))
        }
    }

    private func assertMatchesLibrary(_ x: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = logSumExp(x)
        XCTAssertEqual(got.shape, Array(x.shape.dropLast()), "\(what): logSumExp drops the last axis", file: file, line: line)
        for (row, (g, w)) in zip(got.scalars, libraryAnswer(x)).enumerated() {
            if w.isInfinite {
                XCTAssertEqual(g, w, "\(what): row \(row)", file: file, line: line)
            } else if !(abs(g - w) <= 1e-5 + 2e-6 * abs(w)) {
                return XCTFail("\(what): row \(row) is \(g), expected \(w)", file: file, line: line)
            }
        }
    }

    func testMatchesTheLibraryOnRandomTensors() {
        var rng = SeededGenerator(seed: 1)
        for shape in [[1], [7], [3, 5], [10, 40], [2, 3, 4], [2, 1, 3, 8]] {
            assertMatchesLibrary(Tensor.randn(shape, std: 5, using: &rng), "random tensor of shape \(shape)")
        }
    }

    func testHugeValuesDoNotOverflow() {
        assertMatchesLibrary(Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, 1, 2, 3]), "[[1000, 1001, 1002], [1, 2, 3]]")
        assertMatchesLibrary(Tensor(shape: [4], scalars: [89, 89, 89, 89]), "four copies of 89 (exp(89) is inf in Float)")
        var rng = SeededGenerator(seed: 5)
        assertMatchesLibrary(Tensor.randn([2, 100], using: &rng) + 30_000, "values around 30000")
    }

    func testVeryNegativeValuesDoNotUnderflow() {
        assertMatchesLibrary(Tensor(shape: [3], scalars: [-1000, -1001, -1002]), "[-1000, -1001, -1002] (naively log(0) = -inf)")
    }

    func testEachRowHasItsOwnShift() {
        assertMatchesLibrary(Tensor(shape: [2, 3], scalars: [-3000, -3001, -3002, 3000, 3001, 3002]),
                             "rows far apart: each row needs its own maximum")
    }

    func testBounds() {
        // A smooth maximum: max(x) <= logSumExp(x) <= max(x) + log(n), row by row.
        var rng = SeededGenerator(seed: 30)
        let x = Tensor.randn([12, 10], std: 20, using: &rng)
        let value = logSumExp(x).scalars, m = x.max(axis: -1).scalars
        for row in 0..<12 {
            XCTAssertGreaterThanOrEqual(value[row], m[row] - 1e-4, "row \(row): logSumExp(x) must be at least max(x)")
            XCTAssertLessThanOrEqual(value[row], m[row] + log(10) + 1e-4, "row \(row): logSumExp(x) must be at most max(x) + log(n)")
        }
    }

    func testSingleElementRowsAreThemselves() {
        let lse = logSumExp(Tensor(shape: [2, 1], scalars: [42.5, -7000]))
        XCTAssertEqual(lse.shape, [2])
        XCTAssertEqual(lse.scalars[0], 42.5, accuracy: 1e-5)
        XCTAssertEqual(lse.scalars[1], -7000, accuracy: 1e-3)
    }

    func testEmptyRowsAreNegativeInfinity() {
        XCTAssertEqual(logSumExp(Tensor(shape: [3, 0], scalars: [])).scalars, [-.infinity, -.infinity, -.infinity],
                       "the empty sum is 0, and log 0 = -inf")
        let scalar = logSumExp(Tensor(shape: [0], scalars: []))
        XCTAssertEqual(scalar.shape, [], "an empty vector gives a scalar")
        XCTAssertEqual(scalar.scalars, [-.infinity], "an empty vector: log 0 = -inf")
    }

    func testNegativeInfinity() {
        let lse = logSumExp(Tensor(shape: [3, 3], scalars: [-.infinity, -.infinity, -.infinity,
                                                           -.infinity, 2, -.infinity,
                                                           0, 1, 2]))
        XCTAssertEqual(lse.scalars[0], -.infinity, "every term is exp(-inf) = 0: the answer is log 0 = -inf, not NaN")
        XCTAssertEqual(lse.scalars[1], 2, accuracy: 1e-6, "-inf entries add exp(-inf) = 0")
        XCTAssertEqual(lse.scalars[2], LecternCore.logSumExp([0, 1, 2]), accuracy: 1e-5, "a masked row must not disturb the others")
    }

    func testPositiveInfinity() {
        let lse = logSumExp(Tensor(shape: [3, 3], scalars: [.infinity, 1, 0,
                                                           3, .infinity, -.infinity,
                                                           0, 1, 2]))
        XCTAssertEqual(lse.scalars[0], .infinity, "a +inf entry makes the sum +inf")
        XCTAssertEqual(lse.scalars[1], .infinity, "a +inf entry makes the sum +inf, even next to -inf")
        XCTAssertEqual(lse.scalars[2], LecternCore.logSumExp([0, 1, 2]), accuracy: 1e-5, "an infinite row must not disturb the others")
    }

    func testGradientIsSoftmax() {
        // ∂ logSumExp(x) / ∂xᵢ = softmax(x)ᵢ, row by row.
        var rng = SeededGenerator(seed: 8)
        for shape in [[6], [4, 5], [2, 3, 7]] {
            let x = Tensor(shape: shape, scalars: Tensor.randn(shape, std: 3, using: &rng).scalars, requiresGrad: true)
            let lse = logSumExp(x)
            guard lse.requiresGrad else {
                return XCTFail("logSumExp's result does not record gradients: build it from tensor operations, not from .scalars")
            }
            lse.sum().backward()
            guard let grad = x.grad else { return XCTFail("backward() did not reach x of shape \(shape)") }
            let want = x.detached().softmax(axis: -1).scalars
            for (i, (g, w)) in zip(grad.scalars, want).enumerated() where !(abs(g - w) <= 1e-6 + 1e-5 * w) {
                return XCTFail("shape \(shape): the gradient of logSumExp should be softmax; element \(i) is \(g), softmax gives \(w)")
            }
        }
    }

    func testGradientWithHugeAndMaskedValues() {
        let x = Tensor(shape: [2, 3], scalars: [1000, -.infinity, 1001, -500, -501, -.infinity], requiresGrad: true)
        let lse = logSumExp(x)
        guard lse.requiresGrad else {
            return XCTFail("logSumExp's result does not record gradients: build it from tensor operations, not from .scalars")
        }
        lse.sum().backward()
        guard let grad = x.grad else { return XCTFail("backward() did not reach x") }
        let want = x.detached().softmax(axis: -1).scalars
        for (i, (g, w)) in zip(grad.scalars, want).enumerated() where !(abs(g - w) <= 1e-6 + 1e-5 * w) {
            return XCTFail("huge and -inf values: gradient element \(i) is \(g), softmax gives \(w)")
        }
    }
}
