/// The context vector c[b] = Σ_j weights[b, j] · values[b, j].
/// weights is (B, S), values is (B, S, H); returns (B, H).
func contextVector(weights: Tensor, values: Tensor) -> Tensor {
    weights.unsqueezed(axis: 1)   // (B, 1, S)
        .matmul(values)           // (B, 1, S)·(B, S, H) → (B, 1, H)
        .squeezed(axis: 1)        // (B, H)
}
