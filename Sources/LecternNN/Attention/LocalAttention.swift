// Local attention with a predicted window (Luong et al. 2015, "local-p").
//
// Reference: Luong, Pham & Manning, "Effective Approaches to Attention-based Neural Machine
// Translation", EMNLP 2015, §3.2: the model predicts an aligned source position
//     p_t = S · sigmoid(v_pᵀ tanh(W_p h_t))                                       (eq. 9)
// attends only to the window [p_t − D, p_t + D], and favours positions near p_t with a Gaussian
//     a_t(s) = align(h_t, h̄_s) · exp(−(s − p_t)² / (2σ²)),  σ = D / 2           (eq. 10)
// where align is the softmax of the scores over the window. Why: global attention looks at
// every source word for every target word, which costs O(S) per step and spreads weight thin on
// long sentences; a window keeps the cost O(D) and the Gaussian makes p_t learnable (the window
// edges are not differentiable, but exp(−(s − p_t)²/(2σ²)) is).
//
// Departures from the paper: positions are 0-based, so p_t = (S − 1)·sigmoid(·) lies on the
// real positions 0…S−1 of each row (S is that row's real length, not the padded one); the window
// is centred on the nearest position round(p_t), so it always contains at least one real word.

/// Luong's predicted source position p_t = (S − 1) · sigmoid(v_pᵀ tanh(W_p h_t)) for local-p
/// attention, with bias-free Linear layers `W_p` (H → A) and `v_p` (A → 1).
///
///     var rng = SeededGenerator(seed: 0)
///     let position = PredictedPosition(querySize: 8, attentionSize: 8, using: &rng)
///     let p = position(h, sourceLengths: [5, 3])   // h: (2, 8) → (2), p[1] in 0...2
public final class PredictedPosition: Module {
    /// The query projection W_p, a bias-free Linear(H → A); weight (A, H).
    ///
    ///     position.W_p.weight.shape   // [8, 8]
    public let W_p: Linear
    /// The output vector v_p, a bias-free Linear(A → 1); weight (1, A).
    ///
    ///     position.v_p.weight.shape   // [1, 8]
    public let v_p: Linear
    /// Training mode flag (unused: behaves the same in both modes).
    ///
    ///     position.training   // true until eval()
    public var training = true

    /// A predictor with PyTorch's Linear initialisation (W_p, then v_p).
    ///
    ///     let position = PredictedPosition(querySize: 8, attentionSize: 8, using: &rng)
    public init(querySize: Int, attentionSize: Int, using generator: inout SeededGenerator) {
        W_p = Linear(inFeatures: querySize, outFeatures: attentionSize, bias: false, using: &generator)
        v_p = Linear(inFeatures: attentionSize, outFeatures: 1, bias: false, using: &generator)
    }

    /// `W_p`, then `v_p`.
    ///
    ///     position.children.map(\.name)   // ["W_p", "v_p"]
    public var children: NamedModules { [("W_p", W_p), ("v_p", v_p)] }

    /// The predicted position of each row, (B), in 0…sourceLengths[b] − 1.
    ///
    ///     position(h, sourceLengths: [5, 3]).shape   // h: (2, H) → [2]
    ///
    /// - Precondition: `h` is (B, H) with B lengths, each at least 1.
    public func callAsFunction(_ h: Tensor, sourceLengths: [Int]) -> Tensor {
        require(h.rank == 2 && h.shape[0] == sourceLengths.count && sourceLengths.allSatisfy { $0 >= 1 },
                "PredictedPosition: h must be (B, H) with B lengths ≥ 1, got \(h.shape) and \(sourceLengths)")
        let fraction = v_p(W_p(h).tanh()).squeezed(axis: 1).sigmoid()          // (B), in (0, 1)
        let last = Tensor(shape: [sourceLengths.count], scalars: sourceLengths.map { Float($0 - 1) })  // (B)
        return fraction * last                                                  // (B)
    }
}

/// Local-p attention weights (Luong et al. 2015, eq. 10): the softmax of `scores` over the
/// window of real positions s with |s − round(p_b)| ≤ `halfWidth`, times the Gaussian
/// exp(−(s − p_b)² / (2σ²)) with σ = halfWidth / 2; exactly 0 outside the window and at padding.
///
///     let p = position(h, sourceLengths: lengths)                           // (B)
///     let a = localAttentionWeights(scores: e, center: p, sourceLengths: lengths, halfWidth: 2)   // (B, S)
///
/// The weights sum to at most 1 (the Gaussian shrinks them), as in the paper. Gradients flow
/// into `scores` (inside the window) and into `center` through the Gaussian.
///
/// - Precondition: `scores` is (B, S), `center` is (B), lengths in 1...S, `halfWidth` ≥ 1.
public func localAttentionWeights(scores: Tensor, center: Tensor, sourceLengths: [Int], halfWidth: Int) -> Tensor {
    let (b, s) = (scores.shape[0], scores.shape[scores.rank - 1])
    require(scores.rank == 2 && center.shape == [b] && sourceLengths.count == b,
            "localAttentionWeights: scores (B, S), center (B) and B lengths expected, got \(scores.shape), \(center.shape), \(sourceLengths.count) lengths")
    require(halfWidth >= 1, "localAttentionWeights: halfWidth (D) must be at least 1, got \(halfWidth)")
    require(sourceLengths.allSatisfy { (1...s).contains($0) },
            "localAttentionWeights: lengths \(sourceLengths) must lie in 1...\(s)")
    // The window is a hard choice (not differentiable), made from the current value of p.
    let centers = center.scalars.map { Int($0.rounded()) }
    var outside = [Float](repeating: 0, count: b * s)
    for row in 0..<b {
        for j in 0..<s where j >= sourceLengths[row] || Swift.abs(j - centers[row]) > halfWidth {
            outside[row * s + j] = 1
        }
    }
    let align = attentionWeights(scores: scores, excluding: Tensor(shape: [b, s], scalars: outside))    // (B, S)
    let positions = Tensor(shape: [1, s], scalars: (0..<s).map(Float.init))                          // (1, S)
    let sigma = Float(halfWidth) / 2
    let distance = positions - center.unsqueezed(axis: 1)                                             // (B, S)
    let gaussian = (distance * distance * (-1 / (2 * sigma * sigma))).exp()                          // (B, S)
    return align * gaussian                                                                           // (B, S)
}
