/// Layer normalisation over the last axis: (x − mean) / √(biased variance + eps), then
/// · gamma + beta. Each vector uses only its own statistics.
func layerNormalize(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float) -> Tensor {
    let mean = x.mean(axis: -1, keepDims: true)                                      // (…, 1)
    let variance = x.variance(axis: -1, keepDims: true, unbiased: false)              // (…, 1)
    return (x - mean) / (variance + eps).sqrt() * gamma + beta                        // (…, d)
}
