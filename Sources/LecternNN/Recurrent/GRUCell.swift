// The GRU cell: gated recurrence without a separate memory cell.
//
// Reference: Cho et al., "Learning Phrase Representations using RNN Encoder–Decoder for
// Statistical Machine Translation" (2014); equations and layout of `torch.nn.GRUCell`
// (PyTorch 2.x):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)          z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))  h' = (1 − z) ⊙ n + z ⊙ h
// Gates stacked r, z, n in weight_ih (3H, I) and weight_hh (3H, H). Note where the reset gate
// goes: PyTorch (like cuDNN) multiplies r into (W_hn h + b_hn), after the product, where Cho et
// al. wrote W_hn (r ⊙ h). The two differ, and only the former loads PyTorch's weights
// correctly; it also lets one product h·W_hhᵀ serve all three gates.

/// One step of a GRU: (x, h) → h', PyTorch's gates, layout and reset-gate placement.
///
///     var rng = SeededGenerator(seed: 0)
///     let cell = GRUCell(inputSize: 4, hiddenSize: 8, using: &rng)
///     var h = Tensor.zeros([2, 8])          // (B, H)
///     for x in steps { h = cell(x, h) }     // x: (B, 4)
///     cell.weightHH.shape                   // [24, 8]: the gates r, z, n stacked
public final class GRUCell: Module, RecurrentCell {
    static let gateCount = 3
    static let stateCount = 1

    /// The input weights of the gates r, z, n stacked, shape (3H, I) (PyTorch's `weight_ih`).
    ///
    ///     cell.weightIH.shape   // [24, 4]
    public let weightIH: Parameter
    /// The recurrent weights of the gates r, z, n stacked, shape (3H, H).
    ///
    ///     cell.weightHH.shape   // [24, 8]
    public let weightHH: Parameter
    /// The input bias, shape (3H); nil for `bias: false`.
    ///
    ///     cell.biasIH?.shape   // [24]
    public let biasIH: Parameter?
    /// The recurrent bias, shape (3H); nil for `bias: false`. Its n block sits inside the reset
    /// gate's product, so it is not redundant with `biasIH`.
    ///
    ///     cell.biasHH?.shape   // [24]
    public let biasHH: Parameter?
    /// Training mode flag (unused: the cell behaves the same in both modes).
    ///
    ///     cell.training   // true until eval()
    public var training = true

    /// The size of the input's last axis, I.
    ///
    ///     cell.inputSize   // 4
    public var inputSize: Int { weightIH.shape[1] }
    /// The size of the state, H.
    ///
    ///     cell.hiddenSize   // 8
    public var hiddenSize: Int { weightHH.shape[1] }

    /// A cell with PyTorch's initialisation, every parameter from U(−1/√H, 1/√H), drawn in
    /// the order weight_ih, weight_hh, bias_ih, bias_hh.
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let cell = GRUCell(inputSize: 4, hiddenSize: 8, using: &rng)
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        (weightIH, weightHH, biasIH, biasHH) = makeRecurrentParameters(
            gates: Self.gateCount, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, using: &generator)
    }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`: PyTorch's names and order.
    ///
    ///     cell.ownParameters.map(\.name)   // ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    public var ownParameters: NamedParameters { cellParameters }

    /// One step: x (B, I) and h (B, H) → h' (B, H). A nil `h` is the zero state.
    ///
    ///     let h1 = cell(x0)
    ///     let h2 = cell(x1, h1)
    ///
    /// - Precondition: `x` is (B, I) and `h` is (B, H).
    public func callAsFunction(_ x: Tensor, _ h: Tensor? = nil) -> Tensor {
        let state = h.map { [$0] } ?? Self.zeroState(batch: x.shape.first ?? 0, hiddenSize: hiddenSize)   // [(B, H)]
        checkCellShapes("GRUCell", input: x, state: state, inputSize: inputSize, hiddenSize: hiddenSize)
        return step(projected: projectInput(x), state: state)[0]   // (B, H)
    }

    func step(projected: Tensor, state: [Tensor]) -> [Tensor] {
        let size = hiddenSize, h = state[0]                                     // h: (B, H)
        let xs = projected.split(sizes: [size, size, size], axis: 1)            // 3 × (B, H)
        let hs = projectHidden(h).split(sizes: [size, size, size], axis: 1)     // 3 × (B, H)
        let r = (xs[0] + hs[0]).sigmoid()                                       // (B, H) reset gate
        let z = (xs[1] + hs[1]).sigmoid()                                       // (B, H) update gate
        let n = (xs[2] + r * hs[2]).tanh()                                      // (B, H) candidate
        // (1 − z) ⊙ n + z ⊙ h, written with one product fewer.
        return [n + z * (h - n)]                                                // (B, H)
    }
}
