// GELU, the Gaussian error linear unit, in its two common forms.
//
// Reference: Hendrycks & Gimpel, "Gaussian Error Linear Units" (2016), and PyTorch 2.x
// `torch.nn.functional.gelu(x, approximate='none' | 'tanh')`.
//   - Exact:  gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)). HF BERT's "gelu".
//       d/dx = Φ(x) + x·φ(x), with φ(x) = e^(−x²/2)/√(2π).
//   - Tanh:   ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³). GPT-2's "gelu_new".
//       d/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), with t = tanh(u).
// The two differ by up to about 5e-4 (near |x| ≈ 2), enough to matter when loading
// pretrained weights, which is why both exist.
// The exact form runs eight lanes at a time with a vectorized erf (Kernels/VectorErf.swift, the
// approximation PyTorch's CPU kernel uses, |error| ≤ 1.5e-7) instead of the scalar `erff`.

import Foundation

/// √(2/π), the tanh approximation's scale.
private let sqrtTwoOverPi: Float = 0.7978845608028654
/// 1/√2, to turn erf into the normal CDF.
private let inverseSqrt2: Float = 0.7071067811865476
/// 1/√(2π), the normal density's constant.
private let inverseSqrtTwoPi: Float = 0.3989422804014327

extension Tensor {
    /// The exact GELU, x·Φ(x) with the normal CDF Φ computed by erf: PyTorch's default
    /// `F.gelu`, HF BERT's "gelu".
    ///
    ///     Tensor(shape: [3], scalars: [-1, 0, 1]).gelu().scalars   // [-0.15865526, 0, 0.8413447]
    public func gelu() -> Tensor {
        let out = mapLanes(self) { x in 0.5 * x * (1 + vectorErf(x * inverseSqrt2)) }
        return .record("gelu", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in
            [zipLanes(g, x) { g, x in
                let cdf = 0.5 * (1 + vectorErf(x * inverseSqrt2))
                let pdf = inverseSqrtTwoPi * vectorExp(-0.5 * x * x)
                return g * (cdf + x * pdf)
            }]
        }
    }

    /// The tanh approximation of GELU, ½x(1 + tanh(√(2/π)(x + 0.044715x³))): GPT-2's
    /// "gelu_new", PyTorch's `F.gelu(x, approximate="tanh")`.
    ///
    ///     Tensor(shape: [3], scalars: [-1, 0, 1]).geluTanh().scalars   // [-0.15880796, 0, 0.84119207]
    public func geluTanh() -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { x in
            0.5 * x * (1 + fastTanh(sqrtTwoOverPi * (x + 0.044715 * x * x * x)))
        }
        return .record("geluTanh", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in
            [zipElements(g, x, grain: expensiveGrain) { g, x in
                let t = fastTanh(sqrtTwoOverPi * (x + 0.044715 * x * x * x))
                let du = sqrtTwoOverPi * (1 + 3 * 0.044715 * x * x)
                return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)
            }]
        }
    }
}
