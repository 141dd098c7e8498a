// What the three recurrent cells (Elman RNN, LSTM, GRU) have in common, so that one stack
// runner (RecurrentStack.swift) drives all of them.
//
// Reference: `torch.nn.RNNCellBase` and `torch.nn.RNNBase` (PyTorch 2.x). Every cell owns
// `weight_ih` (G·H, I), `weight_hh` (G·H, H), `bias_ih` (G·H) and `bias_hh` (G·H), with G the
// number of gates (1 for an Elman RNN, 4 for an LSTM, 3 for a GRU), the gates stacked along the
// rows in PyTorch's order. `reset_parameters()` draws every one of them from U(−1/√H, 1/√H).
//
// Why split a step into "project the input" and "update the state": the input projection
// x·W_ihᵀ + b_ih does not depend on the state, so a layer computes it for all T time steps in
// one matrix product (one `linear` call on (B, T, I)) and only the recurrent part h·W_hhᵀ runs
// inside the loop over time.

/// A recurrent cell as the stack runner sees it: PyTorch's four parameters and one time step.
protocol RecurrentCell: Module {
    /// G: how many H-row blocks `weight_ih` and `weight_hh` stack (1, 4 or 3).
    static var gateCount: Int { get }
    /// How many (B, H) tensors the state has: 1 (h), or 2 for an LSTM (h, c). `h` comes first.
    static var stateCount: Int { get }
    /// (G·H, I)
    var weightIH: Parameter { get }
    /// (G·H, H)
    var weightHH: Parameter { get }
    /// (G·H), or nil for a cell built with `bias: false`.
    var biasIH: Parameter? { get }
    /// (G·H), or nil for a cell built with `bias: false`.
    var biasHH: Parameter? { get }
    /// One time step from the already projected input x·W_ihᵀ + b_ih, shape (B, G·H), and the
    /// state (each (B, H)); returns the new state, `h` first.
    func step(projected: Tensor, state: [Tensor]) -> [Tensor]
}

extension RecurrentCell {
    /// x·W_ihᵀ + b_ih over the last axis: (…, I) → (…, G·H). One call covers every time step.
    func projectInput(_ x: Tensor) -> Tensor {
        var p = x.linear(weightIH.value)        // (…, G·H)
        if let biasIH { p = p + biasIH.value }  // (…, G·H) + (G·H)
        return p
    }

    /// h·W_hhᵀ + b_hh: (B, H) → (B, G·H), the recurrent part of a step.
    func projectHidden(_ h: Tensor) -> Tensor {
        var p = h.linear(weightHH.value)        // (B, G·H)
        if let biasHH { p = p + biasHH.value }  // (B, G·H) + (G·H)
        return p
    }

    /// The parameters under PyTorch's cell names, in its registration order.
    var cellParameters: NamedParameters {
        var result: NamedParameters = [("weight_ih", weightIH), ("weight_hh", weightHH)]
        if let biasIH { result.append(("bias_ih", biasIH)) }
        if let biasHH { result.append(("bias_hh", biasHH)) }
        return result
    }

    /// The zero state PyTorch starts from when no initial state is given: `stateCount` × (B, H).
    static func zeroState(batch: Int, hiddenSize: Int) -> [Tensor] {
        Array(repeating: Tensor.zeros([batch, hiddenSize]), count: stateCount)   // each (B, H)
    }
}

/// A cell's four parameters with PyTorch's shapes, drawn from U(−1/√H, 1/√H) in PyTorch's
/// order (weight_ih, weight_hh, bias_ih, bias_hh), each in row-major order.
func makeRecurrentParameters(gates: Int, inputSize: Int, hiddenSize: Int, bias: Bool,
                             using generator: inout SeededGenerator)
    -> (weightIH: Parameter, weightHH: Parameter, biasIH: Parameter?, biasHH: Parameter?) {
    require(inputSize > 0 && hiddenSize > 0,
            "recurrent cell: inputSize and hiddenSize must be positive, got \(inputSize) and \(hiddenSize)")
    let bound = 1 / Float(hiddenSize).squareRoot()
    let rows = gates * hiddenSize
    let weightIH = Parameter(Tensor.uniform([rows, inputSize], low: -bound, high: bound, using: &generator))    // (G·H, I)
    let weightHH = Parameter(Tensor.uniform([rows, hiddenSize], low: -bound, high: bound, using: &generator))   // (G·H, H)
    guard bias else { return (weightIH, weightHH, nil, nil) }
    let biasIH = Parameter(Tensor.uniform([rows], low: -bound, high: bound, using: &generator))   // (G·H)
    let biasHH = Parameter(Tensor.uniform([rows], low: -bound, high: bound, using: &generator))   // (G·H)
    return (weightIH, weightHH, biasIH, biasHH)
}

/// Checks a cell input (B, I) and state (B, H) before a step, with a readable message.
func checkCellShapes(_ name: String, input x: Tensor, state: [Tensor], inputSize: Int, hiddenSize: Int) {
    require(x.rank == 2 && x.shape[1] == inputSize,
            "\(name): input must have shape (B, \(inputSize)), got \(x.shape)")
    for s in state {
        require(s.shape == [x.shape[0], hiddenSize],
                "\(name): state must have shape (\(x.shape[0]), \(hiddenSize)), got \(s.shape)")
    }
}
