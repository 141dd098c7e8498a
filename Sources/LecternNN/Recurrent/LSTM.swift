// A multi-layer, optionally bidirectional LSTM over batch-first sequences.
//
// Reference: Hochreiter & Schmidhuber (1997) for the cell (LSTMCell.swift); the layer is
// `torch.nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first=True, bidirectional)`
// (PyTorch 2.x), with its parameter names (`weight_ih_l0`, `bias_hh_l1_reverse`, …) so that
// its state dict loads unchanged, and its outputs: the top layer's h at every step
// (B, T, D·H) and the final (h_n, c_n), each (L·D, B, H). Ragged batches take `lengths`, which
// behaves as pack_padded_sequence (see RecurrentStack.swift). Not implemented: dropout between
// layers, `proj_size`, unbatched (T, I) input, time-major input.

/// An LSTM: `numLayers` stacked layers of ``LSTMCell``, optionally bidirectional, reading
/// batch-first input (B, T, I).
///
///     var rng = SeededGenerator(seed: 0)
///     let lstm = LSTM(inputSize: 16, hiddenSize: 32, numLayers: 2, bidirectional: true, using: &rng)
///     let (output, state) = lstm(x, lengths: [7, 3])   // x: (2, 7, 16) → output (2, 7, 64)
///     state.h.shape                                     // [4, 2, 32]: (L·D, B, H); state.c too
///     lstm.namedParameters().first!.name                // "weight_ih_l0"
public final class LSTM: Module {
    /// The cells, `cells[layer][direction]` (direction 1 is the reverse one). Their parameters
    /// are this layer's, under the names `weight_ih_l{layer}[_reverse]`, ….
    ///
    ///     lstm.cells[1][0].weightIH.shape   // [128, 64]: layer 1 reads both directions
    public let cells: [[LSTMCell]]
    /// Training mode flag (unused: there is no dropout between layers).
    ///
    ///     lstm.training   // true until eval()
    public var training = true

    /// The size of the input's last axis, I.
    ///
    ///     lstm.inputSize   // 16
    public var inputSize: Int { cells[0][0].inputSize }
    /// The size of each direction's h and c, H.
    ///
    ///     lstm.hiddenSize   // 32
    public var hiddenSize: Int { cells[0][0].hiddenSize }
    /// The number of stacked layers, L.
    ///
    ///     lstm.numLayers   // 2
    public var numLayers: Int { cells.count }
    /// Whether each layer also reads the sequence backwards (D = 2).
    ///
    ///     lstm.bidirectional   // true
    public var bidirectional: Bool { cells[0].count == 2 }

    /// A stack with PyTorch's initialisation: every parameter from U(−1/√H, 1/√H), drawn in the
    /// order of PyTorch's state dict (l0, l0_reverse, l1, …; weight_ih, weight_hh, bias_ih, bias_hh).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let encoder = LSTM(inputSize: 8, hiddenSize: 16, using: &rng)
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, bidirectional: Bool = false,
                using generator: inout SeededGenerator) {
        cells = makeRecurrentStack("LSTM", inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                   bidirectional: bidirectional) { size in
            LSTMCell(inputSize: size, hiddenSize: hiddenSize, bias: bias, using: &generator)
        }
    }

    /// PyTorch's names: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`,
    /// `weight_ih_l0_reverse`, …, `bias_hh_l1`, ….
    ///
    ///     lstm.ownParameters.map(\.name).prefix(2)   // ["weight_ih_l0", "weight_hh_l0"]
    public var ownParameters: NamedParameters { recurrentStackParameters(cells) }

    /// Runs the stack over `x` (B, T, I) from `state` (h0, c0), each (L·D, B, H); zeros if nil.
    /// Returns the top layer's h at every step (B, T, D·H) and the final (h_n, c_n), each
    /// (L·D, B, H), ready to start a decoder.
    ///
    ///     let (_, encoded) = encoder(source, lengths: sourceLengths)   // seq2seq: encode…
    ///     let (output, _) = decoder(target, encoded)                   // …and decode from its state
    ///
    /// With `lengths` (one per sequence, each in 1...T), padding does not reach the final state,
    /// outputs at padded steps are 0, and the reverse direction starts at each sequence's last
    /// real step, as with PyTorch's `pack_padded_sequence`.
    ///
    /// - Precondition: the shapes above; every length in 1...T.
    public func callAsFunction(_ x: Tensor, _ state: (h: Tensor, c: Tensor)? = nil,
                               lengths: [Int]? = nil) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        let result = runRecurrentStack("LSTM", cells: cells, input: x, initialState: state.map { [$0.h, $0.c] },
                                       lengths: lengths)
        return (result.output, (result.finalState[0], result.finalState[1]))   // (B, T, D·H), 2 × (L·D, B, H)
    }
}
