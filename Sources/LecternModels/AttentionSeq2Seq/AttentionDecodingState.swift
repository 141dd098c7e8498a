// What an attention decoder carries from one step to the next.
//
// Reference: Bahdanau et al. (2015) §3.1 and Luong et al. (2015) §3: the decoder keeps its
// recurrent state, and every step looks back at all the encoder's states (the "annotations"
// h_j, or "source hidden states" h̄_s) — so unlike Lesson 1's decoder, the encoded source is
// part of the state, not only its summary. Luong's input feeding also carries the previous
// attentional vector h̃_{t−1}.

/// The encoder's output for a batch: one state per source position and each row's length.
///
///     let (source, start) = model.encode([[3, 4, 5], [6, 0, 0]])
///     source.states.shape   // [2, 3, 2H] for a bidirectional encoder
///     source.lengths        // [3, 1]
public struct EncodedSource: Sendable {
    /// The encoder's top-layer outputs, (B, S, D·H): [h→_j; h←_j] for a bidirectional encoder.
    /// Positions past a row's length are never attended to.
    ///
    ///     source.states.shape   // [B, S, 2H]
    public var states: Tensor
    /// The real length of each row, in 1...S.
    ///
    ///     source.lengths   // [3, 1]
    public var lengths: [Int]

    /// An encoded source from its states and lengths.
    ///
    ///     let source = EncodedSource(states: Tensor.zeros([1, 4, 8]), lengths: [4])
    public init(states: Tensor, lengths: [Int]) {
        self.states = states
        self.lengths = lengths
    }
}

/// An attention decoder's state between steps.
///
///     var state = model.startDecoding([[3, 4, 5]], sourceLengths: nil)
///     let (logits, next) = model.decodeStep([1], from: state)   // (1, V)
///     next.weights?.shape                                       // [1, 3]: where step 1 looked
public struct AttentionDecodingState: Sendable {
    /// The encoded source every step attends to.
    ///
    ///     state.source.states.shape   // [B, S, D·H]
    public var source: EncodedSource
    /// The decoder's recurrent state, (L, B, H) per tensor.
    ///
    ///     state.recurrent.h.shape   // [L, B, H]
    public var recurrent: Seq2SeqState
    /// Luong's attentional vector h̃ of the last step, (B, H), for input feeding; nil before
    /// the first step and in models without input feeding.
    ///
    ///     state.attentional?.shape   // [B, H]
    public var attentional: Tensor?
    /// The attention weights of the last step, (B, S); nil before the first step.
    ///
    ///     state.weights?.sum(axis: 1)   // ≈ 1 per row for global attention
    public var weights: Tensor?

    /// A state from its parts.
    ///
    ///     let state = AttentionDecodingState(source: source, recurrent: start)
    public init(source: EncodedSource, recurrent: Seq2SeqState, attentional: Tensor? = nil, weights: Tensor? = nil) {
        self.source = source
        self.recurrent = recurrent
        self.attentional = attentional
        self.weights = weights
    }
}
