/// Luong's "general" score e[b, j] = query[b]ᵀ · W · keys[b, j].
/// query is (B, Hs), keys is (B, S, He), W is (Hs, He); returns (B, S).
func generalScores(query: Tensor, keys: Tensor, W: Tensor) -> Tensor {
    // W h_j first (it does not depend on the query), then dot products with the query.
    let mapped = keys.matmul(W.transposed(0, 1))    // (B, S, He)·(He, Hs) → (B, S, Hs)
    return mapped.matmul(query.unsqueezed(axis: 2)) // (B, S, Hs)·(B, Hs, 1) → (B, S, 1)
        .squeezed(axis: 2)                          // (B, S)
}
