// Forward values of Tensor operations on small hand-checked inputs: creation, arithmetic and
// broadcasting, matmul, reductions, shape operations, softmax, GELU, gather, masking, dropout,
// and printing.
import Foundation
import LecternCore
import XCTest

final class TensorForwardTests: XCTestCase {
    func testCreationAndInspection() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.rank, 2)
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(Tensor(2.5).shape, [])
        XCTAssertEqual(Tensor(2.5).scalar, 2.5)
        XCTAssertEqual(Tensor.zeros([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor.ones([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor.full([2], -3).scalars, [-3, -3])
        XCTAssertEqual(Tensor.arange(4).scalars, [0, 1, 2, 3])
        XCTAssertEqual(Tensor.zeros([0, 3]).count, 0)
        XCTAssertEqual(t.withUnsafeScalars { $0.reduce(0, +) }, 21)
    }

    func testRandomInitializersAreSeededAndHaveTheRightStatistics() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1)
        XCTAssertEqual(Tensor.randn([10], using: &a).scalars, Tensor.randn([10], using: &b).scalars)
        var rng = SeededGenerator(seed: 2)
        let n = Tensor.randn([20_000], std: 0.5, using: &rng)
        XCTAssertEqual(n.mean().scalar, 0, accuracy: 0.02)
        XCTAssertEqual(n.variance(axis: 0).scalar.squareRoot(), 0.5, accuracy: 0.02)
        let u = Tensor.uniform([20_000], low: -2, high: 1, using: &rng)
        XCTAssertGreaterThanOrEqual(u.scalars.min()!, -2)
        XCTAssertLessThan(u.scalars.max()!, 1)
        XCTAssertEqual(u.mean().scalar, -0.5, accuracy: 0.05)
    }

    func testArithmeticAndBroadcasting() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual((x + Tensor(shape: [3], scalars: [10, 20, 30])).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((x * Tensor(shape: [2, 1], scalars: [10, 100])).scalars, [10, 20, 30, 400, 500, 600])
        XCTAssertEqual((x - 1).scalars, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual((12 / x).scalars, [12, 6, 4, 3, 2.4, 2])
        XCTAssertEqual((-x).scalars, [-1, -2, -3, -4, -5, -6])
        let outer = Tensor(shape: [3, 1], scalars: [1, 2, 3]) * Tensor(shape: [1, 2], scalars: [10, 20])
        XCTAssertEqual(outer.shape, [3, 2])
        XCTAssertEqual(outer.scalars, [10, 20, 20, 40, 30, 60])
        let bigger = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6]) + Tensor(shape: [4, 1], scalars: [0, 10, 20, 30])
        XCTAssertEqual(bigger.shape, [2, 4, 3])
        XCTAssertEqual(Array(bigger.scalars[9..<15]), [31, 32, 33, 4, 5, 6])
        var total = Tensor(0)
        total += x.sum()
        XCTAssertEqual(total.scalar, 21)
    }

    func testLargeElementwiseOperationsMatchAcrossTheParallelThreshold() {
        // Large enough to be split across cores (cheap ops above 2·2²¹ elements, exp and
        // softmax above 2·2¹⁵); every element must still be right, including at chunk edges.
        let n = (1 << 22) + 3
        let x = Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 97) })
        let y = (x * 2 + 1).scalars
        XCTAssertTrue((0..<n).allSatisfy { y[$0] == Float($0 % 97) * 2 + 1 })
        let small = Tensor(shape: [100_003], scalars: (0..<100_003).map { Float($0 % 13) / 4 })
        let e = small.exp().scalars
        // The same kernel runs on every chunk: each element equals the one computed alone.
        let alone = (0..<13).map { Tensor(shape: [1], scalars: [Float($0) / 4]).exp().scalar }
        XCTAssertTrue((0..<100_003).allSatisfy { e[$0] == alone[$0 % 13] })
        let big = Tensor(shape: [1000, 300], scalars: (0..<300_000).map { Float($0 % 7) })
        let s = big.softmax().sum(axis: -1).scalars
        XCTAssertTrue(s.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
    }

    func testMatmul() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        XCTAssertEqual(a.matmul(b).scalars, [4, 5, 10, 11])
        XCTAssertEqual(a.matmul(Tensor(shape: [3], scalars: [1, 1, 1])).scalars, [6, 15])
        XCTAssertEqual(Tensor(shape: [2], scalars: [1, 1]).matmul(a).scalars, [5, 7, 9])
        // Batched with a broadcast batch: each of the 2 stacked matrices times the same b.
        let stacked = Tensor.stack([a, a * 2], axis: 0)   // (2, 2, 3)
        XCTAssertEqual(stacked.matmul(b).scalars, [4, 5, 10, 11, 8, 10, 20, 22])
        XCTAssertEqual(stacked.matmul(Tensor.stack([b, b], axis: 0)).scalars, [4, 5, 10, 11, 8, 10, 20, 22])
        XCTAssertEqual(Tensor.zeros([4, 1, 2, 3]).matmul(Tensor.zeros([5, 3, 7])).shape, [4, 5, 2, 7])
        XCTAssertEqual(a.T.scalars, [1, 4, 2, 5, 3, 6])
    }

    func testReductions() {
        let x = Tensor(shape: [2, 3], scalars: [1, 9, 3, 7, 5, 6])
        XCTAssertEqual(x.sum().scalar, 31)
        XCTAssertEqual(x.sum(axis: 0).scalars, [8, 14, 9])
        XCTAssertEqual(x.sum(axis: 1).scalars, [13, 18])
        XCTAssertEqual(x.sum(axis: -1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(x.mean(axis: 0).scalars, [4, 7, 4.5])
        XCTAssertEqual(x.max(axis: 1).scalars, [9, 7])
        XCTAssertEqual(x.max(axis: 0).scalars, [7, 9, 6])
        XCTAssertEqual(x.max().scalar, 9)
        XCTAssertEqual(x.argmax(axis: 1), [1, 0])
        XCTAssertEqual(x.argmax(axis: 0), [1, 0, 1])
        XCTAssertEqual(Tensor(shape: [3], scalars: [2, 5, 5]).argmax(axis: 0), [1], "first index on ties")
        XCTAssertEqual(Tensor(shape: [4], scalars: [1, 2, 3, 4]).variance(axis: 0, unbiased: false).scalar, 1.25)
        XCTAssertEqual(Tensor(shape: [4], scalars: [1, 2, 3, 4]).variance(axis: 0).scalar, 5.0 / 3, accuracy: 1e-6)
    }

    func testShapeOperations() {
        let x = Tensor.arange(24).reshaped([2, 3, 4])
        XCTAssertEqual(x.reshaped([4, -1]).shape, [4, 6])
        XCTAssertEqual(x.permuted([2, 0, 1]).shape, [4, 2, 3])
        XCTAssertEqual(x.permuted([2, 0, 1]).scalars.prefix(6), [0, 4, 8, 12, 16, 20])
        XCTAssertEqual(x.transposed(0, 1).index(axis: 0, 1).scalars, [4, 5, 6, 7, 16, 17, 18, 19])
        XCTAssertEqual(x.slice(axis: 2, 1..<3).scalars.prefix(4), [1, 2, 5, 6])
        XCTAssertEqual(x.index(axis: -1, -1).scalars, [3, 7, 11, 15, 19, 23])
        let parts = x.split(sizes: [1, 2], axis: 1)
        XCTAssertEqual(parts.map(\.shape), [[2, 1, 4], [2, 2, 4]])
        XCTAssertEqual(Tensor.concat(parts, axis: 1).scalars, x.scalars)
        XCTAssertEqual(Tensor.stack([x, x], axis: -1).shape, [2, 3, 4, 2])
        XCTAssertEqual(Tensor.stack([Tensor.arange(2), Tensor.arange(2) + 5], axis: 1).scalars, [0, 5, 1, 6])
        XCTAssertEqual(x.unsqueezed(axis: -1).shape, [2, 3, 4, 1])
        XCTAssertEqual(x.unsqueezed(axis: 0).squeezed(axis: 0).shape, [2, 3, 4])
        XCTAssertEqual(Tensor(shape: [2], scalars: [1, 2]).broadcasted(to: [2, 2]).scalars, [1, 2, 1, 2])
    }

    func testSoftmaxIsStableAndMatchesTheLessonZeroFunctions() {
        let rows: [[Float]] = [[1, 2, 3], [1000, 1000, 1000], [-1e4, 0, 1e4]]
        let x = Tensor(shape: [3, 3], scalars: rows.flatMap { $0 })
        let s = x.softmax().scalars, l = x.logSoftmax().scalars
        for (r, row) in rows.enumerated() {
            assertClose(Array(s[(r * 3)..<(r * 3 + 3)]), softmax(row), "softmax row \(r)")
            assertClose(Array(l[(r * 3)..<(r * 3 + 3)]), logSoftmax(row), "logSoftmax row \(r)")
        }
        // Along a non-last axis: columns sum to one.
        XCTAssertEqual(x.softmax(axis: 0).sum(axis: 0).scalars.map { ($0 * 1e5).rounded() / 1e5 }, [1, 1, 1])
    }

    func testGELUValues() {
        let x = Tensor(shape: [3], scalars: [-1, 0, 1])
        assertClose(x.gelu().scalars, [-0.15865526, 0, 0.8413447])
        assertClose(x.geluTanh().scalars, [-0.15880796, 0, 0.84119204])
        assertClose(x.sigmoid().scalars, [0.26894143, 0.5, 0.7310586])
        XCTAssertEqual(Tensor(shape: [2], scalars: [-200, 200]).sigmoid().scalars, [0, 1])
    }

    func testGatherMaskedFillWhere() {
        let table = Tensor(shape: [3, 2], scalars: [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(table.gathered(indices: [2, 0, 2]).scalars, [2, 2, 0, 0, 2, 2])
        XCTAssertEqual(table.gathered(indices: [1], axis: 1).scalars, [0, 1, 2])
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(x.maskedFill(Tensor(shape: [2], scalars: [0, 1]), with: -1).scalars, [1, -1, 3, -1])
        XCTAssertEqual(x.maskedFill([true, false, false, true], with: 0).scalars, [0, 2, 3, 0])
        XCTAssertEqual(Tensor.where(Tensor(shape: [2, 1], scalars: [1, 0]), x, Tensor(9)).scalars, [1, 2, 9, 9])
    }

    func testDropout() {
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.ones([100, 100])
        let d = x.dropout(p: 0.25, training: true, using: &rng).scalars
        XCTAssertTrue(d.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3) < 1e-6 })
        let dropped = Float(d.filter { $0 == 0 }.count) / Float(d.count)
        XCTAssertEqual(dropped, 0.25, accuracy: 0.02)
        XCTAssertEqual(x.dropout(p: 0.5, training: false, using: &rng).scalars, x.scalars)
        XCTAssertEqual(x.dropout(p: 1, training: true, using: &rng).sum().scalar, 0)
    }

    func testDescription() {
        let t = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(t.description, "tensor([[1.0, 2.0], [3.0, 4.0]], shape: [2, 2])")
        XCTAssertEqual(Tensor(shape: [1], scalars: [1], requiresGrad: true).description, "tensor([1.0], shape: [1], requiresGrad: true)")
        XCTAssertTrue((Tensor(shape: [1], scalars: [1], requiresGrad: true) * 2).description.hasSuffix("gradFn: mul)"))
        XCTAssertEqual(Tensor(3).description, "tensor(3.0, shape: [])")
        XCTAssertTrue(Tensor.zeros([2000]).description.contains("..."))
    }
}

final class TensorAccuracyTests: XCTestCase {
    /// tanh is computed from expf (faster than glibc's tanhf); it must stay within 1e-6
    /// relative of the true value everywhere, including near 0 and the saturated tails.
    func testTanhIsAccurateEverywhere() {
        var xs: [Float] = [0, -0, 1e-30, 1e-8, 1e-4, 0.0624, 0.0625, 0.0626, 9.0, 9.2, 20, 1e30, .infinity, -.infinity]
        xs += stride(from: Float(-12), through: 12, by: 0.001).map { $0 }
        let t = Tensor(shape: [xs.count], scalars: xs).tanh().scalars
        var worst: Double = 0, worstX: Float = 0
        for (x, y) in zip(xs, t) {
            let exact = Foundation.tanh(Double(x))
            let error = Swift.abs(Double(y) - exact) / Swift.max(Swift.abs(exact), 1e-38)
            if error > worst { worst = error; worstX = x }
        }
        XCTAssertLessThan(worst, 1e-6, "worst relative error \(worst) at x = \(worstX)")
        XCTAssertTrue(Tensor(shape: [1], scalars: [.nan]).tanh().scalar.isNaN)
        XCTAssertEqual(Tensor(shape: [2], scalars: [-0.5, 0.5]).tanh().scalars, [-Float(Foundation.tanh(0.5)), Float(Foundation.tanh(0.5))])
    }
}
