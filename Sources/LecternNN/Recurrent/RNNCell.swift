// The Elman RNN cell: h' = act(W_ih·x + b_ih + W_hh·h + b_hh).
//
// Reference: Elman, "Finding Structure in Time", Cognitive Science 14 (1990); the layout is
// `torch.nn.RNNCell` (PyTorch 2.x): weight_ih (H, I), weight_hh (H, H), bias_ih (H),
// bias_hh (H), all initialised U(−1/√H, 1/√H). Two biases where one would do, because PyTorch
// (after cuDNN) has two, and its checkpoints must load unchanged.

/// One step of an Elman RNN: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
///
///     var rng = SeededGenerator(seed: 0)
///     let cell = RNNCell(inputSize: 4, hiddenSize: 8, using: &rng)
///     var h = Tensor.zeros([2, 8])                          // (B, H)
///     for x in steps { h = cell(x, h) }                     // x: (B, 4) → h: (B, 8)
///     cell.namedParameters().map(\.name)   // ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
public final class RNNCell: Module, RecurrentCell {
    static let gateCount = 1
    static let stateCount = 1

    /// The input weights, shape (H, I) (PyTorch's `weight_ih`).
    ///
    ///     cell.weightIH.shape   // [8, 4]
    public let weightIH: Parameter
    /// The recurrent weights, shape (H, H) (PyTorch's `weight_hh`).
    ///
    ///     cell.weightHH.shape   // [8, 8]
    public let weightHH: Parameter
    /// The input bias, shape (H); nil for `bias: false`.
    ///
    ///     cell.biasIH?.shape   // [8]
    public let biasIH: Parameter?
    /// The recurrent bias, shape (H); nil for `bias: false`.
    ///
    ///     cell.biasHH?.shape   // [8]
    public let biasHH: Parameter?
    /// tanh (the default) or ReLU.
    ///
    ///     cell.nonlinearity   // .tanh
    public let nonlinearity: RNNNonlinearity
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
    ///     let cell = RNNCell(inputSize: 4, hiddenSize: 8, nonlinearity: .relu, using: &rng)
    public init(inputSize: Int, hiddenSize: Int, nonlinearity: RNNNonlinearity = .tanh, bias: Bool = true,
                using generator: inout SeededGenerator) {
        (weightIH, weightHH, biasIH, biasHH) = makeRecurrentParameters(
            gates: Self.gateCount, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, using: &generator)
        self.nonlinearity = nonlinearity
    }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`: PyTorch's names and order.
    ///
    ///     cell.ownParameters.map(\.name)   // ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    public var ownParameters: NamedParameters { cellParameters }

    /// One step: x (B, I) and h (B, H) → h' (B, H). A nil `h` is the zero state.
    ///
    ///     let h1 = cell(x0)        // from zeros
    ///     let h2 = cell(x1, h1)
    ///
    /// - Precondition: `x` is (B, I) and `h` is (B, H).
    public func callAsFunction(_ x: Tensor, _ h: Tensor? = nil) -> Tensor {
        let state = h.map { [$0] } ?? Self.zeroState(batch: x.shape.first ?? 0, hiddenSize: hiddenSize)   // [(B, H)]
        checkCellShapes("RNNCell", input: x, state: state, inputSize: inputSize, hiddenSize: hiddenSize)
        return step(projected: projectInput(x), state: state)[0]   // (B, H)
    }

    func step(projected: Tensor, state: [Tensor]) -> [Tensor] {
        [nonlinearity(projected + projectHidden(state[0]))]   // (B, H)
    }
}
