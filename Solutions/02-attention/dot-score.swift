/// The dot-product score e[b, j] = query[b] · keys[b, j] (Luong et al. 2015, "dot").
/// query is (B, H), keys is (B, S, H); returns (B, S).
func dotScores(query: Tensor, keys: Tensor) -> Tensor {
    // Each batch row is a matrix–vector product, (S, H)·(H, 1): one batched matmul does all of
    // them and nothing of size (B, S, H) is kept for the backward pass.
    keys.matmul(query.unsqueezed(axis: 2))   // (B, S, H)·(B, H, 1) → (B, S, 1)
        .squeezed(axis: 2)                   // (B, S)
}
