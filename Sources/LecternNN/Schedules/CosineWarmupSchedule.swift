// Linear warm-up followed by a cosine decay.
//
// Reference: Hugging Face transformers, `get_cosine_schedule_with_warmup`
// (src/transformers/optimization.py), after SGDR (I. Loshchilov, F. Hutter, "SGDR: Stochastic
// Gradient Descent with Warm Restarts", ICLR 2017). Its multiplier is
//
//     λ(k) = k / max(1, warmup)                                        for k < warmup
//     p    = (k − warmup) / max(1, total − warmup)                     otherwise
//     λ(k) = max(0, ½ · (1 + cos(π · cycles · 2 · p)))
//
// With the default half cycle (`cycles = 0.5`) the rate follows half a cosine from the peak down
// to 0 at `totalSteps`: it stays high longer than a linear decay, then lands softly. Past
// `totalSteps` the cosine climbs again, exactly as in HF; train no further than `totalSteps`.

import Foundation

/// Hugging Face's `get_cosine_schedule_with_warmup`: linear warm-up from 0 to `baseLearningRate`,
/// then a cosine curve down to 0 at `totalSteps` (with the default `cycles: 0.5`).
///
///     let schedule = CosineWarmupSchedule(baseLearningRate: 1e-3, warmupSteps: 10, totalSteps: 110)
///     schedule.learningRate(at: 5)     // 5e-4, warming up
///     schedule.learningRate(at: 10)    // 1e-3, the peak
///     schedule.learningRate(at: 60)    // 5e-4, half way down the cosine
///     schedule.learningRate(at: 110)   // 0
public struct CosineWarmupSchedule: LearningRateSchedule {
    /// The peak learning rate, reached at the end of the warm-up.
    ///
    ///     schedule.baseLearningRate   // 1e-3
    public var baseLearningRate: Float
    /// Steps of linear warm-up from 0 (`num_warmup_steps`).
    ///
    ///     schedule.warmupSteps   // 10
    public var warmupSteps: Int
    /// The length of the schedule (`num_training_steps`).
    ///
    ///     schedule.totalSteps   // 110
    public var totalSteps: Int
    /// Number of cosine periods after the warm-up (`num_cycles`); 0.5 decays once to 0.
    ///
    ///     CosineWarmupSchedule(baseLearningRate: 1, warmupSteps: 0, totalSteps: 100, cycles: 2).cycles   // 2
    public var cycles: Double

    /// A warm-up-then-cosine schedule; see the type's documentation.
    ///
    ///     let schedule = CosineWarmupSchedule(baseLearningRate: 3e-4, warmupSteps: 200, totalSteps: 5000)
    public init(baseLearningRate: Float, warmupSteps: Int, totalSteps: Int, cycles: Double = 0.5) {
        self.baseLearningRate = baseLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.cycles = cycles
    }

    /// The factor λ(step) that multiplies the base rate: HF's `lr_lambda`, in [0, 1].
    ///
    ///     CosineWarmupSchedule(baseLearningRate: 1, warmupSteps: 0, totalSteps: 10).multiplier(at: 5)   // 0.5
    public func multiplier(at step: Int) -> Double {
        if step < warmupSteps {
            return Double(step) / Double(max(1, warmupSteps))
        }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return max(0, 0.5 * (1 + cos(Double.pi * cycles * 2 * progress)))
    }

    /// `baseLearningRate · multiplier(at: step)`.
    ///
    ///     CosineWarmupSchedule(baseLearningRate: 2, warmupSteps: 0, totalSteps: 10).learningRate(at: 5)   // 1
    public func learningRate(at step: Int) -> Float {
        Float(Double(baseLearningRate) * multiplier(at: step))
    }
}
