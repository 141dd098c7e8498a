// The context vector: the attention-weighted average of the encoder states.
//
// Reference: Bahdanau et al. 2015, eq. 5 (c_i = Σ_j α_ij h_j) and Luong et al. 2015, §3.1
// (c_t, "the weighted average over all the source hidden states").

/// The weighted sum Σ_j weights[b, j] · values[b, j, :], shape (B, He).
///
///     let a = attentionWeights(scores: score(s, h), sourceLengths: lengths)   // (B, S)
///     let c = attentionContext(weights: a, values: h)                                  // h: (B, S, He) → (B, He)
///
/// - Precondition: `weights` is (B, S) and `values` is (B, S, He).
public func attentionContext(weights: Tensor, values: Tensor) -> Tensor {
    require(weights.rank == 2 && values.rank == 3 && Array(values.shape.prefix(2)) == weights.shape,
            "attentionContext: weights (B, S) and values (B, S, He) do not match: \(weights.shape) and \(values.shape)")
    // One batched (1, S)·(S, He) product per row instead of a broadcast multiply and sum.
    return weights.unsqueezed(axis: 1)                          // (B, 1, S)
        .matmul(values)                                         // (B, 1, S)·(B, S, He) → (B, 1, He)
        .squeezed(axis: 1)                                      // (B, He)
}
