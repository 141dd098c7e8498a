// Scaled dot-product attention: softmax(Q Kᵀ / √d_k) V, for every head and query at once.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.2.1, eq. (1), and
// `torch.nn.functional.scaled_dot_product_attention` (PyTorch 2.x) for the argument names
// (`attn_mask`, `is_causal`, `scale`, dropout on the weights).
//
//     scores  = Q Kᵀ · scale             (B, nh, T, S)   scale = 1/√d_k by default
//     weights = softmax(scores + mask)   (B, nh, T, S)   each row sums to 1 over the S keys
//     output  = weights V                (B, nh, T, d_v)
//
// Why 1/√d_k: if the components of q and k are independent with mean 0 and variance 1, their
// dot product has variance d_k. Unscaled scores of 64-dimensional heads have a standard
// deviation of 8, the softmax saturates to nearly one-hot, and its gradient vanishes.
//
// Masking follows Hugging Face (`attention_mask`: 1 = attend, 0 = hide) and fills hidden scores
// with the most negative finite Float, −3.4028235e38, as transformers does with
// `torch.finfo(dtype).min`. e^(min − max) underflows to exactly 0, so a hidden key gets exactly
// zero weight as with −∞; but a row whose keys are *all* hidden (a padding query, say) becomes a
// row of equal scores and a uniform softmax, never 0/0 = NaN, which would poison every gradient
// that touches it. (PyTorch's `nn.MultiheadAttention` fills with −∞ and returns NaN there.)
//
// The computation is one fused operation of the tensor core (`Tensor.attention`,
// LecternCore/Attention/FusedAttention.swift): the products read K transposed in place, the mask
// is read through broadcast strides, the softmax runs in the scores' buffer, and the backward
// pass is written by hand. Lesson 3 builds the same thing from matmul, maskedFill and softmax.

/// Scaled dot-product attention over heads: `softmax(query · keyᵀ · scale) · value`, with
/// hidden keys getting exactly zero weight. Returns the output and the attention weights.
///
///     var rng = SeededGenerator(seed: 0)
///     let q = Tensor.randn([2, 4, 5, 16], using: &rng)   // (B, nh, T, hs)
///     let k = Tensor.randn([2, 4, 7, 16], using: &rng)   // (B, nh, S, hs)
///     let v = Tensor.randn([2, 4, 7, 16], using: &rng)   // (B, nh, S, hs)
///     let padding = attentionMask(lengths: [7, 3], maxLength: 7)        // (B, S): 1 = attend
///     let (out, w) = scaledDotProductAttention(query: q, key: k, value: v, attentionMask: padding)
///     out.shape   // [2, 4, 5, 16]
///     w.shape     // [2, 4, 5, 7]; w[1, :, :, 3...] == 0
///
/// - Parameters:
///   - query: (B, nh, T, d_k), one query per row.
///   - key: (B, nh, S, d_k).
///   - value: (B, nh, S, d_v).
///   - attentionMask: which keys may be attended, nonzero = attend (Hugging Face's convention):
///     (B, S) a padding mask, (B, T, S) a mask per query, or a rank-4 mask broadcastable to
///     (B, nh, T, S).
///   - isCausal: also hide the future: query i sees keys j ≤ i + S − T (bottom-right aligned,
///     so the last query sees every key; see ``causalMask(queryLength:keyLength:)``).
///   - scale: the factor on the scores; default 1/√d_k.
///   - dropout: applied to the weights in training mode (the paper's attention dropout).
/// - Returns: `output` (B, nh, T, d_v) and `weights` (B, nh, T, S), the softmax rows (before
///   dropout).
/// - Precondition: the four leading shapes agree as above; with `isCausal`, T ≤ S.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, attentionMask: Tensor? = nil,
                                      isCausal: Bool = false, scale: Float? = nil,
                                      dropout: Dropout? = nil) -> (output: Tensor, weights: Tensor) {
    require(query.rank == 4 && key.rank == 4 && value.rank == 4,
            "scaledDotProductAttention: query, key and value must be (B, heads, length, headDim), got \(query.shape), \(key.shape), \(value.shape)")
    let (t, s, dk) = (query.shape[2], key.shape[2], query.shape[3])
    require(key.shape[3] == dk && Array(key.shape.prefix(2)) == Array(query.shape.prefix(2)),
            "scaledDotProductAttention: key \(key.shape) does not match query \(query.shape): (B, heads) and headDim must agree")
    require(Array(value.shape.prefix(3)) == Array(key.shape.prefix(3)),
            "scaledDotProductAttention: value \(value.shape) must have the key's (B, heads, S) = \(Array(key.shape.prefix(3)))")
    let allowed = allowedScores(attentionMask: attentionMask, queryLength: t, keyLength: s)   // (B|1, nh|1, T|1, S)
    let batchHeads = Array(query.shape.prefix(2))
    return Tensor.attention(query: .heads(query), key: .heads(key), value: .heads(value), allowed: allowed,
                            isCausal: isCausal, scale: scale,
                            dropoutMask: dropout?.mask(batchHeads + [t, s]))   // (B, nh, T, d_v), (B, nh, T, S)
}
