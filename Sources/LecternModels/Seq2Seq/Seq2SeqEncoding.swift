// Encoding a padded source batch into the decoder's starting state (the context c).
//
// Reference: Sutskever et al. (2014) §2 and Cho et al. (2014) §2.2 (the encoder's last
// hidden state summarises the source); Bahdanau et al. (2015), appendix A.2.2, for starting a
// decoder from a bidirectional encoder through tanh(W·h + b). Why lengths matter: without
// them a short sequence in a padded batch would keep updating its state on `<pad>` tokens, so
// the context (and every prediction) would depend on how much padding the batch happened to
// need; with them the recurrent layers freeze each row's state after its last real token.

extension Seq2SeqModel {
    /// Encodes `source` (B rows of equal length, padded with `padID` at the end) into the
    /// decoder's starting state, (L, B, H) per tensor. Trailing padding is never read.
    ///
    ///     let context = model.encode([[3, 4, 5], [6, 0, 0]])
    ///     context.h.shape   // [L, 2, H]
    ///
    /// - Parameter lengths: the real length of each row, in 1...S; default ``sourceLengths(_:)``.
    public func encode(_ source: [[Int]], lengths: [Int]? = nil) -> Seq2SeqState {
        require(!source.isEmpty && !source[0].isEmpty, "Seq2SeqModel.encode: the source batch is empty")
        let x = embedding(source)                                                  // (B, S, E)
        let (_, final) = encoderStack(x, nil, lengths: lengths ?? sourceLengths(source))  // (L·D, B, H)
        return bridgeEncoderState(final, bridge: bridge, cellBridge: cellBridge, numLayers: config.numLayers)  // (L, B, H)
    }
}

/// The bridges a model with `config` needs, drawn from `generator`: for a bidirectional
/// encoder a Linear(2H → H) for h, and for an LSTM a second one for the cell state c; nil
/// otherwise. Shared by ``Seq2SeqModel`` and ``AttentionSeq2SeqModel``.
func makeBridges(_ config: Seq2SeqConfig, using generator: inout SeededGenerator) -> (bridge: Linear?, cellBridge: Linear?) {
    guard config.bidirectionalEncoder else { return (nil, nil) }
    let h = config.hiddenSize
    let bridge = Linear(inFeatures: 2 * h, outFeatures: h, using: &generator)
    let cellBridge = config.cell == .lstm ? Linear(inFeatures: 2 * h, outFeatures: h, using: &generator) : nil
    return (bridge, cellBridge)
}

/// The decoder's starting state from an encoder's final state: unchanged for a
/// unidirectional encoder (`bridge` nil); for a bidirectional one, each layer's [h→; h←]
/// through tanh(bridge(·)), and an LSTM's cell states through `cellBridge` (no tanh: c is not
/// bounded). Shared by ``Seq2SeqModel`` and ``AttentionSeq2SeqModel``.
func bridgeEncoderState(_ final: Seq2SeqState, bridge: Linear?, cellBridge: Linear?, numLayers: Int) -> Seq2SeqState {
    guard let bridge else { return final }                                           // (L, B, H)
    let h = bridge(joinDirections(final.h, numLayers: numLayers)).tanh()             // (L, B, H)
    let c = final.c.map { cellBridge!(joinDirections($0, numLayers: numLayers)) }   // (L, B, H)
    return Seq2SeqState(h: h, c: c)
}

/// A bidirectional stack's final state (L·2, B, H), ordered l0 forward, l0 reverse, l1
/// forward, …, as each layer's [forward; reverse] concatenation (L, B, 2H).
private func joinDirections(_ state: Tensor, numLayers: Int) -> Tensor {
    let (b, h) = (state.shape[1], state.shape[2])
    return state.reshaped([numLayers, 2, b, h])   // (L, 2, B, H)
        .permuted([0, 2, 1, 3])                   // (L, B, 2, H)
        .reshaped([numLayers, b, 2 * h])          // (L, B, 2H)
}
