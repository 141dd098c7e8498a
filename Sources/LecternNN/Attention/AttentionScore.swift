// The score function of attention: how well a decoder state matches each encoder state.
//
// Reference: Bahdanau, Cho & Bengio, "Neural Machine Translation by Jointly Learning to Align
// and Translate", ICLR 2015 (additive score, §3.1); Luong, Pham & Manning, "Effective
// Approaches to Attention-based Neural Machine Translation", EMNLP 2015 (dot, general and
// concat scores, §3.1). One protocol so that a decoder can take any of the four and a lesson
// can swap them without touching the rest of the model.

/// A score function: a decoder state s (B, Hs) against encoder states h (B, S, He) gives one
/// unnormalised score per source position, (B, S).
///
///     var rng = SeededGenerator(seed: 0)
///     let score: any AttentionScore = AdditiveScore(querySize: 8, keySize: 6, attentionSize: 5, using: &rng)
///     let e = score(s, h)                                         // s: (B, 8), h: (B, S, 6) → (B, S)
///     let a = attentionWeights(scores: e, sourceLengths: [S, 2])  // (B, S)
///     let c = attentionContext(weights: a, values: h)                      // (B, 6)
public protocol AttentionScore: Module {
    /// The scores of the decoder state `s` (B, Hs) against each encoder state of `h`
    /// (B, S, He): shape (B, S).
    ///
    ///     score(s, h).shape   // [B, S]
    func callAsFunction(_ s: Tensor, _ h: Tensor) -> Tensor
}

/// Checks the shapes every score function requires: s (B, Hs), h (B, S, He), same B.
func checkScoreShapes(_ s: Tensor, _ h: Tensor, querySize: Int, keySize: Int, _ name: String) {
    require(s.rank == 2 && s.shape[1] == querySize,
            "\(name): the decoder state must have shape (B, \(querySize)), got \(s.shape)")
    require(h.rank == 3 && h.shape[2] == keySize,
            "\(name): the encoder states must have shape (B, S, \(keySize)), got \(h.shape)")
    require(s.shape[0] == h.shape[0],
            "\(name): batch sizes differ: decoder state \(s.shape), encoder states \(h.shape)")
}
