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
// tanh is computed from eˣ (`fastTanh`), not glibc's `tanhf`: measured on Linux, `tanhf`
// costs about 12 ns per element against about 3 ns, and tanh is on the hot path of RNNs and of
// GPT-2's GELU.
//
// exp, sigmoid and tanh run eight lanes at a time on the vectorized eˣ of
// Kernels/VectorExp.swift (`vectorExp`, at most 2 ulp from the exact value): a call of `expf`
// per element was their whole cost. `vectorTanh` is `fastTanh` lane by lane.

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

/// ``fastTanh(_:)`` on eight lanes, with the vectorized eˣ: both branches are computed and the
/// right one selected per lane. NaN stays NaN (every comparison with it is false).
@inline(__always)
func vectorTanh(_ x: Float8) -> Float8 {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    let sign = bits & 0x8000_0000
    let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: Float8.self)                   // |x|
    let x2 = x * x
    // x − x³/3 + 2x⁵/15 − 17x⁷/315, in steps (one expression is too much for the type checker).
    var series: Float8 = Float(2.0 / 15) - x2 * Float(17.0 / 315)
    series = Float(-1.0 / 3) + x2 * series
    series = x * (1 + x2 * series)
    let e = vectorExp(-2 * a)
    let t = (1 - e) / (1 + e)
    var result = unsafeBitCast(unsafeBitCast(t, to: SIMD8<UInt32>.self) | sign, to: Float8.self)  // sign(x)·t
    result.replace(with: series, where: a .< 0.0625)
    // 1 − tanh(9.1) < 2⁻²⁵: rounds to ±1 (as in fastTanh).
    result.replace(with: unsafeBitCast(sign | Float(1).bitPattern, to: Float8.self), where: a .> 9.1)
    return result
}

/// 1/(1 + e⁻ˣ) on eight lanes, without overflow: with e = e^(−|x|), 1/(1 + e) for x ≥ 0 and
/// e/(1 + e) for x < 0 (the same operations as the scalar formula in ``Tensor/sigmoid()``).
@inline(__always)
func vectorSigmoid(_ x: Float8) -> Float8 {
    let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Float8.self)
    let e = vectorExp(-a)
    let numerator = Float8(repeating: 1).replacing(with: e, where: x .< 0)
    return numerator / (1 + e)
}

extension Tensor {
    /// eˣ elementwise.
    ///
    ///     Tensor(shape: [2], scalars: [0, 1]).exp().scalars   // [1, 2.7182817]
    public func exp() -> Tensor {
        let out = mapLanes(self, vectorExp)
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
        let out = mapLanes(self, vectorTanh)
        let y = Tensor(storage: out, shape: shape)
        return .record("tanh", out, shape: shape, inputs: [self]) { g, _ in [zipElements(g, y) { $0 * (1 - $1 * $1) }] }
    }

    /// The logistic function 1 / (1 + e⁻ˣ) elementwise, in (0, 1).
    ///
    ///     Tensor(shape: [3], scalars: [-100, 0, 100]).sigmoid().scalars   // [0, 0.5, 1]
    ///
    /// Computed without overflow: for x < 0 as eˣ / (1 + eˣ).
    public func sigmoid() -> Tensor {
        let out = mapLanes(self, vectorSigmoid)
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
