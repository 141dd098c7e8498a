import XCTest
import LecternNN

/// Hidden tests for `contextVector(weights:values:)`: against the library's
/// `LecternNN.attentionContext(weights:values:)` on seeded random inputs, values and gradients.
final class ContextVectorHiddenTests: XCTestCase {
    func testMatchesTheLibrary() {
        var rng = SeededGenerator(seed: 61)
        for (b, s, h) in [(1, 1, 1), (2, 5, 3), (4, 9, 16), (3, 2, 7)] {
            let weights = Tensor.randn([b, s], using: &rng).softmax(axis: 1)
            let values = Tensor.randn([b, s, h], using: &rng)
            assertTensorClose(contextVector(weights: weights, values: values), attentionContext(weights: weights, values: values),
                        "B = \(b), S = \(s), H = \(h)")
        }
    }

    func testWeightsNeedNotSumToOne() {
        // Local attention's weights sum to less than 1: the context is still the plain weighted sum.
        let values = Tensor(shape: [1, 2, 2], scalars: [1, 2,   3, 4])
        XCTAssertEqual(contextVector(weights: Tensor(shape: [1, 2], scalars: [0.5, 0.25]), values: values).scalars,
                       [1.25, 2])
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 62)
        let wData = Tensor.randn([3, 4], using: &rng), vData = Tensor.randn([3, 4, 5], using: &rng)
        let upstream = Tensor.randn([3, 5], using: &rng)
        let w = Tensor(shape: wData.shape, scalars: wData.scalars, requiresGrad: true)
        let v = Tensor(shape: vData.shape, scalars: vData.scalars, requiresGrad: true)
        let c = contextVector(weights: w, values: v)
        guard c.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (c * upstream).sum().backward()
        let w2 = Tensor(shape: wData.shape, scalars: wData.scalars, requiresGrad: true)
        let v2 = Tensor(shape: vData.shape, scalars: vData.scalars, requiresGrad: true)
        (attentionContext(weights: w2, values: v2) * upstream).sum().backward()
        assertTensorClose(w.grad!, w2.grad!, "the gradient with respect to the weights")
        assertTensorClose(v.grad!, v2.grad!, "the gradient with respect to the values")
    }
}
