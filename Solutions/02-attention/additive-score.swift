/// Bahdanau's additive score e[b, j] = v · tanh(W·query[b] + U·keys[b, j]).
/// query (B, Hs), keys (B, S, He); W (A, Hs), U (A, He), v (1, A), stored (out, in). Returns (B, S).
func additiveScores(query: Tensor, keys: Tensor, W: Tensor, U: Tensor, v: Tensor) -> Tensor {
    let fromQuery = query.matmul(W.transposed(0, 1)).unsqueezed(axis: 1)   // (B, 1, A)
    let fromKeys = keys.matmul(U.transposed(0, 1))                         // (B, S, A)
    let hidden = (fromQuery + fromKeys).tanh()                             // (B, S, A): the query broadcasts over S
    return hidden.matmul(v.transposed(0, 1)).squeezed(axis: 2)             // (B, S, 1) → (B, S)
}
