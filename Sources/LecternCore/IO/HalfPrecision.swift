// Widening the two 16-bit floating-point formats found in checkpoints to Float, bit by bit.
//
// References:
//   - IEEE 754-2019, §3.6 (binary16: 1 sign bit, 5 exponent bits with bias 15, 10 fraction bits)
//     and §5.4.2 (conversions between formats: widening is exact; a signaling NaN becomes quiet).
//   - bfloat16: Google's "BFloat16: The secret to high performance on Cloud TPUs" (2019), and
//     PyTorch's c10/util/BFloat16.h: the top 16 bits of an IEEE binary32 (1 sign bit, 8 exponent
//     bits with bias 127, 7 fraction bits).
//
// Why our own code: Swift's `Float16` type is not available on every platform the library
// builds for (it is missing on Intel Macs), and safetensors files hold the raw bits anyway.
// Both conversions are exact: every binary16 and every bfloat16 value is a Float value.

/// Exact conversions from 16-bit floating-point bit patterns (as stored in safetensors files,
/// after reading them little-endian) to `Float`.
///
///     HalfPrecision.float(float16Bits: 0x3C00)    // 1.0
///     HalfPrecision.float(float16Bits: 0x0001)    // 5.9604645e-08, the smallest subnormal
///     HalfPrecision.float(bfloat16Bits: 0x4049)   // 3.140625, π rounded to bfloat16
public enum HalfPrecision {
    /// The Float equal to an IEEE 754 binary16 ("half", safetensors `F16`) value, given its bits.
    ///
    ///     HalfPrecision.float(float16Bits: 0xC000)   // -2.0
    ///     HalfPrecision.float(float16Bits: 0x7BFF)   // 65504.0, the largest finite half
    ///     HalfPrecision.float(float16Bits: 0x8000)   // -0.0
    ///     HalfPrecision.float(float16Bits: 0x7C00)   // +infinity
    ///     HalfPrecision.float(float16Bits: 0x7E00)   // NaN
    ///
    /// Exact for every input: subnormal halves become normal Floats, infinities stay infinite,
    /// and a NaN keeps its sign and payload (shifted into the wider fraction) with the quiet
    /// bit set, as an IEEE widening conversion does.
    @inlinable
    public static func float(float16Bits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            // Zero or subnormal: the value is fraction · 2⁻²⁴. The product is exact (an integer
            // below 2¹⁰ times a power of two, and at least 2⁻²⁴, far above Float's subnormals),
            // which is simpler to trust than renormalising the fraction by hand.
            let magnitude = Float(fraction) * 0x1p-24
            return Float(bitPattern: sign | magnitude.bitPattern)
        case 0x1F:
            // Infinity (fraction 0) or NaN. The fraction moves to the top of Float's 23 bits,
            // so the payload survives; the quiet bit (bit 22) is set, so a signaling NaN comes
            // out quiet, as IEEE 754 prescribes for a conversion.
            let quiet: UInt32 = fraction == 0 ? 0 : 0x0040_0000
            return Float(bitPattern: sign | 0x7F80_0000 | quiet | (fraction << 13))
        default:
            // Normal: re-bias the exponent (15 → 127) and widen the fraction (10 → 23 bits).
            return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (fraction << 13))
        }
    }

    /// The Float equal to a bfloat16 ("brain float", safetensors `BF16`) value, given its bits.
    ///
    ///     HalfPrecision.float(bfloat16Bits: 0x3F80)   // 1.0
    ///     HalfPrecision.float(bfloat16Bits: 0x0001)   // 9.18355e-41, a Float subnormal
    ///     HalfPrecision.float(bfloat16Bits: 0xFF80)   // -infinity
    ///
    /// bfloat16 is, by definition, the upper half of a Float, so this only shifts the bits
    /// into place: subnormals, infinities, NaN payloads and −0 all carry over unchanged.
    @inlinable
    public static func float(bfloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
