// eˣ for eight floats at a time: the kernel behind softmax, logSoftmax, exp, sigmoid and tanh.
//
// Why not `expf`: glibc's `expf` is accurate and fast for a scalar call (about 3 ns), but it is
// a call per element that the compiler cannot vectorize, and softmax spent most of its time
// there. Measured on the 2-core development machine, a 64·512·512 softmax went from 38 ms with
// `expf` to about 20 ms with this kernel (now near the memory bandwidth); the kernel alone
// costs about 0.3 ns per element against `expf`'s 1.7.
//
// Method (Cody & Waite range reduction, Cephes `expf`'s polynomial, S. L. Moshier):
//   k = round(x · log₂e),  r = x − k·ln2  (so |r| ≤ ln2/2),  eˣ = 2ᵏ · eʳ.
//   - round: adding and subtracting 1.5·2²³ rounds to the nearest integer in float arithmetic
//     (no `roundps`, which baseline x86-64 lacks; `rounded()` there becomes a libm call per
//     lane), and the sum's low mantissa bits *are* k as an integer, so no conversion is needed.
//   - r: ln2 split into C1 = 0.693359375 (9 significant bits, so k·C1 is exact for |k| < 2¹⁵)
//     and C2 = ln2 − C1, so r loses nothing to cancellation.
//   - eʳ ≈ 1 + r + r²·P(r), P a degree-5 minimax polynomial (Cephes' coefficients).
//   - 2ᵏ is built from the exponent bits, as two factors 2^⌊k/2⌋ · 2^(k−⌊k/2⌋): each is a
//     normal float for every k in [−150, 128], so results in the subnormal range
//     (−104 ≤ x < −87.3) are rounded once, correctly, by the last multiply.
//   - x < −104 (where eˣ < 2⁻¹⁵⁰ rounds to 0) is answered 0 without computing it: producing a
//     subnormal intermediate costs a microcode assist of ~100 cycles per instruction on x86,
//     and masked attention scores (filled with −3.4·10³⁸) are exactly such lanes, half of a
//     causal score matrix. Measured on a (64, 512, 512) softmax with a causal mask filled that
//     way: 56 ms before, 19 ms after; the price is one compare and two selects per eight lanes,
//     19.5 → 21 ms on the same softmax without a mask.
// No fused multiply-add: the default x86-64 target has none, and `addingProduct` would become
// a `fmaf` call per lane (the polynomial was designed for separate multiplies and adds).
//
// Special values: x = −inf → 0, x > 88.73 (and +inf) → +inf, NaN → NaN (the clamps compare,
// and a comparison with NaN is false, so NaN passes through to the arithmetic).
// Accuracy: a relative error below 2e-7 (at most 2 ulp) over the range with normal results,
// checked against Foundation's Double `exp` in the tests; the worst case measured on 131 M
// inputs was 8.1e-8, within 1 ulp.
//
// Reference: W. J. Cody, W. Waite, "Software Manual for the Elementary Functions" (1980);
// Cephes Math Library, `expf.c`; the same scheme as PyTorch's vectorized exp (Sleef / its own
// AVX2 `Vectorized<float>::exp`).

/// Eight lanes, the unit every kernel in this file works in: one AVX register, or two SSE /
/// NEON registers (two independent dependency chains).
typealias Float8 = SIMD8<Float>

/// log₂e.
private let log2e: Float = 1.44269504088896341
/// 1.5·2²³: adding it to |v| < 2²² rounds v to an integer held in the low mantissa bits.
private let roundingMagic: Float = 12582912
/// ln2 = C1 + C2, C1 with 9 significant bits (Cody & Waite).
private let ln2High: Float = 0.693359375
private let ln2Low: Float = -2.12194440e-4
/// Above this eˣ overflows (ln(FLT_MAX) ≈ 88.7228); clamping to it keeps k at 128, whose
/// 2ᵏ·eʳ still overflows to +inf.
private let expUpperClamp: Float = 88.8
/// Below ln(2⁻¹⁵⁰) ≈ −103.97 eˣ rounds to 0; lanes under −104 are answered 0 directly.
private let expVanishes: Float = -104

/// eˣ lane by lane (see the file comment for the method, accuracy and special values).
///
///     vectorExp(Float8(0, 1, -1, 2, -.infinity, .infinity, .nan, 100))
///     // [1, 2.7182817, 0.36787945, 7.389056, 0, inf, nan, inf]
@inline(__always)
func vectorExp(_ x: Float8) -> Float8 {
    // Clamp by comparison so that NaN lanes are left as they are and propagate. Lanes that
    // vanish compute e⁰ instead (no subnormal arithmetic) and are zeroed at the end.
    let vanishes = x .< expVanishes
    var v = x.replacing(with: expUpperClamp, where: x .> expUpperClamp)
    v.replace(with: 0, where: vanishes)
    // k = round(v·log₂e), as a float and (from the bits of the rounding sum) as an integer.
    let shifted = v * log2e + roundingMagic
    let k = shifted - roundingMagic
    let kBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- Int32(bitPattern: roundingMagic.bitPattern)
    // r = v − k·ln2 in two steps (k·C1 is exact).
    let r = (v - k * ln2High) - k * ln2Low
    // eʳ = 1 + r + r²·P(r) (Cephes expf).
    var p = Float8(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let er = (p * (r * r) + r) + 1
    // 2ᵏ = 2^k1 · 2^k2 with k1 = ⌊k/2⌋: both factors normal for k in [−159, 128].
    let k1 = kBits &>> 1
    let k2 = kBits &- k1
    let scale1 = unsafeBitCast((k1 &+ 127) &<< 23, to: Float8.self)
    let scale2 = unsafeBitCast((k2 &+ 127) &<< 23, to: Float8.self)
    return (er * scale1 * scale2).replacing(with: 0, where: vanishes)
}

/// eˣ for one float, by the same method as ``vectorExp(_:)`` (identical results), for the
/// few places that work one element at a time.
@inline(__always)
func scalarExp(_ x: Float) -> Float {
    vectorExp(Float8(repeating: x))[0]
}

/// Up to eight consecutive floats from `p`: the first `count` lanes, the rest `fill`.
@inline(__always)
func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float = 0) -> Float8 {
    var v = Float8(repeating: fill)
    for i in 0..<count { v[i] = p[i] }
    return v
}

/// Stores the first `count` lanes of `v` at `p`.
@inline(__always)
func storePartial(_ v: Float8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { p[i] = v[i] }
}

/// Eight consecutive floats from `p` (any alignment).
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
}

/// Stores eight floats at `p` (any alignment).
@inline(__always)
func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
}

/// `dst[i] = f(src[i])` for `i` in `0..<count`, eight lanes at a time (the tail padded with
/// zeros, whose results are dropped). `src` and `dst` may be the same buffer.
@inline(__always)
func mapLanes(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Float8) -> Float8) {
    var i = 0
    while i + 8 <= count {
        store8(f(load8(src + i)), dst + i)
        i += 8
    }
    if i < count { storePartial(f(loadPartial(src + i, count - i)), dst + i, count - i) }
}

extension Kernels {
    /// `dst[i] = e^src[i]` for `count` floats, vectorized (at most 2 ulp from the correctly
    /// rounded result; −inf → 0, overflow → +inf, NaN → NaN). `src` and `dst` may be the same.
    ///
    ///     var y = [Float](repeating: 0, count: 3)
    ///     Kernels.exp([0, 1, -.infinity], count: 3, into: &y)   // y == [1, 2.7182817, 0]
    public static func exp(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
        mapLanes(src, dst, count, vectorExp)
    }
}
