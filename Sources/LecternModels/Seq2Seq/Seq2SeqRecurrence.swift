// One recurrent stack, GRU or LSTM, behind one call signature.
//
// Reference: Cho et al. (2014) (GRU) and Sutskever et al. (2014) (LSTM); the layers are
// ``GRU`` and ``LSTM`` (PyTorch's `nn.GRU` / `nn.LSTM`, batch_first). Why a wrapper: the
// encoder, the decoder and the greedy loop are the same code for both cells; only the state
// differs (h, or h and c), and ``Seq2SeqState`` carries either.

/// A GRU or LSTM stack; registered as a child module under its own PyTorch names.
enum Seq2SeqRecurrence {
    case gru(GRU)
    case lstm(LSTM)

    /// A stack of `kind` with PyTorch's initialisation, drawn from `generator`.
    init(_ kind: Seq2SeqCellKind, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool,
         using generator: inout SeededGenerator) {
        switch kind {
        case .gru:
            self = .gru(GRU(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                            bidirectional: bidirectional, using: &generator))
        case .lstm:
            self = .lstm(LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                              bidirectional: bidirectional, using: &generator))
        }
    }

    /// The layer itself, for the module tree (its parameters are `weight_ih_l0`, …).
    var module: any Module {
        switch self {
        case .gru(let gru): gru
        case .lstm(let lstm): lstm
        }
    }

    /// Runs the stack over `x` (B, T, I) from `state` (each (L·D, B, H); zeros if nil), with
    /// optional ragged `lengths`. Returns the top layer's outputs (B, T, D·H) and final state.
    func callAsFunction(_ x: Tensor, _ state: Seq2SeqState?, lengths: [Int]?) -> (output: Tensor, state: Seq2SeqState) {
        switch self {
        case .gru(let gru):
            let (output, h) = gru(x, state?.h, lengths: lengths)              // (B, T, D·H), (L·D, B, H)
            return (output, Seq2SeqState(h: h))
        case .lstm(let lstm):
            // An LSTM state always has both parts; a GRU-made state has no c, so start c at 0.
            let start = state.map { ($0.h, $0.c ?? Tensor.zeros($0.h.shape)) }  // 2 × (L·D, B, H)
            let (output, final) = lstm(x, start, lengths: lengths)            // (B, T, D·H), 2 × (L·D, B, H)
            return (output, Seq2SeqState(h: final.h, c: final.c))
        }
    }
}
