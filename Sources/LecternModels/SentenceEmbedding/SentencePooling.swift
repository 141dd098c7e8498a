// From token states to one vector per sentence, as sentence-transformers pools them.
//
// Reference: Reimers & Gurevych, "Sentence-BERT" (EMNLP 2019) §3, and sentence-transformers'
// `models.Pooling` and `models.Normalize`:
//
//     mean:  Σ_t mask_t h_t / max(Σ_t mask_t, 1e-9)          (padding excluded)
//     cls:   h_0
//     max:   max_t over real tokens (padding set to −1e9 first)
//     normalize:  v / max(‖v‖₂, 1e-12)                        (then cosine = dot product)
//
// Mean pooling is what all-MiniLM-L6-v2 was trained with; BERT's own pooler (tanh over [CLS],
// trained for next-sentence prediction) makes a poor sentence vector.

import Foundation
import LecternCore

/// How token states become one sentence vector (`1_Pooling/config.json`).
///
///     let pooling = try SentencePooling.load(from: dir.appendingPathComponent("1_Pooling/config.json"))
///     pooling.mode   // .mean
public struct SentencePooling: Sendable, Equatable {
    /// The pooling rule.
    public enum Mode: String, Sendable, CaseIterable {
        /// The mean of the real tokens' states (`pooling_mode_mean_tokens`).
        case mean
        /// The first token's state, [CLS] (`pooling_mode_cls_token`).
        case cls
        /// The element-wise maximum over real tokens (`pooling_mode_max_tokens`).
        case max
        /// The sum divided by √(number of tokens) (`pooling_mode_mean_sqrt_len_tokens`).
        case meanSqrtLength
    }

    /// The rule used.
    public var mode: Mode

    /// A pooling with `mode`.
    ///
    ///     SentencePooling(mode: .mean)
    public init(mode: Mode) { self.mode = mode }

    /// Reads sentence-transformers' pooling config: `"pooling_mode": "mean"` (version 4 and
    /// later) or one `pooling_mode_…` flag set (earlier versions, all-MiniLM-L6-v2's).
    ///
    ///     try SentencePooling.load(from: url)
    public static func load(from url: URL) throws(PretrainedModelError) -> SentencePooling {
        struct File: Decodable {
            var pooling_mode: String?
            var pooling_mode_cls_token: Bool?
            var pooling_mode_mean_tokens: Bool?
            var pooling_mode_max_tokens: Bool?
            var pooling_mode_mean_sqrt_len_tokens: Bool?
            var pooling_mode_weightedmean_tokens: Bool?
            var pooling_mode_lasttoken: Bool?
        }
        let file = try PretrainedConfigFile.decode(File.self, from: url)
        if let name = file.pooling_mode {
            let modes: [String: Mode] = ["mean": .mean, "cls": .cls, "max": .max, "mean_sqrt_len_tokens": .meanSqrtLength]
            guard let mode = modes[name] else {
                throw .invalidConfig("\(url.path): pooling_mode \"\(name)\" is not supported (supported: \(modes.keys.sorted().joined(separator: ", ")))")
            }
            return SentencePooling(mode: mode)
        }
        let on: [(Bool?, Mode?)] = [(file.pooling_mode_mean_tokens, .mean), (file.pooling_mode_cls_token, .cls),
                                    (file.pooling_mode_max_tokens, .max), (file.pooling_mode_mean_sqrt_len_tokens, .meanSqrtLength),
                                    (file.pooling_mode_weightedmean_tokens, nil), (file.pooling_mode_lasttoken, nil)]
        let chosen = on.filter { $0.0 == true }
        guard chosen.count == 1, let mode = chosen[0].1 else {
            throw .invalidConfig("\(url.path): exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token, pooling_mode_max_tokens, pooling_mode_mean_sqrt_len_tokens must be true (weighted-mean and last-token pooling are not supported)")
        }
        return SentencePooling(mode: mode)
    }

    /// Pools (B, T, H) token states with the (B, T) attention mask into (B, H) vectors.
    ///
    ///     let vectors = SentencePooling(mode: .mean)(hidden, attentionMask: [[1, 1, 0]])   // (1, H)
    public func callAsFunction(_ hidden: Tensor, attentionMask: [[Int]]) -> Tensor {
        let (b, t, h) = (hidden.shape[0], hidden.shape[1], hidden.shape[2])
        let mask = Tensor(shape: [b, t, 1], scalars: attentionMask.flatMap { $0.map(Float.init) })   // (B, T, 1)
        let counts = attentionMask.map { Float($0.reduce(0, +)) }
        let clampedCounts = Tensor(shape: [b, 1], scalars: counts.map { Swift.max($0, 1e-9) })       // (B, 1)
        switch mode {
        case .mean:
            return (hidden * mask).sum(axis: 1) / clampedCounts                               // (B, H)
        case .meanSqrtLength:
            return (hidden * mask).sum(axis: 1) / clampedCounts.sqrt()                        // (B, H)
        case .cls:
            return hidden.slice(axis: 1, 0..<1).reshaped([b, h])                                // (B, H)
        case .max:
            return (hidden + (mask - 1) * 1e9).max(axis: 1)                                     // (B, H)
        }
    }
}

/// Scales each row of (N, H) to unit Euclidean length: v / max(‖v‖, 1e-12) (`Normalize`).
///
///     l2Normalized(Tensor(shape: [1, 2], scalars: [3, 4])).scalars   // [0.6, 0.8]
public func l2Normalized(_ x: Tensor) -> Tensor {
    let norms = (x * x).sum(axis: 1, keepDims: true).sqrt()                              // (N, 1)
    // max(‖v‖, ε) with the gradient of ‖v‖ where it is the larger (F.normalize's rule).
    let tiny = Tensor(shape: norms.shape, scalars: norms.scalars.map { $0 < 1e-12 ? 1 : 0 })
    return x / Tensor.where(tiny, Tensor.full(norms.shape, 1e-12), norms)                 // (N, H)
}
