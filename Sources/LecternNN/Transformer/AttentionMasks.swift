// Which keys each query may attend to: the padding mask and the causal (look-ahead) mask.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.2.3 (the decoder's
// self-attention is masked "to prevent leftward information flow"), and Hugging Face's
// convention for `attention_mask` (transformers' `modeling_attn_mask_utils.py`):
//
//     1 = a real token, attend to it        0 = padding, never attend to it
//
// The RNN attention of Lesson 2 uses the opposite form, the one `maskedFill` takes (1 marks
// what to hide): that is `paddingPositions(lengths:maxLength:)`. The names say which is which.
//
// The causal mask is aligned to the bottom-right corner of the (T, S) score matrix. With a
// key/value cache the decoder feeds only its T newest tokens as queries, while the keys are
// all S tokens so far; query i is then the token at absolute position S − T + i and may see
// keys 0 … S − T + i. When T = S this is the familiar lower triangle.

/// Hugging Face's `attention_mask` for a batch with the given real lengths: (B, S), 1 at the
/// first `lengths[b]` positions of row b (real tokens), 0 after them (padding).
///
///     attentionMask(lengths: [3, 1], maxLength: 3).scalars   // [1, 1, 1,  1, 0, 0]
///
/// - Precondition: every length is in 0...maxLength.
public func attentionMask(lengths: [Int], maxLength: Int) -> Tensor {
    require(lengths.allSatisfy { (0...maxLength).contains($0) },
            "attentionMask: lengths \(lengths) must lie in 0...\(maxLength)")
    let flags = lengths.flatMap { length in (0..<maxLength).map { $0 < length ? Float(1) : 0 } }
    return Tensor(shape: [lengths.count, maxLength], scalars: flags)   // (B, S)
}

/// The causal mask of `queryLength` queries over `keyLength` keys: (T, S), 1 where query i may
/// attend to key j, that is j ≤ i + (S − T), and 0 at the future. Bottom-right aligned, so the
/// last query sees every key (the decoding-with-a-cache case, T < S).
///
///     causalMask(queryLength: 3, keyLength: 3).scalars   // [1, 0, 0,
///                                                         //  1, 1, 0,
///                                                         //  1, 1, 1]
///     causalMask(queryLength: 1, keyLength: 3).scalars   // [1, 1, 1]   (one new token, two cached)
///
/// - Precondition: `0 < queryLength ≤ keyLength`.
public func causalMask(queryLength: Int, keyLength: Int) -> Tensor {
    require(queryLength > 0 && queryLength <= keyLength,
            "causalMask: need 0 < queryLength ≤ keyLength (the queries are the newest keys), got \(queryLength) queries and \(keyLength) keys")
    let offset = keyLength - queryLength
    var flags = [Float](repeating: 0, count: queryLength * keyLength)
    for i in 0..<queryLength {
        for j in 0...(i + offset) { flags[i * keyLength + j] = 1 }
    }
    return Tensor(shape: [queryLength, keyLength], scalars: flags)   // (T, S)
}

/// An `attention_mask` (1 = attend) as the rank-4 view the fused attention kernel reads
/// through broadcast strides, (B|1, heads|1, T|1, S), without copying or expanding it; nil for
/// no mask. The causal rule is not folded in: the kernel applies it by position.
///
/// `attentionMask` may be (B, S), HF's 2-D padding mask; (B, T, S), a mask per query; or rank 4,
/// broadcastable to (B, heads, T, S).
func allowedScores(attentionMask: Tensor?, queryLength t: Int, keyLength s: Int) -> Tensor? {
    guard let mask = attentionMask else { return nil }
    switch mask.rank {
    case 2:
        require(mask.shape[1] == s, "attention: an attention mask of shape \(mask.shape) for \(s) keys; a 2-D mask is (B, S) with S = \(s)")
        return mask.reshaped([mask.shape[0], 1, 1, s])                       // (B, 1, 1, S)
    case 3:
        require(Array(mask.shape.suffix(2)) == [t, s], "attention: an attention mask of shape \(mask.shape) for \(t) queries and \(s) keys; a 3-D mask is (B, T, S)")
        return mask.unsqueezed(axis: 1)                                      // (B, 1, T, S)
    case 4:
        require(mask.shape[3] == s && (mask.shape[2] == t || mask.shape[2] == 1),
                "attention: a 4-D attention mask of shape \(mask.shape) for \(t) queries and \(s) keys; it must be (B|1, heads|1, \(t)|1, \(s))")
        return mask                                                          // (B|1, nh|1, T|1, S)
    default:
        fatalError("attention: an attention mask must be (B, S), (B, T, S) or 4-D, got shape \(mask.shape)")
    }
}
