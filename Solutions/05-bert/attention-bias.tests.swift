import XCTest
import LecternModels

/// Hidden tests for `additiveMask`: shapes for several batches; added to random scores of
/// (B, heads, N, N), the softmax gives exactly the attention weights of the library's
/// `LecternNN.scaledDotProductAttention` with the same 1/0 mask; a row of one sequence with no
/// padding is all zeros; and the value is the most negative finite Float, not −∞.
final class AttentionBiasHiddenTests: XCTestCase {
    func testShapesAndValues() {
        let masks = [[[1]], [[1, 1, 0, 0, 0]], [[1, 0], [1, 1], [0, 1]]]
        for mask in masks {
            let bias = additiveMask(mask)
            XCTAssertEqual(bias.shape, [mask.count, 1, 1, mask[0].count], "mask \(mask)")
            XCTAssertEqual(bias.scalars, mask.flatMap { $0 }.map { $0 == 1 ? 0 : -Float.greatestFiniteMagnitude }, "mask \(mask)")
        }
        XCTAssertTrue(additiveMask([[0]]).scalars[0].isFinite, "the most negative finite Float, not −∞ (a fully padded row must not give NaN)")
    }

    func testTheBiasGivesTheLibrarysAttentionWeights() {
        var rng = SeededGenerator(seed: 511)
        let mask = [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0]]
        let (q, k, v) = (Tensor.randn([3, 2, 6, 4], using: &rng), Tensor.randn([3, 2, 6, 4], using: &rng), Tensor.randn([3, 2, 6, 4], using: &rng))
        let scores = q.matmul(k.transposed(2, 3)) / 2                                  // (B, heads, N, N), √4 = 2
        let mine = (scores + additiveMask(mask)).softmax(axis: -1)
        let library = LecternNN.scaledDotProductAttention(query: q, key: k, value: v,
                                                          attentionMask: Tensor(shape: [3, 6], scalars: mask.flatMap { $0 }.map(Float.init)))
        assertTensorClose(mine, library.weights, "attention weights with the bias added")
    }
}
