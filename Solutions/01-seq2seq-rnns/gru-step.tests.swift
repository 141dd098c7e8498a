import XCTest
import LecternNN

/// Hidden tests for `gruStep`: against the library's `LecternNN.GRUCell` (PyTorch's gate order
/// r, z, n and reset-gate placement) on seeded random weights, values and gradients.
final class GRUStepHiddenTests: XCTestCase {
    private func step(_ cell: LecternNN.GRUCell, _ x: Tensor, _ h: Tensor) -> Tensor {
        gruStep(x: x, h: h, weightIH: cell.weightIH.value, weightHH: cell.weightHH.value,
                biasIH: cell.biasIH!.value, biasHH: cell.biasHH!.value)
    }

    func testMatchesTheLibraryCell() {
        var rng = SeededGenerator(seed: 21)
        for (b, i, h) in [(1, 1, 1), (2, 3, 4), (4, 6, 5), (8, 16, 32)] {
            let cell = LecternNN.GRUCell(inputSize: i, hiddenSize: h, using: &rng)
            let x = Tensor.randn([b, i], using: &rng), state = Tensor.randn([b, h], using: &rng)
            assertTensorClose(step(cell, x, state), cell(x, state), "B = \(b), I = \(i), H = \(h)")
        }
    }

    func testResetGateMultipliesTheRecurrentBiasToo() {
        // Large recurrent biases make the placement of r visible: PyTorch computes
        // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
        var rng = SeededGenerator(seed: 22)
        let cell = LecternNN.GRUCell(inputSize: 3, hiddenSize: 4, using: &rng)
        cell.biasHH!.value = Tensor.randn([12], std: 2, using: &rng)
        cell.weightHH.value = Tensor.randn([12, 4], std: 1, using: &rng)
        let x = Tensor.randn([3, 3], using: &rng), state = Tensor.randn([3, 4], using: &rng)
        assertTensorClose(step(cell, x, state), cell(x, state), "the reset gate multiplies (W_hn·h + b_hn)")
    }

    func testFromTheZeroState() {
        var rng = SeededGenerator(seed: 23)
        let cell = LecternNN.GRUCell(inputSize: 2, hiddenSize: 3, using: &rng)
        let x = Tensor.randn([2, 2], using: &rng)
        assertTensorClose(step(cell, x, Tensor.zeros([2, 3])), cell(x), "from h = 0")
    }

    func testGradientsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 24)
        let cell = LecternNN.GRUCell(inputSize: 3, hiddenSize: 4, using: &rng)
        let xData = Tensor.randn([2, 3], using: &rng), hData = Tensor.randn([2, 4], using: &rng)
        let x = Tensor(shape: xData.shape, scalars: xData.scalars, requiresGrad: true)
        let h = Tensor(shape: hData.shape, scalars: hData.scalars, requiresGrad: true)
        let out = step(cell, x, h)
        guard out.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (out * out).sum().backward()
        let x2 = Tensor(shape: xData.shape, scalars: xData.scalars, requiresGrad: true)
        let h2 = Tensor(shape: hData.shape, scalars: hData.scalars, requiresGrad: true)
        let want = cell(x2, h2)
        (want * want).sum().backward()
        assertTensorClose(x.grad!, x2.grad!, "the gradient with respect to x")
        assertTensorClose(h.grad!, h2.grad!, "the gradient with respect to h")
    }
}
