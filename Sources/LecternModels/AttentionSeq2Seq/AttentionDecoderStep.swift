// One decoder step with attention, in Bahdanau's order (attend, then step) or Luong's (step,
// then attend).
//
// Reference: Bahdanau et al. (2015) §3.1 and appendix A.2.2 (e_ij = a(s_{i−1}, h_j), c_i
// enters the recurrent update of s_i); Luong et al. (2015) §3 (h_t first, then a_t, c_t and
// h̃_t = tanh(W_c [c_t; h_t]), eq. 5; local-p eq. 9–10; input feeding §3.3). The order matters
// for what the query knows: Bahdanau's query s_{i−1} has not seen y_{i−1} yet, Luong's h_t has.

extension AttentionSeq2SeqModel {
    /// The attention weights (B, S) of `query` (B, H) over the encoded source, and the context
    /// Σ_j α_j h_j (B, D·H), with this model's score and alignment.
    ///
    ///     let (context, weights) = model.attend(query, to: state.source)
    public func attend(_ query: Tensor, to source: EncodedSource) -> (context: Tensor, weights: Tensor) {
        let scores = attention(query, source.states)                                     // (B, S)
        let weights: Tensor
        switch attentionConfig.alignment {
        case .global:
            weights = attentionWeights(scores: scores, sourceLengths: source.lengths)     // (B, S)
        case .local:
            let center = position!(query, sourceLengths: source.lengths)                  // (B)
            weights = localAttentionWeights(scores: scores, center: center, sourceLengths: source.lengths,
                                            halfWidth: attentionConfig.window)           // (B, S)
        case .hard:
            weights = hardAttentionWeights(attentionWeights(scores: scores, sourceLengths: source.lengths))  // (B, S)
        }
        return (attentionContext(weights: weights, values: source.states), weights)      // (B, D·H), (B, S)
    }

    /// One decoder step: reads one token per row and returns the next token's logits (B, V)
    /// and the new state, whose `weights` are where this step attended (B, S).
    ///
    ///     var state = model.startDecoding(source, sourceLengths: nil)
    ///     let (logits, next) = model.decodeStep([1, 1], from: state)   // (2, V)
    public func decodeStep(_ previous: [Int], from state: AttentionDecodingState) -> (logits: Tensor, state: AttentionDecodingState) {
        require(previous.count == state.source.lengths.count,
                "AttentionSeq2SeqModel.decodeStep: \(previous.count) tokens for a batch of \(state.source.lengths.count)")
        let y = embedding(previous)                                                       // (B, E)
        var next = state
        switch attentionConfig.style {
        case .bahdanau:
            let query = state.recurrent.h.index(axis: 0, config.numLayers - 1)            // (B, H): s_{i−1}, top layer
            let (context, weights) = attend(query, to: state.source)                      // (B, D·H), (B, S)
            let input = Tensor.concat([y, context], axis: 1).unsqueezed(axis: 1)          // (B, 1, E + D·H)
            let (out, recurrent) = decoderStack(input, state.recurrent, lengths: nil)     // (B, 1, H), (L, B, H)
            let s = out.squeezed(axis: 1)                                                 // (B, H): s_i
            next.recurrent = recurrent
            next.weights = weights
            return (output(Tensor.concat([s, context], axis: 1)), next)                   // (B, H + D·H) → (B, V)
        case .luong:
            var input = y                                                                 // (B, E)
            if attentionConfig.inputFeeding {
                let fed = state.attentional ?? Tensor.zeros([previous.count, config.hiddenSize])  // (B, H): h̃_{t−1}
                input = Tensor.concat([y, fed], axis: 1)                                  // (B, E + H)
            }
            let (out, recurrent) = decoderStack(input.unsqueezed(axis: 1), state.recurrent, lengths: nil)  // (B, 1, H)
            let h = out.squeezed(axis: 1)                                                 // (B, H): h_t
            let (context, weights) = attend(h, to: state.source)                          // (B, D·H), (B, S)
            let attentional = combine!(Tensor.concat([context, h], axis: 1)).tanh()       // (B, H): h̃_t
            next.recurrent = recurrent
            next.weights = weights
            next.attentional = attentional
            return (output(attentional), next)                                            // (B, V)
        }
    }
}
