// Root-mean-square normalization, T5's layer norm.
//
// Reference: B. Zhang, R. Sennrich, "Root Mean Square Layer Normalization", NeurIPS 2019, and
// Hugging Face's `T5LayerNorm` (transformers/models/t5/modeling_t5.py):
//
//     variance = mean(x², over the last dim)        (accumulated in float32)
//     y = weight · x · rsqrt(variance + eps)
//
// Unlike LayerNorm there is no mean subtraction and no bias: only the scale of the activations
// is normalised, which is cheaper and, for T5, works as well. The parameter is named `weight`
// (initially ones) and eps defaults to 1e-6, T5's `layer_norm_epsilon`. Everything here is
// float32 already, which is what HF's cast to float32 guarantees for half-precision models.

/// RMS normalization over the last dimension with a learned scale (T5's layer norm).
///
///     let norm = RMSNorm(dim: 512)       // eps 1e-6, as T5
///     let y = norm(x)                    // x: (B, T, 512) → (B, T, 512)
///     norm.namedParameters().map(\.name) // ["weight"]
public final class RMSNorm: Module {
    /// The scale, shape [dim], initially ones.
    ///
    ///     norm.weight.shape   // [512]
    public let weight: Parameter
    /// Added to the mean square before the square root.
    ///
    ///     RMSNorm(dim: 512).eps   // 1e-6 (T5)
    public var eps: Float
    /// Training mode flag (unused: RMS norm behaves the same in both modes).
    ///
    ///     norm.training   // true until eval()
    public var training = true

    /// The size of the normalized (last) dimension.
    ///
    ///     RMSNorm(dim: 512).dim   // 512
    public var dim: Int { weight.shape[0] }

    /// RMS norm over a last dimension of size `dim`, with scale ones.
    ///
    ///     let finalLayerNorm = RMSNorm(dim: 768, eps: 1e-6)
    public init(dim: Int, eps: Float = 1e-6) {
        require(dim > 0, "RMSNorm: dim must be positive, got \(dim)")
        weight = Parameter(Tensor.ones([dim]))
        self.eps = eps
    }

    /// `weight`, HF's name.
    ///
    ///     norm.ownParameters.map(\.name)   // ["weight"]
    public var ownParameters: NamedParameters { [("weight", weight)] }

    /// `weight · x / √(mean(x²) + eps)` over the last dimension: (…, dim) → (…, dim).
    ///
    ///     let y = norm(x)   // each y[b, t] has root mean square ≈ 1 (before the scale)
    ///
    /// - Precondition: the last dimension of `x` is `dim`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        require(x.rank >= 1 && x.shape[x.rank - 1] == dim,
                "RMSNorm: input of shape \(x.shape) for dim \(dim); the last dimension must be \(dim)")
        let rows = x.reshaped([-1, dim])                                  // (N, dim)
        let meanSquare = rows.squared().mean(axis: 1, keepDims: true)     // (N, 1)
        let inverseRMS = 1 / (meanSquare + eps).sqrt()                    // (N, 1), HF's rsqrt
        return (weight.value * (rows * inverseRMS)).reshaped(x.shape)     // (…, dim)
    }
}
