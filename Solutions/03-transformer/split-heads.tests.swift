import XCTest
import LecternNN

/// Hidden tests for `splitIntoHeads` and `joinHeads`: equal to the library's `LecternNN.splitHeads`
/// and `LecternNN.mergeHeads` on seeded tensors, inverse of each other, and differentiable.
final class SplitHeadsHiddenTests: XCTestCase {
    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 311)
        for (b, t, d, heads) in [(2, 5, 12, 3), (1, 1, 8, 8), (3, 4, 6, 1)] {
            let x = Tensor.randn([b, t, d], using: &rng)
            let mine = splitIntoHeads(x, heads: heads)
            XCTAssertEqual(mine.shape, [b, heads, t, d / heads], "split (\(b), \(t), \(d)) into \(heads) heads")
            XCTAssertEqual(mine.scalars, LecternNN.splitHeads(x, heads: heads).scalars, "split into \(heads) heads")
            let y = Tensor.randn([b, heads, t, d / heads], using: &rng)
            XCTAssertEqual(joinHeads(y).shape, [b, t, d], "join")
            XCTAssertEqual(joinHeads(y).scalars, LecternNN.mergeHeads(y).scalars, "join \(heads) heads")
        }
    }

    func testGradientsFlowThroughBoth() {
        var rng = SeededGenerator(seed: 312)
        let data = Tensor.randn([2, 3, 4], using: &rng), upstream = Tensor.randn([2, 3, 4], using: &rng)
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let y = joinHeads(splitIntoHeads(x, heads: 2))
        guard y.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (y * upstream).sum().backward()
        XCTAssertEqual(x.grad?.scalars ?? [], upstream.scalars, "split then join is the identity, so is its gradient")
    }
}
