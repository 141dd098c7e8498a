// Running a stack of recurrent cells over a batch of sequences: layers, directions, initial
// states, ragged lengths. Shared by RNN, LSTM and GRU.
//
// Reference: `torch.nn.RNNBase.forward` (PyTorch 2.x) with batch_first=True, and, for ragged
// batches, `pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)`:
//   - layer l > 0 reads the concatenated outputs (B, T, D·H) of layer l − 1;
//   - the reverse direction reads the sequence from its end: for a sequence of length n, from
//     step n − 1 down to 0, so its first step is the last real one, not padding;
//   - outputs at padded steps are 0 (what pad_packed_sequence writes there);
//   - the final state of each sequence is its state after its last real step;
//   - h_n (and c_n) are (L·D, B, H), ordered layer 0 forward, layer 0 reverse, layer 1 forward….
// How padding is kept out without packing: at step t, sequences with t ≥ length keep their old
// state (`where(active, new, old)`) and output 0. Forward, that freezes the state after the
// last real step; in reverse, the state stays the initial one until the walk reaches step
// n − 1. Steps where every sequence is real skip the masking.
// Efficiency: the input projection of each (layer, direction) is one `linear` over all T steps;
// only h·W_hhᵀ and the gates run in the loop over time.

/// The output (B, T, D·H) and final states (`stateCount` tensors of (L·D, B, H)) of a stack of
/// cells, `cells[layer][direction]`, run over `x` (B, T, I).
func runRecurrentStack<Cell: RecurrentCell>(_ name: String, cells: [[Cell]], input x: Tensor,
                                            initialState: [Tensor]?, lengths: [Int]?) -> (output: Tensor, finalState: [Tensor]) {
    let inputSize = cells[0][0].weightIH.shape[1], hiddenSize = cells[0][0].weightHH.shape[1]
    require(x.rank == 3 && x.shape[2] == inputSize,
            "\(name): input must be batch-first (B, T, \(inputSize)), got \(x.shape)")
    let batch = x.shape[0], steps = x.shape[1]
    require(steps > 0, "\(name): the input has no time steps (shape \(x.shape))")
    let stateShape = [cells.count * cells[0].count, batch, hiddenSize]
    if let initialState {
        for s in initialState {
            require(s.shape == stateShape, "\(name): initial state must have shape (L·D, B, H) = \(stateShape), got \(s.shape)")
        }
    }
    if let lengths {
        require(lengths.count == batch, "\(name): \(lengths.count) lengths for a batch of \(batch)")
        require(lengths.allSatisfy { (1...steps).contains($0) },
                "\(name): every length must be in 1...\(steps) (the input's T), got \(lengths)")
    }
    // active[t]: (B, 1), 1 for the sequences that are real at step t; nil when all of them are.
    let active: [Tensor?] = (0..<steps).map { t in
        guard let lengths, lengths.contains(where: { t >= $0 }) else { return nil }
        return Tensor(shape: [batch, 1], scalars: lengths.map { t < $0 ? 1 : 0 })   // (B, 1)
    }

    var layerInput = x                                                   // (B, T, I), then (B, T, D·H)
    var finals = [[Tensor]](repeating: [], count: Cell.stateCount)       // per state part: L·D × (B, H)
    for (layer, directions) in cells.enumerated() {
        var directionOutputs: [Tensor] = []                              // D × (B, T, H)
        for (direction, cell) in directions.enumerated() {
            let index = layer * directions.count + direction
            var state = initialState?.map { $0.index(axis: 0, index) }   // stateCount × (B, H)
                ?? Cell.zeroState(batch: batch, hiddenSize: hiddenSize)
            let projected = cell.projectInput(layerInput)                // (B, T, G·H)
            var outputs = [Tensor](repeating: Tensor(0), count: steps)   // T × (B, H)
            for t in direction == 0 ? Array(0..<steps) : Array((0..<steps).reversed()) {
                let next = cell.step(projected: projected.index(axis: 1, t), state: state)   // stateCount × (B, H)
                if let mask = active[t] {
                    state = zip(next, state).map { Tensor.where(mask, $0, $1) }   // (B, H): padded rows keep theirs
                    outputs[t] = Tensor.where(mask, next[0], Tensor(0))           // (B, H): 0 at padding
                } else {
                    state = next
                    outputs[t] = next[0]                                          // (B, H)
                }
            }
            directionOutputs.append(Tensor.stack(outputs, axis: 1))      // (B, T, H)
            for part in 0..<Cell.stateCount { finals[part].append(state[part]) }
        }
        layerInput = Tensor.concat(directionOutputs, axis: 2)            // (B, T, D·H)
    }
    return (layerInput, finals.map { Tensor.stack($0, axis: 0) })        // (B, T, D·H), stateCount × (L·D, B, H)
}

/// Builds `cells[layer][direction]` for a stack: layer 0 reads I features, later layers read
/// D·H. Cells are created (and their parameters drawn) in PyTorch's parameter order.
func makeRecurrentStack<Cell>(_ name: String, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool,
                              _ make: (_ inputSize: Int) -> Cell) -> [[Cell]] {
    require(numLayers >= 1, "\(name): numLayers must be at least 1, got \(numLayers)")
    let directions = bidirectional ? 2 : 1
    return (0..<numLayers).map { layer in
        (0..<directions).map { _ in make(layer == 0 ? inputSize : directions * hiddenSize) }
    }
}

/// The parameters of a stack under PyTorch's layer names: each cell's `weight_ih`, … with the
/// suffix `_l{layer}` and `_reverse` for the second direction (`weight_hh_l1_reverse`).
func recurrentStackParameters<Cell: RecurrentCell>(_ cells: [[Cell]]) -> NamedParameters {
    var result: NamedParameters = []
    for (layer, directions) in cells.enumerated() {
        for (direction, cell) in directions.enumerated() {
            let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
            result += cell.cellParameters.map { ($0.name + suffix, $0.parameter) }
        }
    }
    return result
}
