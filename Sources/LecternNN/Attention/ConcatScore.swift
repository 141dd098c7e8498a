// Luong's "concat" score: score(s, h_j) = vᵀ tanh(W [s; h_j]).
//
// Reference: Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine
// Translation", EMNLP 2015, §3.1 ("concat"). A one-hidden-layer network on the concatenated
// states; with W split into its s and h columns it equals Bahdanau's additive score, but the
// concatenated form is what the paper writes. Stored as PyTorch modules named `W`
// (`nn.Linear(Hs + He, A, bias=False)`) and `v` (`nn.Linear(A, 1, bias=False)`).

/// The concat score vᵀ tanh(W [s; h_j]), with bias-free Linear layers `W` (Hs + He → A) and
/// `v` (A → 1).
///
///     var rng = SeededGenerator(seed: 0)
///     let score = ConcatScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
///     let e = score(s, h)                    // s: (B, 8), h: (B, S, 6) → (B, S)
///     score.namedParameters().map(\.name)    // ["W.weight", "v.weight"]
public final class ConcatScore: AttentionScore {
    /// The hidden layer on [s; h_j], a bias-free Linear(Hs + He → A); weight (A, Hs + He).
    ///
    ///     score.W.weight.shape   // [10, 14]
    public let W: Linear
    /// The output vector, a bias-free Linear(A → 1); weight (1, A).
    ///
    ///     score.v.weight.shape   // [1, 10]
    public let v: Linear
    /// The size of the decoder state, Hs.
    ///
    ///     score.querySize   // 8
    public let querySize: Int
    /// Training mode flag (unused: the score behaves the same in both modes).
    ///
    ///     score.training   // true until eval()
    public var training = true

    /// The size of an encoder state, He.
    ///
    ///     score.keySize   // 6
    public var keySize: Int { W.inFeatures - querySize }

    /// A score with PyTorch's Linear initialisation (W drawn first, then v).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let score = ConcatScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
    public init(querySize: Int, keySize: Int, attentionSize: Int, using generator: inout SeededGenerator) {
        self.querySize = querySize
        W = Linear(inFeatures: querySize + keySize, outFeatures: attentionSize, bias: false, using: &generator)
        v = Linear(inFeatures: attentionSize, outFeatures: 1, bias: false, using: &generator)
    }

    /// `W` then `v`, as PyTorch registers them.
    ///
    ///     score.children.map(\.name)   // ["W", "v"]
    public var children: NamedModules { [("W", W), ("v", v)] }

    /// The scores vᵀ tanh(W [s; h_j]), shape (B, S).
    ///
    ///     score(s, h).shape   // s: (B, Hs), h: (B, S, He) → [B, S]
    ///
    /// - Precondition: s is (B, Hs) and h is (B, S, He).
    public func callAsFunction(_ s: Tensor, _ h: Tensor) -> Tensor {
        checkScoreShapes(s, h, querySize: querySize, keySize: keySize, "ConcatScore")
        let (b, length) = (h.shape[0], h.shape[1])
        // The same s is paired with every h_j, so it is repeated along S before concatenating.
        let repeated = s.unsqueezed(axis: 1).broadcasted(to: [b, length, querySize])   // (B, S, Hs)
        let pairs = Tensor.concat([repeated, h], axis: 2)        // (B, S, Hs + He)
        let hidden = W(pairs).tanh()                             // (B, S, A)
        return v(hidden).squeezed(axis: 2)                       // (B, S, 1) → (B, S)
    }
}
