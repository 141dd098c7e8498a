// The dot-product score: score(s, h_j) = sᵀ h_j.
//
// Reference: Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine
// Translation", EMNLP 2015, §3.1 ("dot"). No parameters, so the decoder and encoder states
// must live in the same space (Hs == He); it is the cheapest score and the ancestor of the
// Transformer's scaled dot product.

/// The parameterless dot-product score, sᵀh_j for every source position j.
///
///     let score = DotScore()
///     let e = score(s, h)              // s: (B, H), h: (B, S, H) → (B, S)
///     score.namedParameters().isEmpty  // true
public final class DotScore: AttentionScore {
    /// Training mode flag (unused: the score behaves the same in both modes).
    ///
    ///     DotScore().training   // true until eval()
    public var training = true

    /// A dot-product score (it has nothing to initialise).
    ///
    ///     let score = DotScore()
    public init() {}

    /// The scores sᵀh_j, shape (B, S).
    ///
    ///     DotScore()(s, h).shape   // s: (B, H), h: (B, S, H) → [B, S]
    ///
    /// - Precondition: s is (B, H) and h is (B, S, H) with the same B and H.
    public func callAsFunction(_ s: Tensor, _ h: Tensor) -> Tensor {
        require(s.rank == 2, "DotScore: the decoder state must have shape (B, H), got \(s.shape)")
        checkScoreShapes(s, h, querySize: s.shape[1], keySize: s.shape[1], "DotScore")
        return dotScores(s, h)                                   // (B, S)
    }
}

/// sᵀh_j for each j as one batched product: (B, S, H)·(B, H, 1) → (B, S).
///
///     dotScores(s, h)   // s: (B, H), h: (B, S, H) → (B, S)
func dotScores(_ s: Tensor, _ h: Tensor) -> Tensor {
    // A batched matrix–vector product rather than an elementwise product and sum: BLAS does
    // it in one call and nothing of size (B, S, H) is materialised for the backward pass.
    h.matmul(s.unsqueezed(axis: 2))                              // (B, S, H)·(B, H, 1) → (B, S, 1)
        .squeezed(axis: 2)                                       // (B, S)
}
