/// (B, T, d) → (B, heads, T, d / heads): each token's vector read as `heads` groups, and the
/// head axis moved in front of time.
func splitIntoHeads(_ x: Tensor, heads: Int) -> Tensor {
    let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    return x.reshaped([b, t, heads, d / heads])      // (B, T, heads, hs)
        .permuted([0, 2, 1, 3])                      // (B, heads, T, hs)
}

/// (B, heads, T, hs) → (B, T, heads · hs): the heads of each token side by side again.
func joinHeads(_ x: Tensor) -> Tensor {
    let (b, heads, t, hs) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.permuted([0, 2, 1, 3])                  // (B, T, heads, hs)
        .reshaped([b, t, heads * hs])                // (B, T, d)
}
