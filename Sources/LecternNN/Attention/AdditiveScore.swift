// Bahdanau's additive score: score(s, h_j) = vᵀ tanh(W s + U h_j).
//
// Reference: Bahdanau, Cho & Bengio, "Neural Machine Translation by Jointly Learning to Align
// and Translate", ICLR 2015, §3.1 and appendix A.1.2 (e_ij = v_aᵀ tanh(W_a s_{i−1} + U_a h_j)).
// Why two projections instead of one on [s; h_j]: U h_j does not depend on the decoder step,
// so it can be computed once per sentence, and W s once per step — the paper's own remark.
// Stored as PyTorch modules `W` (`nn.Linear(Hs, A, bias=False)`), `U` (`nn.Linear(He, A,
// bias=False)`) and `v` (`nn.Linear(A, 1, bias=False)`), bias-free as in the paper.

/// The additive (Bahdanau) score vᵀ tanh(W s + U h_j), with bias-free Linear layers `W`
/// (Hs → A), `U` (He → A) and `v` (A → 1).
///
///     var rng = SeededGenerator(seed: 0)
///     let score = AdditiveScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
///     let e = score(s, h)                    // s: (B, 8), h: (B, S, 6) → (B, S)
///     score.namedParameters().map(\.name)    // ["W.weight", "U.weight", "v.weight"]
public final class AdditiveScore: AttentionScore {
    /// The decoder projection, a bias-free Linear(Hs → A); weight (A, Hs).
    ///
    ///     score.W.weight.shape   // [10, 8]
    public let W: Linear
    /// The encoder projection, a bias-free Linear(He → A); weight (A, He).
    ///
    ///     score.U.weight.shape   // [10, 6]
    public let U: Linear
    /// The output vector, a bias-free Linear(A → 1); weight (1, A).
    ///
    ///     score.v.weight.shape   // [1, 10]
    public let v: Linear
    /// Training mode flag (unused: the score behaves the same in both modes).
    ///
    ///     score.training   // true until eval()
    public var training = true

    /// The size of the decoder state, Hs.
    ///
    ///     score.querySize   // 8
    public var querySize: Int { W.inFeatures }
    /// The size of an encoder state, He.
    ///
    ///     score.keySize   // 6
    public var keySize: Int { U.inFeatures }

    /// A score with PyTorch's Linear initialisation (W, then U, then v).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let score = AdditiveScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
    public init(querySize: Int, keySize: Int, attentionSize: Int, using generator: inout SeededGenerator) {
        W = Linear(inFeatures: querySize, outFeatures: attentionSize, bias: false, using: &generator)
        U = Linear(inFeatures: keySize, outFeatures: attentionSize, bias: false, using: &generator)
        v = Linear(inFeatures: attentionSize, outFeatures: 1, bias: false, using: &generator)
    }

    /// `W`, `U`, then `v`, as PyTorch registers them.
    ///
    ///     score.children.map(\.name)   // ["W", "U", "v"]
    public var children: NamedModules { [("W", W), ("U", U), ("v", v)] }

    /// The scores vᵀ tanh(W s + U h_j), shape (B, S).
    ///
    ///     score(s, h).shape   // s: (B, Hs), h: (B, S, He) → [B, S]
    ///
    /// - Precondition: s is (B, Hs) and h is (B, S, He).
    public func callAsFunction(_ s: Tensor, _ h: Tensor) -> Tensor {
        checkScoreShapes(s, h, querySize: querySize, keySize: keySize, "AdditiveScore")
        let query = W(s).unsqueezed(axis: 1)                     // (B, A) → (B, 1, A)
        let keys = U(h)                                          // (B, S, A)
        let hidden = (query + keys).tanh()                       // (B, S, A), query broadcast over S
        return v(hidden).squeezed(axis: 2)                       // (B, S, 1) → (B, S)
    }
}
