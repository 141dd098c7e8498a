// A multi-layer, optionally bidirectional GRU over batch-first sequences.
//
// Reference: Cho et al. (2014) for the cell (GRUCell.swift); the layer is
// `torch.nn.GRU(input_size, hidden_size, num_layers, bias, batch_first=True, bidirectional)`
// (PyTorch 2.x), with its parameter names (`weight_ih_l0`, `bias_hh_l1_reverse`, …) so that
// its state dict loads unchanged, and its outputs: the top
// layer's states at every step (B, T, D·H) and the final state h_n (L·D, B, H). Ragged batches
// take `lengths`, which behaves as pack_padded_sequence (see RecurrentStack.swift). Not
// implemented: dropout between layers, unbatched (T, I) input, time-major input.

/// A GRU: `numLayers` stacked layers of ``GRUCell``, optionally bidirectional, reading
/// batch-first input (B, T, I).
///
///     var rng = SeededGenerator(seed: 0)
///     let gru = GRU(inputSize: 16, hiddenSize: 32, numLayers: 2, bidirectional: true, using: &rng)
///     let (output, h) = gru(x, lengths: [7, 3])   // x: (2, 7, 16) → output (2, 7, 64), h (4, 2, 32)
///     gru.namedParameters().first!.name           // "weight_ih_l0"
public final class GRU: Module {
    /// The cells, `cells[layer][direction]` (direction 1 is the reverse one). Their parameters
    /// are this layer's, under the names `weight_ih_l{layer}[_reverse]`, ….
    ///
    ///     gru.cells[1][0].weightIH.shape   // [96, 64]: layer 1 reads both directions
    public let cells: [[GRUCell]]
    /// Training mode flag (unused: there is no dropout between layers).
    ///
    ///     gru.training   // true until eval()
    public var training = true

    /// The size of the input's last axis, I.
    ///
    ///     gru.inputSize   // 16
    public var inputSize: Int { cells[0][0].inputSize }
    /// The size of each direction's state, H.
    ///
    ///     gru.hiddenSize   // 32
    public var hiddenSize: Int { cells[0][0].hiddenSize }
    /// The number of stacked layers, L.
    ///
    ///     gru.numLayers   // 2
    public var numLayers: Int { cells.count }
    /// Whether each layer also reads the sequence backwards (D = 2).
    ///
    ///     gru.bidirectional   // true
    public var bidirectional: Bool { cells[0].count == 2 }

    /// A stack with PyTorch's initialisation: every parameter from U(−1/√H, 1/√H), drawn in the
    /// order of PyTorch's state dict (l0, l0_reverse, l1, …; weight_ih, weight_hh, bias_ih, bias_hh).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let encoder = GRU(inputSize: 8, hiddenSize: 16, using: &rng)
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1,
                bias: Bool = true, bidirectional: Bool = false, using generator: inout SeededGenerator) {
        cells = makeRecurrentStack("GRU", inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                   bidirectional: bidirectional) { size in
            GRUCell(inputSize: size, hiddenSize: hiddenSize, bias: bias, using: &generator)
        }
    }

    /// PyTorch's names: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`,
    /// `weight_ih_l0_reverse`, …, `bias_hh_l1`, ….
    ///
    ///     gru.ownParameters.map(\.name).prefix(2)   // ["weight_ih_l0", "weight_hh_l0"]
    public var ownParameters: NamedParameters { recurrentStackParameters(cells) }

    /// Runs the stack over `x` (B, T, I) from `h0` (L·D, B, H; zeros if nil). Returns the top
    /// layer's output at every step (B, T, D·H) and the final state h (L·D, B, H).
    ///
    ///     let (output, h) = gru(x)                         // from zeros
    ///     let (more, h2) = gru(next, h)                    // continue where it stopped
    ///     let (padded, last) = gru(x, lengths: [5, 2])     // ragged: output is 0 after step 2 of row 1
    ///
    /// With `lengths` (one per sequence, each in 1...T), padding does not reach the final state,
    /// and the reverse direction starts at each sequence's last real step, as with PyTorch's
    /// `pack_padded_sequence`.
    ///
    /// - Precondition: the shapes above; every length in 1...T.
    public func callAsFunction(_ x: Tensor, _ h0: Tensor? = nil, lengths: [Int]? = nil) -> (output: Tensor, h: Tensor) {
        let result = runRecurrentStack("GRU", cells: cells, input: x, initialState: h0.map { [$0] }, lengths: lengths)
        return (result.output, result.finalState[0])   // (B, T, D·H), (L·D, B, H)
    }
}
