// The error function, eight lanes at a time, for the exact GELU.
//
// Reference: Abramowitz & Stegun, "Handbook of Mathematical Functions" (1964), formula 7.1.26,
// the rational approximation PyTorch's own vectorized CPU erf uses (`Vectorized<float>::erf`):
//
//     t = 1 / (1 + p·|x|),   erf(|x|) ≈ 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^(−x²)
//
// with |error| ≤ 1.5e-7, below Float32's own rounding near 1. Odd symmetry gives negative x.
// Why: the exact GELU of BERT called the scalar `erff` once per element, about 10 ns each; this
// form is a division, a polynomial and one vectorExp for eight lanes at once.

private let erfP: Float = 0.3275911
private let erfA1: Float = 0.254829592
private let erfA2: Float = -0.284496736
private let erfA3: Float = 1.421413741
private let erfA4: Float = -1.453152027
private let erfA5: Float = 1.061405429

/// erf(x) lane by lane (A&S 7.1.26, |error| ≤ 1.5e-7): −1 at −inf, 1 at +inf, NaN for NaN.
///
///     vectorErf(Float8(0, 0.5, -0.5, 1, 2, 4, .infinity, -.infinity))
///     // ≈ [0, 0.5205, -0.5205, 0.8427, 0.9953, 1, 1, -1]
@inline(__always)
func vectorErf(_ x: Float8) -> Float8 {
    let a = x.replacing(with: -x, where: x .< 0)   // |x|
    let t = 1 / (1 + erfP * a)
    var poly = Float8(repeating: erfA5)
    poly = poly * t + erfA4
    poly = poly * t + erfA3
    poly = poly * t + erfA2
    poly = poly * t + erfA1
    let y = 1 - poly * t * vectorExp(Float8() - a * a)
    return y.replacing(with: -y, where: x .< 0)
}
