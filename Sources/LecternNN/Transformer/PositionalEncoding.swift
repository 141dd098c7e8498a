// Telling a Transformer where each token is: sinusoidal encodings and learned positions.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.5:
//
//     PE(pos, 2i)     = sin(pos / 10000^(2i / d_model))
//     PE(pos, 2i + 1) = cos(pos / 10000^(2i / d_model))
//
// Why positions at all: attention is a weighted average over a *set*. Permute the input tokens
// and every output row is permuted the same way, nothing else changes, so without a position
// signal "dog bites man" and "man bites dog" look alike. The encoding is added to the token
// embeddings at the bottom of the stack.
//
// Why sinusoids: dimension pair i is a rotation with wavelength 2π·10000^(2i/d), from 2π up to
// 10000·2π, so every position gets a distinct pattern, and PE(pos + k) is a fixed linear
// function (a rotation) of PE(pos) for every offset k — relative positions are easy to read off.
// The paper found learned position embeddings (`nn.Embedding(max_positions, d)`, as BERT and
// GPT-2 use) equally good, and chose sinusoids because they are defined for any length.
//
// Note: the lecture deck 001 writes sin(2t / 10000^(2i/d)); the numerator is the position t,
// not 2t. Odd d: the last dimension is a sine with no cosine partner.

import Foundation

/// The sinusoidal position encodings of positions `offset ..< offset + length`: (length, dim),
/// row t = PE(offset + t).
///
///     let pe = sinusoidalPositionalEncoding(length: 50, dim: 128)   // (50, 128)
///     pe.scalars[128 + 0]   // sin(1)   position 1, dimension 0
///     pe.scalars[128 + 1]   // cos(1)
///
/// Angles are computed in Double, then rounded to Float.
///
/// - Precondition: `length ≥ 0`, `dim > 0`, `offset ≥ 0`, `base > 0`.
public func sinusoidalPositionalEncoding(length: Int, dim: Int, offset: Int = 0, base: Double = 10000) -> Tensor {
    require(length >= 0 && dim > 0 && offset >= 0 && base > 0,
            "sinusoidalPositionalEncoding: need length ≥ 0, dim > 0, offset ≥ 0 and base > 0, got length \(length), dim \(dim), offset \(offset), base \(base)")
    var table = [Float](repeating: 0, count: length * dim)
    for t in 0..<length {
        let position = Double(offset + t)
        for pair in stride(from: 0, to: dim, by: 2) {
            // 10000^(−2i/d) with 2i = pair: the pair's angular frequency.
            let angle = position * Foundation.pow(base, -Double(pair) / Double(dim))
            table[t * dim + pair] = Float(Foundation.sin(angle))
            if pair + 1 < dim { table[t * dim + pair + 1] = Float(Foundation.cos(angle)) }
        }
    }
    return Tensor(shape: [length, dim], scalars: table)   // (T, d)
}

/// Something that gives a (length, d) position signal to add to token embeddings; the
/// Transformer models take either kind.
///
///     let positions: any PositionalEncoding = SinusoidalPositionalEncoding(dim: 64)
///     let x = embeddings + positions(length: 10)   // (B, 10, 64) + (10, 64)
public protocol PositionalEncoding: Module {
    /// The encodings of positions `offset ..< offset + length`: (length, d).
    ///
    ///     positions(length: 1, offset: 7)   // the 8th position alone, for a decoding step
    func callAsFunction(length: Int, offset: Int) -> Tensor
}

extension PositionalEncoding {
    /// The encodings of positions `0 ..< length`: (length, d).
    ///
    ///     positions(length: 10).shape   // [10, d]
    public func callAsFunction(length: Int) -> Tensor { self(length: length, offset: 0) }
}

/// The paper's fixed sinusoidal encodings (no parameters), with a precomputed table of
/// `maxLength` rows; longer inputs are computed on the fly, since the formula has no limit.
///
///     let positions = SinusoidalPositionalEncoding(dim: 512)
///     positions(length: 3).shape   // [3, 512]
public final class SinusoidalPositionalEncoding: PositionalEncoding {
    /// The model dimension d.
    ///
    ///     positions.dim   // 512
    public let dim: Int
    /// Training mode; nothing here depends on it.
    public var training = true
    /// The first `maxLength` rows, computed once (PyTorch's `register_buffer("pe", …)`).
    private let table: Tensor

    /// Encodings of dimension `dim`, with `maxLength` rows precomputed.
    ///
    ///     let positions = SinusoidalPositionalEncoding(dim: 64, maxLength: 128)
    public init(dim: Int, maxLength: Int = 512) {
        self.dim = dim
        table = sinusoidalPositionalEncoding(length: maxLength, dim: dim)   // (maxLength, d)
    }

    public func callAsFunction(length: Int, offset: Int) -> Tensor {
        if offset + length <= table.shape[0] {
            return table.slice(axis: 0, offset..<(offset + length))       // (T, d)
        }
        return sinusoidalPositionalEncoding(length: length, dim: dim, offset: offset)   // (T, d)
    }
}

/// Learned absolute positions: a trainable (maxPositions, d) table, row p for position p, as
/// BERT (`position_embeddings`) and GPT-2 (`wpe`) use. Initialised N(0, std²).
///
///     let positions = LearnedPositionalEmbedding(maxPositions: 1024, dim: 768, std: 0.02, using: &rng)
///     positions(length: 5).shape   // [5, 768]
///     positions.weight.shape       // [1024, 768]
public final class LearnedPositionalEmbedding: PositionalEncoding {
    /// The table (maxPositions, d), PyTorch's `nn.Embedding.weight`.
    ///
    ///     positions.weight.shape   // [1024, 768]
    public let weight: Parameter
    /// Training mode; nothing here depends on it.
    public var training = true

    /// A table of `maxPositions` learned vectors of size `dim`.
    ///
    ///     let positions = LearnedPositionalEmbedding(maxPositions: 64, dim: 32, using: &rng)
    public init(maxPositions: Int, dim: Int, std: Float = 1, using generator: inout SeededGenerator) {
        require(maxPositions > 0 && dim > 0, "LearnedPositionalEmbedding: maxPositions and dim must be positive, got \(maxPositions) and \(dim)")
        weight = Parameter(Tensor.randn([maxPositions, dim], std: std, using: &generator))
    }

    public var ownParameters: NamedParameters { [("weight", weight)] }

    /// The number of positions the table holds.
    ///
    ///     positions.maxPositions   // 1024
    public var maxPositions: Int { weight.shape[0] }

    public func callAsFunction(length: Int, offset: Int) -> Tensor {
        require(offset >= 0 && offset + length <= maxPositions,
                "LearnedPositionalEmbedding: positions \(offset)..<\(offset + length) are beyond the \(maxPositions) learned positions; use shorter inputs or a larger table (sinusoidal encodings have no limit)")
        return weight.value.slice(axis: 0, offset..<(offset + length))     // (T, d)
    }
}
