import XCTest
import LecternModels

/// Hidden tests for `colbertScore`: on seeded random unit vectors with padded documents, equal to
/// the library's `LecternModels.maxSim` on the real rows only; not symmetric in query and
/// document; and a padding row that dominates every product never counts.
final class MaxSimHiddenTests: XCTestCase {
    private func unitRows(_ x: Tensor) -> Tensor { x / x.squared().sum(axis: 1, keepDims: true).sqrt() }

    func testMatchesTheLibraryOnTheRealRows() {
        var rng = SeededGenerator(seed: 551)
        for (tq, td, real) in [(3, 7, 5), (1, 4, 4), (6, 10, 1), (4, 8, 6)] {
            let q = unitRows(Tensor.randn([tq, 16], using: &rng))
            let realRows = unitRows(Tensor.randn([real, 16], using: &rng))
            let padding = Tensor.randn([td - real, 16], std: 10, using: &rng)                 // large: would win if counted
            let document = real == td ? realRows : Tensor.concat([realRows, padding], axis: 0)
            let mask = Array(repeating: 1, count: real) + Array(repeating: 0, count: td - real)
            XCTAssertEqual(colbertScore(query: q, document: document, documentMask: mask),
                           LecternModels.maxSim(query: q, document: realRows), accuracy: 1e-4, "Tq \(tq), Td \(td), \(real) real")
        }
    }

    func testPaddingInTheMiddle() {
        // Rows 0 and 2 are real: q·d = (1, 9, 2) for q₁ and (−1, 9, −3) for q₂ → 2 + (−1) = 1.
        let q = Tensor(shape: [2, 1], scalars: [1, -1])
        let d = Tensor(shape: [3, 1], scalars: [1, 9, 2])
        XCTAssertEqual(colbertScore(query: q, document: d, documentMask: [1, 0, 1]), 2 + (-1), accuracy: 1e-6)
    }

    func testItIsNotSymmetric() {
        let a = Tensor(shape: [2, 2], scalars: [1, 0,   0, 1])
        let b = Tensor(shape: [3, 2], scalars: [0.9, 0.1,   0.2, 0.8,   0.5, 0.5])
        XCTAssertEqual(colbertScore(query: a, document: b, documentMask: [1, 1, 1]), 1.7, accuracy: 1e-6)
        XCTAssertEqual(colbertScore(query: b, document: a, documentMask: [1, 1]), 2.2, accuracy: 1e-6,
                       "each of the three query tokens takes its own maximum: 0.9 + 0.8 + 0.5")
    }
}
