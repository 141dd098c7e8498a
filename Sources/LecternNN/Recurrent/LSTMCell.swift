// The LSTM cell: a memory cell c with input, forget and output gates.
//
// Reference: Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural Computation 9 (1997),
// with the forget gate of Gers, Schmidhuber & Cummins (2000); equations and layout of
// `torch.nn.LSTMCell` (PyTorch 2.x):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
//   c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
// The four gates are stacked in the rows of weight_ih (4H, I) and weight_hh (4H, H) in that
// order, i, f, g, o, so one product gives all four. Why the additive update of c: the gradient
// through c' = f ⊙ c + … is multiplied by f only, not by a weight matrix and a squashing
// derivative at every step, so it survives many more steps than an Elman RNN's.

/// One step of an LSTM: (x, (h, c)) → (h', c'), PyTorch's gates and layout.
///
///     var rng = SeededGenerator(seed: 0)
///     let cell = LSTMCell(inputSize: 4, hiddenSize: 8, using: &rng)
///     var state = (h: Tensor.zeros([2, 8]), c: Tensor.zeros([2, 8]))   // (B, H) each
///     for x in steps { state = cell(x, state) }                         // x: (B, 4)
///     cell.weightIH.shape   // [32, 4]: the gates i, f, g, o stacked
public final class LSTMCell: Module, RecurrentCell {
    static let gateCount = 4
    static let stateCount = 2

    /// The input weights of the gates i, f, g, o stacked, shape (4H, I) (PyTorch's `weight_ih`).
    ///
    ///     cell.weightIH.shape   // [32, 4]
    public let weightIH: Parameter
    /// The recurrent weights of the gates i, f, g, o stacked, shape (4H, H).
    ///
    ///     cell.weightHH.shape   // [32, 8]
    public let weightHH: Parameter
    /// The input bias, shape (4H); nil for `bias: false`.
    ///
    ///     cell.biasIH?.shape   // [32]
    public let biasIH: Parameter?
    /// The recurrent bias, shape (4H); nil for `bias: false`.
    ///
    ///     cell.biasHH?.shape   // [32]
    public let biasHH: Parameter?
    /// Training mode flag (unused: the cell behaves the same in both modes).
    ///
    ///     cell.training   // true until eval()
    public var training = true

    /// The size of the input's last axis, I.
    ///
    ///     cell.inputSize   // 4
    public var inputSize: Int { weightIH.shape[1] }
    /// The size of h and c, H.
    ///
    ///     cell.hiddenSize   // 8
    public var hiddenSize: Int { weightHH.shape[1] }

    /// A cell with PyTorch's initialisation, every parameter from U(−1/√H, 1/√H), drawn in
    /// the order weight_ih, weight_hh, bias_ih, bias_hh.
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let cell = LSTMCell(inputSize: 4, hiddenSize: 8, using: &rng)
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        (weightIH, weightHH, biasIH, biasHH) = makeRecurrentParameters(
            gates: Self.gateCount, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, using: &generator)
    }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`: PyTorch's names and order.
    ///
    ///     cell.ownParameters.map(\.name)   // ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    public var ownParameters: NamedParameters { cellParameters }

    /// One step: x (B, I) and (h, c), each (B, H) → (h', c'). A nil state is zeros.
    ///
    ///     let s1 = cell(x0)            // from zeros
    ///     let s2 = cell(x1, s1)
    ///     s2.h.shape                   // [B, H]
    ///
    /// - Precondition: `x` is (B, I); `h` and `c` are (B, H).
    public func callAsFunction(_ x: Tensor, _ state: (h: Tensor, c: Tensor)? = nil) -> (h: Tensor, c: Tensor) {
        let s = state.map { [$0.h, $0.c] } ?? Self.zeroState(batch: x.shape.first ?? 0, hiddenSize: hiddenSize)   // [(B, H), (B, H)]
        checkCellShapes("LSTMCell", input: x, state: s, inputSize: inputSize, hiddenSize: hiddenSize)
        let next = step(projected: projectInput(x), state: s)   // [(B, H), (B, H)]
        return (next[0], next[1])
    }

    func step(projected: Tensor, state: [Tensor]) -> [Tensor] {
        let h = hiddenSize
        let gates = (projected + projectHidden(state[0])).split(sizes: [h, h, h, h], axis: 1)   // 4 × (B, H)
        let i = gates[0].sigmoid()                 // (B, H) input gate
        let f = gates[1].sigmoid()                 // (B, H) forget gate
        let g = gates[2].tanh()                    // (B, H) candidate
        let o = gates[3].sigmoid()                 // (B, H) output gate
        let c = f * state[1] + i * g               // (B, H)
        return [o * c.tanh(), c]                   // [(B, H), (B, H)]
    }
}
