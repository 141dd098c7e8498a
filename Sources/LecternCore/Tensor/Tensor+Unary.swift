// Elementwise functions: exp, log, sqrt, tanh, sigmoid, relu, pow, squared, abs.
//
// Reference: `torch.exp`, `torch.log`, `torch.sqrt`, `torch.tanh`, `torch.sigmoid`,
// `torch.relu`, `torch.pow`, `torch.square`, `torch.abs` (PyTorch 2.x). Derivatives are
// written in terms of the output where that is cheaper and exact (exp: y, tanh: 1 − y²,
// sigmoid: y(1 − y), sqrt: 1/(2y)). At kinks PyTorch's conventions are kept: relu′(0) = 0,
// abs′(0) = 0.
//
// The C functions (`expf`, `logf`, ...) are used rather than the generic Swift ones: inside a
// `Tensor` extension a bare `exp(x)` would resolve to the method `Tensor.exp()`.
//
// tanh is computed from expf (`fastTanh`), not glibc's `tanhf`: measured on Linux, `tanhf`
// costs about 12 ns per element against about 3 ns, and tanh is on the hot path of RNNs and of
// GPT-2's GELU.

import Foundation

/// tanh(x) from one `expf`: sign(x) · (1 − e)/(1 + e) with e = e^(−2|x|), and the Taylor series
/// x − x³/3 + 2x⁵/15 − 17x⁷/315 for |x| < 1/16, where 1 − e would lose digits to cancellation.
/// Within a few ulp of the true value (the tests check 1e-6 relative against Double).
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    let a = Swift.abs(x)
    if a < 0.0625 {
        let x2 = x * x
        return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 - x2 * (17.0 / 315))))
    }
    if a > 9.1 { return x > 0 ? 1 : -1 }   // 1 − tanh(9.1) < 2⁻²⁵: rounds to ±1; also maps ±inf
    let e = expf(-2 * a)
    let t = (1 - e) / (1 + e)
    return x < 0 ? -t : t
}

extension Tensor {
    /// eˣ elementwise.
    ///
    ///     Tensor(shape: [2], scalars: [0, 1]).exp().scalars   // [1, 2.7182817]
    public func exp() -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { expf($0) }
        let y = Tensor(storage: out, shape: shape)
        return .record("exp", out, shape: shape, inputs: [self]) { g, _ in [zipElements(g, y) { $0 * $1 }] }
    }

    /// The natural logarithm elementwise (−inf at 0, NaN below).
    ///
    ///     Tensor(shape: [2], scalars: [1, 2.7182817]).log().scalars   // [0, 1]
    public func log() -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { logf($0) }
        return .record("log", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in [zipElements(g, x) { $0 / $1 }] }
    }

    /// The square root elementwise.
    ///
    ///     Tensor(shape: [2], scalars: [4, 9]).sqrt().scalars   // [2, 3]
    public func sqrt() -> Tensor {
        let out = mapElements(self) { $0.squareRoot() }
        let y = Tensor(storage: out, shape: shape)
        return .record("sqrt", out, shape: shape, inputs: [self]) { g, _ in [zipElements(g, y) { $0 * 0.5 / $1 }] }
    }

    /// The hyperbolic tangent elementwise, in (−1, 1).
    ///
    ///     Tensor(shape: [2], scalars: [0, 100]).tanh().scalars   // [0, 1]
    public func tanh() -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { fastTanh($0) }
        let y = Tensor(storage: out, shape: shape)
        return .record("tanh", out, shape: shape, inputs: [self]) { g, _ in [zipElements(g, y) { $0 * (1 - $1 * $1) }] }
    }

    /// The logistic function 1 / (1 + e⁻ˣ) elementwise, in (0, 1).
    ///
    ///     Tensor(shape: [3], scalars: [-100, 0, 100]).sigmoid().scalars   // [0, 0.5, 1]
    ///
    /// Computed without overflow: for x < 0 as eˣ / (1 + eˣ).
    public func sigmoid() -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { x in
            if x >= 0 { return 1 / (1 + expf(-x)) }
            let e = expf(x)
            return e / (1 + e)
        }
        let y = Tensor(storage: out, shape: shape)
        return .record("sigmoid", out, shape: shape, inputs: [self]) { g, _ in [zipElements(g, y) { $0 * $1 * (1 - $1) }] }
    }

    /// max(x, 0) elementwise. The gradient is 1 where x > 0 and 0 elsewhere (0 at 0).
    ///
    ///     Tensor(shape: [3], scalars: [-1, 0, 2]).relu().scalars   // [0, 0, 2]
    public func relu() -> Tensor {
        // `x > 0 ? x : 0` rather than max(x, 0) so NaN propagates, as in PyTorch.
        let out = mapElements(self) { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }
        return .record("relu", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in [zipElements(g, x) { $1 > 0 ? $0 : 0 }] }
    }

    /// xᵖ elementwise, for a constant exponent. Negative bases with a non-integer exponent give
    /// NaN, as in PyTorch.
    ///
    ///     Tensor(shape: [2], scalars: [2, 3]).pow(3).scalars   // [8, 27]
    ///
    /// Gradient p·xᵖ⁻¹ (0 for p = 0).
    public func pow(_ p: Float) -> Tensor {
        let out = mapElements(self, grain: expensiveGrain) { powf($0, p) }
        return .record("pow", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in
            [p == 0 ? mapTensor(g) { _ in 0 } : zipElements(g, x, grain: expensiveGrain) { $0 * p * powf($1, p - 1) }]
        }
    }

    /// x² elementwise (faster and exact compared with `pow(2)`).
    ///
    ///     Tensor(shape: [2], scalars: [-3, 4]).squared().scalars   // [9, 16]
    public func squared() -> Tensor {
        let out = mapElements(self) { $0 * $0 }
        return .record("squared", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in [zipElements(g, x) { 2 * $0 * $1 }] }
    }

    /// |x| elementwise. The gradient is sign(x) (0 at 0).
    ///
    ///     Tensor(shape: [2], scalars: [-3, 4]).abs().scalars   // [3, 4]
    public func abs() -> Tensor {
        let out = mapElements(self) { Swift.abs($0) }
        return .record("abs", out, shape: shape, inputs: [self]) { [x = detached()] g, _ in
            [zipElements(g, x) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }]
        }
    }
}
