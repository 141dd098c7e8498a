// A small, seeded, portable random number generator.
//
// References:
//   - xoshiro256** by D. Blackman and S. Vigna, "Scrambled linear pseudorandom number
//     generators", ACM TOMS 47 (2021); reference C code: https://prng.di.unimi.it/xoshiro256starstar.c
//   - SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators",
//     OOPSLA 2014), used to expand a 64-bit seed into the 256-bit state, as the xoshiro authors
//     recommend; reference C code: https://prng.di.unimi.it/splitmix64.c
//   - Box–Muller transform (G. E. P. Box, M. E. Muller, 1958) for normal samples.
//
// Everything is integer arithmetic with wrap-around, so `next()` gives the same numbers on
// every platform and every Swift version. Swift's own `SystemRandomNumberGenerator` cannot be
// seeded, which is why tests and lessons use this one: a failing test fails again, and a
// lesson's "random" numbers are the same on the student's laptop and in CI.
//
// Not from PyTorch: `torch.manual_seed` uses a Mersenne Twister (CPU) and different
// conversions, so seeded numbers here do not match PyTorch's.

import Foundation

/// A seeded pseudo-random number generator (xoshiro256**, seeded through SplitMix64): the same
/// seed gives the same sequence on every platform.
///
///     var rng = SeededGenerator(seed: 42)
///     let a = rng.next()                       // a UInt64
///     let u = rng.nextUniform()                // a Float in [0, 1)
///     let z = rng.nextNormal(mean: 0, std: 2)  // a Float from N(0, 2²)
///     let d = Int.random(in: 1...6, using: &rng)
///
/// Not for cryptography.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose sequence is fixed by `seed`. Any seed works, including 0.
    ///
    ///     var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
    ///     a.next() == b.next()   // true
    ///
    /// The 256-bit state is the first four outputs of SplitMix64 started at `seed`, so it is
    /// never all zero.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = nextSplitMix(); s1 = nextSplitMix(); s2 = nextSplitMix(); s3 = nextSplitMix()
    }

    /// A generator started from an explicit xoshiro256** state, e.g. to reproduce the
    /// algorithm's published test vectors. Prefer ``init(seed:)``.
    ///
    ///     var rng = SeededGenerator(state: (1, 2, 3, 4))
    ///     rng.next()   // 11520, as the reference C implementation gives
    ///
    /// - Precondition: the state is not all zero (xoshiro would then output zeros forever).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        require(state != (0, 0, 0, 0), "SeededGenerator: the xoshiro256** state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// The next 64 random bits (xoshiro256**).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let bits = rng.next()
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A Float uniformly distributed in [0, 1): the top 24 bits of `next()` times 2⁻²⁴, so every
    /// one of the 2²⁴ possible values k/2²⁴ is equally likely and 1 never occurs.
    ///
    ///     var rng = SeededGenerator(seed: 3)
    ///     let weights = (0..<4).map { _ in rng.nextUniform() * 0.2 - 0.1 }   // in [-0.1, 0.1)
    public mutating func nextUniform() -> Float {
        // A Float has a 24-bit significand, so k · 2⁻²⁴ with k < 2²⁴ is exact.
        Float(next() >> 40) * 0x1p-24
    }

    /// A Float from the normal distribution with the given mean and standard deviation,
    /// by the Box–Muller transform z = √(−2 ln u₁) · cos(2π u₂), computed in Double.
    ///
    ///     var rng = SeededGenerator(seed: 4)
    ///     let noise = (0..<8).map { _ in rng.nextNormal(std: 0.02) }   // GPT-2-style init
    ///
    /// Each call uses two `next()` values and returns one sample (the sine partner is dropped,
    /// so the generator carries no hidden cache). u₁ is in (0, 1], so ln u₁ is finite.
    /// The result depends on the platform's `log` and `cos` only in the last bits of a Double,
    /// which rounding to Float almost always removes.
    public mutating func nextNormal(mean: Float = 0, std: Float = 1) -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53   // (0, 1]
        let u2 = Double(next() >> 11) * 0x1p-53         // [0, 1)
        let z = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        return mean + std * Float(z)
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
