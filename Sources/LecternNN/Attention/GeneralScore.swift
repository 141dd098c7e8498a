// Luong's "general" (bilinear) score: score(s, h_j) = sᵀ W h_j.
//
// Reference: Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine
// Translation", EMNLP 2015, §3.1 ("general"). W maps encoder space to decoder space, so Hs and
// He may differ. It is stored as PyTorch's `nn.Linear(He, Hs, bias=False)` named `W`
// (parameter `W.weight`, shape (Hs, He)), so that W h_j is computed once per source position
// and reused for every decoder step.

/// The bilinear score sᵀ W h_j, with W a bias-free ``Linear`` from He to Hs.
///
///     var rng = SeededGenerator(seed: 0)
///     let score = GeneralScore(querySize: 8, keySize: 6, using: &rng)
///     let e = score(s, h)                    // s: (B, 8), h: (B, S, 6) → (B, S)
///     score.namedParameters().map(\.name)    // ["W.weight"]
public final class GeneralScore: AttentionScore {
    /// The bilinear map, a bias-free Linear(He → Hs); its weight has shape (Hs, He).
    ///
    ///     score.W.weight.shape   // [8, 6]
    public let W: Linear
    /// Training mode flag (unused: the score behaves the same in both modes).
    ///
    ///     score.training   // true until eval()
    public var training = true

    /// The size of the decoder state, Hs.
    ///
    ///     score.querySize   // 8
    public var querySize: Int { W.outFeatures }
    /// The size of an encoder state, He.
    ///
    ///     score.keySize   // 6
    public var keySize: Int { W.inFeatures }

    /// A score with PyTorch's Linear initialisation, U(−1/√He, 1/√He).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let score = GeneralScore(querySize: 8, keySize: 6, using: &rng)
    public init(querySize: Int, keySize: Int, using generator: inout SeededGenerator) {
        W = Linear(inFeatures: keySize, outFeatures: querySize, bias: false, using: &generator)
    }

    /// `W`, as PyTorch names the attribute.
    ///
    ///     score.children.map(\.name)   // ["W"]
    public var children: NamedModules { [("W", W)] }

    /// The scores sᵀ W h_j, shape (B, S).
    ///
    ///     score(s, h).shape   // s: (B, Hs), h: (B, S, He) → [B, S]
    ///
    /// - Precondition: s is (B, Hs) and h is (B, S, He).
    public func callAsFunction(_ s: Tensor, _ h: Tensor) -> Tensor {
        checkScoreShapes(s, h, querySize: querySize, keySize: keySize, "GeneralScore")
        // W h_j first: it depends only on the encoder, so a decoder could cache it per sentence.
        let keys = W(h)                                          // (B, S, Hs)
        return dotScores(s, keys)                                // (B, S)
    }
}
