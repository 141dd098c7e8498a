// The recurrent state passed from the encoder to the decoder: the "context" c.
//
// Reference: Sutskever et al. (2014) §2 (the LSTM's last hidden state represents the input
// sequence, and the decoder LSTM starts from it); Cho et al. (2014) §2.2 (the summary c of the
// whole input). Why one type for both cells: the decoding loop carries the state from step to
// step without caring whether it is a GRU's h or an LSTM's (h, c).

/// A stack's recurrent state: h, plus the cell state c for an LSTM; each (L, B, H).
///
///     let context = model.encode(source)   // the decoder's starting state
///     context.h.shape                      // [L, B, H]
///     context.c?.shape                     // [L, B, H] for an LSTM, nil for a GRU
public struct Seq2SeqState: Sendable {
    /// The hidden state, (L, B, H) (layer 0 first).
    ///
    ///     context.h.index(axis: 0, 0)   // (B, H): layer 0's state
    public var h: Tensor
    /// The LSTM cell state, (L, B, H); nil for a GRU.
    ///
    ///     context.c == nil   // a GRU model
    public var c: Tensor?

    /// A state from its tensors.
    ///
    ///     let state = Seq2SeqState(h: Tensor.zeros([1, 2, 8]), c: nil)
    public init(h: Tensor, c: Tensor? = nil) {
        self.h = h
        self.c = c
    }
}
