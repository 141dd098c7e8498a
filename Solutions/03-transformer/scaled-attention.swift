/// Scaled dot-product attention: softmax(Q·Kᵀ / √d_k) V over the keys the mask allows
/// (1 = attend). Returns the output (…, T, d_v) and the weights (…, T, S).
func scaledAttention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) -> (output: Tensor, weights: Tensor) {
    let dk = query.shape[query.rank - 1]
    var scores = query.matmul(key.transposed(-2, -1)) / Float(dk).squareRoot()     // (…, T, S)
    if let mask {
        // maskedFill hides where its mask is nonzero: flip "1 = attend" into "1 = hide". The most
        // negative finite Float gives hidden keys exactly zero weight, and a fully hidden row a
        // uniform one instead of NaN.
        scores = scores.maskedFill(1 - mask, with: -.greatestFiniteMagnitude)
    }
    let weights = scores.softmax(axis: -1)                                           // (…, T, S)
    return (weights.matmul(value), weights)                                          // (…, T, d_v)
}
