// The reward model of RLHF (InstructGPT, ChatGPT): a scalar score r(x, y) for a prompt x and an
// answer y, trained on human comparisons with the pairwise loss −log σ(r(x, y_w) − r(x, y_l)).
//
// References:
//   - L. Ouyang et al., "Training language models to follow instructions with human feedback",
//     NeurIPS 2022 (OpenAI), Eq. 1: loss(θ) = −1/C(K,2) · E_{(x, y_w, y_l) ~ D}[log σ(r_θ(x, y_w) − r_θ(x, y_l))],
//     where each prompt contributes all C(K, 2) pairs of its K ranked answers (K = 4 … 9): the
//     mean over pairs below is that average.
//   - N. Stiennon et al., "Learning to summarize from human feedback", NeurIPS 2020 (the same loss).

import Foundation
import LecternCore
import LecternNN

/// The pairwise (Bradley–Terry) reward loss: the mean over N pairs of −log σ(r_w − r_l). Computed
/// as the cross-entropy of the logits (d, 0) with class 0, −logSoftmax(d, 0)₀ = log(1 + e^{−d}),
/// which never overflows and has the right gradient −σ(−d) everywhere (the piecewise form
/// max(−d, 0) + log(1 + e^{−|d|}) has the right value but a zero gradient at d = 0, where relu and
/// abs have no slope). Differentiable in both arguments.
///
///     pairwiseRewardLoss(chosen: Tensor(shape: [2], scalars: [2, 0]),
///                        rejected: Tensor(shape: [2], scalars: [2, 1]))   // (ln 2 + ln(1 + e)) / 2
///
/// - Precondition: `chosen` and `rejected` have the same shape, (N) (or any shape: the mean is
///   over all elements).
public func pairwiseRewardLoss(chosen: Tensor, rejected: Tensor) -> Tensor {
    require(chosen.shape == rejected.shape,
            "pairwiseRewardLoss: chosen \(chosen.shape) and rejected \(rejected.shape) rewards must have the same shape")
    let n = chosen.count
    let margin = (chosen - rejected).reshaped([n, 1])                           // r_w − r_l, (N, 1)
    let logits = Tensor.concat([margin, Tensor.zeros([n, 1])], axis: 1)         // (N, 2): (d, 0)
    return -logits.logSoftmax(axis: 1).slice(axis: 1, 0..<1).mean()             // mean of −log σ(d)
}

/// The same loss on plain numbers: the mean of −log σ(r_w − r_l) over the pairs.
///
///     pairwiseRewardLoss(chosen: [0], rejected: [0])   // ln 2 ≈ 0.6931
public func pairwiseRewardLoss(chosen: [Float], rejected: [Float]) -> Float {
    require(chosen.count == rejected.count && !chosen.isEmpty,
            "pairwiseRewardLoss: \(chosen.count) chosen and \(rejected.count) rejected rewards; need the same number, at least one")
    var total: Double = 0
    for (w, l) in zip(chosen, rejected) {
        let d = Double(w) - Double(l)
        total += Swift.max(-d, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(d)))
    }
    return Float(total / Double(chosen.count))
}

/// The fraction of pairs whose preferred answer gets the higher reward (ties count as wrong).
///
///     pairwiseAccuracy(chosen: [1, 0], rejected: [0, 2])   // 0.5
public func pairwiseAccuracy(chosen: [Float], rejected: [Float]) -> Float {
    require(chosen.count == rejected.count && !chosen.isEmpty,
            "pairwiseAccuracy: \(chosen.count) chosen and \(rejected.count) rejected rewards; need the same number, at least one")
    return Float(zip(chosen, rejected).filter { $0 > $1 }.count) / Float(chosen.count)
}

/// A tiny reward model: a linear score r(x, y) = w · φ(x, y) + b on a feature vector φ of the
/// prompt and answer (in InstructGPT, φ is the last token's final state of a 6 B GPT-3 and the
/// head is one linear layer; here φ is whatever features the caller computes).
///
///     var rng = SeededGenerator(seed: 1)
///     let rm = RewardModel(features: 4, using: &rng)
///     let r = rm(phi)                                   // phi (N, 4) → rewards (N)
///     let loss = pairwiseRewardLoss(chosen: rm(phiW), rejected: rm(phiL))
public final class RewardModel: Module {
    /// The linear head, features → 1 (`score` in Hugging Face's reward models).
    public let score: Linear
    /// Whether the model is in training mode (no dropout here; kept for `train()`/`eval()`).
    public var training = true

    /// A head with `features` inputs, initialised as `Linear` is.
    public init(features: Int, using generator: inout SeededGenerator) {
        score = Linear(inFeatures: features, outFeatures: 1, using: &generator)
    }

    public var children: NamedModules { [("score", score)] }

    /// The rewards of N feature rows (N, F): a (N) tensor.
    public func callAsFunction(_ features: Tensor) -> Tensor {
        require(features.rank == 2 && features.shape[1] == score.inFeatures,
                "RewardModel: features of shape \(features.shape); expected (N, \(score.inFeatures))")
        return score(features).reshaped([features.shape[0]])
    }
}
