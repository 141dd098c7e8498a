import XCTest
import LecternNN

/// Hidden tests for `elmanStep`: against the library's `LecternNN.RNNCell` on seeded random
/// weights and inputs, values and gradients.
final class ElmanStepHiddenTests: XCTestCase {
    func testMatchesTheLibraryCell() {
        var rng = SeededGenerator(seed: 11)
        for (b, i, h) in [(1, 1, 1), (2, 3, 4), (5, 7, 3), (8, 16, 32)] {
            let cell = LecternNN.RNNCell(inputSize: i, hiddenSize: h, using: &rng)
            let x = Tensor.randn([b, i], using: &rng), state = Tensor.randn([b, h], using: &rng)
            let got = elmanStep(x: x, h: state, weightIH: cell.weightIH.value, weightHH: cell.weightHH.value,
                                biasIH: cell.biasIH!.value, biasHH: cell.biasHH!.value)
            assertTensorClose(got, cell(x, state), "B = \(b), I = \(i), H = \(h)")
        }
    }

    func testNonSquareWeightsAreNotTransposedWrongly() {
        var rng = SeededGenerator(seed: 12)
        let cell = LecternNN.RNNCell(inputSize: 5, hiddenSize: 2, using: &rng)
        let x = Tensor.randn([3, 5], std: 2, using: &rng), state = Tensor.randn([3, 2], using: &rng)
        let got = elmanStep(x: x, h: state, weightIH: cell.weightIH.value, weightHH: cell.weightHH.value,
                            biasIH: cell.biasIH!.value, biasHH: cell.biasHH!.value)
        assertTensorClose(got, cell(x, state), "W_ih is (H, I) = (2, 5): multiply x by its transpose")
    }

    func testSaturatesWithoutNaN() {
        let got = elmanStep(x: Tensor(shape: [1, 1], scalars: [1000]), h: Tensor.zeros([1, 2]),
                            weightIH: Tensor(shape: [2, 1], scalars: [1, -1]), weightHH: Tensor.zeros([2, 2]),
                            biasIH: Tensor.zeros([2]), biasHH: Tensor.zeros([2]))
        XCTAssertEqual(got.scalars, [1, -1], "tanh saturates at ±1")
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 13)
        let cell = LecternNN.RNNCell(inputSize: 3, hiddenSize: 4, using: &rng)
        let xData = Tensor.randn([2, 3], using: &rng), hData = Tensor.randn([2, 4], using: &rng)
        let x = Tensor(shape: xData.shape, scalars: xData.scalars, requiresGrad: true)
        let h = Tensor(shape: hData.shape, scalars: hData.scalars, requiresGrad: true)
        let out = elmanStep(x: x, h: h, weightIH: cell.weightIH.value, weightHH: cell.weightHH.value,
                            biasIH: cell.biasIH!.value, biasHH: cell.biasHH!.value)
        guard out.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        out.sum().backward()
        let x2 = Tensor(shape: xData.shape, scalars: xData.scalars, requiresGrad: true)
        let h2 = Tensor(shape: hData.shape, scalars: hData.scalars, requiresGrad: true)
        cell(x2, h2).sum().backward()
        assertTensorClose(x.grad!, x2.grad!, "the gradient with respect to x")
        assertTensorClose(h.grad!, h2.grad!, "the gradient with respect to h")
    }
}
