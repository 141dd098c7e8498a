// Splitting the model dimension into heads and merging the heads back.
//
// Reference: Vaswani et al. (2017) §3.2.2 (h = 8 heads of d_k = d_v = d_model / h = 64), and the
// `view(B, T, h, d_k).transpose(1, 2)` idiom of the Annotated Transformer and minGPT.
//
// A projection gives each token one vector of d_model = nh · hs numbers. Read those numbers as
// nh consecutive groups of hs, one group per head: (B, T, E) → (B, T, nh, hs). Moving the head
// axis in front of the time axis, (B, nh, T, hs), makes every head a separate batch entry of the
// attention products, so all heads attend in one batched matmul. Merging is the inverse, and is
// the "Concat(head₁, …, head_h)" of the paper: the heads' outputs side by side in each token's
// row, ready for W^O.

/// Splits the last axis into `heads` heads and moves them in front of time: (B, T, E) →
/// (B, heads, T, E / heads).
///
///     let x = Tensor.zeros([2, 5, 512])      // (B, T, E)
///     splitHeads(x, heads: 8).shape          // [2, 8, 5, 64]
///
/// - Precondition: `x` is rank 3 and `heads` divides its last size.
public func splitHeads(_ x: Tensor, heads: Int) -> Tensor {
    require(x.rank == 3, "splitHeads: x must be (B, T, E), got \(x.shape)")
    let (b, t, e) = (x.shape[0], x.shape[1], x.shape[2])
    require(heads > 0 && e % heads == 0, "splitHeads: \(heads) heads do not divide the model dimension \(e)")
    return x.reshaped([b, t, heads, e / heads])                     // (B, T, nh, hs)
        .permuted([0, 2, 1, 3])                                     // (B, nh, T, hs)
}

/// Puts the heads side by side again: (B, heads, T, hs) → (B, T, heads · hs), the inverse of
/// ``splitHeads(_:heads:)``.
///
///     let y = Tensor.zeros([2, 8, 5, 64])    // (B, nh, T, hs)
///     mergeHeads(y).shape                    // [2, 5, 512]
///
/// - Precondition: `x` is rank 4.
public func mergeHeads(_ x: Tensor) -> Tensor {
    require(x.rank == 4, "mergeHeads: x must be (B, heads, T, headDim), got \(x.shape)")
    let (b, nh, t, hs) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.permuted([0, 2, 1, 3])                                 // (B, T, nh, hs)
        .reshaped([b, t, nh * hs])                                  // (B, T, E)
}
