// The nonlinearity of an Elman RNN: tanh (the default) or ReLU.
//
// Reference: the `nonlinearity` argument of `torch.nn.RNN` / `torch.nn.RNNCell`
// ("tanh" | "relu"), after Elman, "Finding Structure in Time" (1990). tanh keeps the state in
// (−1, 1); ReLU does not saturate, but its state can grow without bound over long sequences.

/// The function an Elman RNN applies to W_ih·x + b_ih + W_hh·h + b_hh; raw values are
/// PyTorch's strings.
///
///     let cell = RNNCell(inputSize: 4, hiddenSize: 8, nonlinearity: .relu, using: &rng)
///     RNNNonlinearity(rawValue: "tanh")   // .tanh
public enum RNNNonlinearity: String, Sendable, CaseIterable {
    /// tanh(x): PyTorch's default.
    case tanh
    /// max(0, x).
    case relu

    /// Applies the function elementwise.
    ///
    ///     RNNNonlinearity.relu(Tensor(shape: [2], scalars: [-1, 2])).scalars   // [0, 2]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .tanh: x.tanh()
        case .relu: x.relu()
        }
    }
}
