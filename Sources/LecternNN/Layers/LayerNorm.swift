// Layer normalization over the last dimension(s).
//
// Reference: J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer Normalization" (2016), and
// `torch.nn.LayerNorm` (PyTorch 2.x):
//
//     y = (x − E[x]) / √(Var[x] + eps) · weight + bias
//
// over the trailing `normalizedShape` dimensions, with the biased variance (divide by n, not
// n − 1), and `weight` = 1, `bias` = 0 initially. The eps differs between model families and
// must match the checkpoint's: BERT uses 1e-12 (`layer_norm_eps`), GPT-2 1e-5
// (`layer_norm_epsilon`), PyTorch's default.
//
// Why the mean is subtracted before squaring (and not E[x²] − E[x]²): for activations with a
// large mean the difference of two nearly equal squares cancels catastrophically in Float.
// For the same reason the mean is refined by a second pass. Both happen inside
// `Tensor.layerNorm(weight:bias:eps:)` (LecternCore), one fused kernel for the whole layer.

/// Layer normalization with a learned per-feature scale (`weight`) and shift (`bias`).
///
///     let ln = LayerNorm(768, eps: 1e-12)      // BERT
///     let y = ln(x)                            // x: (B, T, 768) → (B, T, 768)
///     ln.namedParameters().map(\.name)         // ["weight", "bias"]
public final class LayerNorm: Module {
    /// The scale γ, shape `normalizedShape`, initially ones.
    ///
    ///     ln.weight.shape   // [768]
    public let weight: Parameter
    /// The shift β, shape `normalizedShape`, initially zeros; nil for a layer built with
    /// `bias: false` (torch's `LayerNorm(bias=False)`).
    ///
    ///     ln.bias?.shape   // [768]
    public let bias: Parameter?
    /// The trailing dimensions normalised together.
    ///
    ///     LayerNorm(768).normalizedShape   // [768]
    public let normalizedShape: [Int]
    /// Added to the variance before the square root.
    ///
    ///     LayerNorm(768, eps: 1e-12).eps   // 1e-12 (BERT)
    public var eps: Float
    /// Training mode flag (unused: layer norm behaves the same in both modes).
    ///
    ///     ln.training   // true until eval()
    public var training = true

    /// Normalizes over the trailing dimensions `normalizedShape` (PyTorch's `normalized_shape`).
    ///
    ///     let ln = LayerNorm(normalizedShape: [768], eps: 1e-5)   // GPT-2's ln_1
    public init(normalizedShape: [Int], eps: Float = 1e-5, bias: Bool = true) {
        require(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                "LayerNorm: normalizedShape must be non-empty with positive sizes, got \(normalizedShape)")
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = Parameter(Tensor.ones(normalizedShape))
        self.bias = bias ? Parameter(Tensor.zeros(normalizedShape)) : nil
    }

    /// Normalizes over the last dimension, of size `dim`.
    ///
    ///     let ln = LayerNorm(768, eps: 1e-12)
    public convenience init(_ dim: Int, eps: Float = 1e-5, bias: Bool = true) {
        self.init(normalizedShape: [dim], eps: eps, bias: bias)
    }

    /// `weight` then `bias` (if any), as PyTorch registers them.
    ///
    ///     ln.ownParameters.map(\.name)   // ["weight", "bias"]
    /// A layer norm over the last `weight.count` features with existing parameters.
    ///
    ///     LayerNorm(weight: Parameter(Tensor.ones([4])), bias: nil, eps: 1e-6)
    public init(weight: Parameter, bias: Parameter?, eps: Float) {
        require(weight.shape.count == 1 && (bias == nil || bias!.shape == weight.shape),
                "LayerNorm: weight must be 1-D and bias the same shape, got \(weight.shape) and \(bias?.shape ?? [])")
        normalizedShape = weight.shape
        self.eps = eps
        self.weight = weight
        self.bias = bias
    }

    public var ownParameters: NamedParameters {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// Normalizes each slice over the trailing `normalizedShape` dimensions, then scales and
    /// shifts it: (…, *normalizedShape) → the same shape.
    ///
    ///     let y = ln(x)   // x: (B, T, C) → y: (B, T, C); each y[b, t] has mean β, std ≈ γ
    ///
    /// - Precondition: the trailing dimensions of `x` equal `normalizedShape`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let k = normalizedShape.count
        require(x.rank >= k && Array(x.shape.suffix(k)) == normalizedShape,
                "LayerNorm: input of shape \(x.shape) does not end with the normalized shape \(normalizedShape)")
        let n = normalizedShape.reduce(1, *)
        let rows = x.reshaped([-1, n])                                      // (N, n)
        // One fused kernel (LecternCore's Tensor+LayerNorm.swift): corrected two-pass mean
        // and variance per row, and a hand-written backward.
        let y = rows.layerNorm(weight: weight.value.reshaped([n]), bias: bias?.value.reshaped([n]), eps: eps)  // (N, n)
        return y.reshaped(x.shape)                                           // (…, *normalizedShape)
    }
}
