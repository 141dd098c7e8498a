import XCTest
import LecternNN

/// Hidden tests for `finalState(inputs:lengths:initial:step:)`: against the library's ragged
/// `LecternNN.RNN` and `LecternNN.GRU` layers (`lengths:`), with garbage in the padding.
final class FinalStateHiddenTests: XCTestCase {
    /// Random inputs (B, T, I) whose padded steps hold large values, so a leak shows.
    private func raggedInputs(_ lengths: [Int], _ t: Int, _ i: Int, rng: inout SeededGenerator) -> Tensor {
        let x = Tensor.randn([lengths.count, t, i], using: &rng)
        var scalars = x.scalars
        for (row, length) in lengths.enumerated() {
            for time in length..<t { for k in 0..<i { scalars[(row * t + time) * i + k] = 50 * Float(k % 2 == 0 ? 1 : -1) } }
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }

    func testMatchesTheLibraryRNN() {
        var rng = SeededGenerator(seed: 31)
        for (lengths, t, i, h) in [([3], 3, 2, 4), ([1, 4, 2], 4, 3, 5), ([5, 5], 5, 1, 2), ([2, 7, 1, 6, 7], 7, 4, 8)] {
            let rnn = LecternNN.RNN(inputSize: i, hiddenSize: h, using: &rng)
            let x = raggedInputs(lengths, t, i, rng: &rng)
            let h0 = Tensor.randn([lengths.count, h], using: &rng)
            let want = rnn(x, h0.unsqueezed(axis: 0), lengths: lengths).h.index(axis: 0, 0)
            let cell = rnn.cells[0][0]
            let got = finalState(inputs: x, lengths: lengths, initial: h0) { cell($0, $1) }
            assertTensorClose(got, want, "an RNN over lengths \(lengths), T = \(t)")
        }
    }

    func testMatchesTheLibraryGRU() {
        var rng = SeededGenerator(seed: 32)
        let lengths = [4, 1, 3, 6]
        let gru = LecternNN.GRU(inputSize: 3, hiddenSize: 6, using: &rng)
        let x = raggedInputs(lengths, 6, 3, rng: &rng)
        let want = gru(x, lengths: lengths).h.index(axis: 0, 0)
        let cell = gru.cells[0][0]
        let got = finalState(inputs: x, lengths: lengths, initial: Tensor.zeros([4, 6])) { cell($0, $1) }
        assertTensorClose(got, want, "a GRU over lengths \(lengths)")
    }

    func testPaddingDoesNotMatter() {
        // A step that just adds its input: the final state is the sum of the real steps.
        let x = Tensor(shape: [2, 3, 1], scalars: [1, 2, 1000,
                                                  5, -7, -7])
        let got = finalState(inputs: x, lengths: [2, 1], initial: Tensor.zeros([2, 1])) { $1 + $0 }
        XCTAssertEqual(got.scalars, [3, 5], "row 0 sums its 2 real steps, row 1 its 1")
    }

    func testNoGradientReachesThePadding() {
        var rng = SeededGenerator(seed: 33)
        let cell = LecternNN.RNNCell(inputSize: 2, hiddenSize: 3, using: &rng)
        let data = Tensor.randn([2, 3, 2], using: &rng)
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let out = finalState(inputs: x, lengths: [1, 3], initial: Tensor.zeros([2, 3])) { cell($0, $1) }
        guard out.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        out.sum().backward()
        let g = x.grad!.scalars
        XCTAssertEqual(Array(g[2..<6]), [0, 0, 0, 0], "row 0 has length 1: its steps 1 and 2 are padding and get no gradient")
        XCTAssertTrue(g[0] != 0 && g[6..<12].contains { $0 != 0 }, "the real steps do get a gradient")
    }
}
