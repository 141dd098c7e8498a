// Linear warm-up followed by linear decay to zero.
//
// Reference: Hugging Face transformers, `get_linear_schedule_with_warmup`
// (src/transformers/optimization.py), the schedule BERT fine-tuning uses. Its multiplier is
//
//     λ(k) = k / max(1, warmup)                                        for k < warmup
//     λ(k) = max(0, (total − k) / max(1, total − warmup))              otherwise
//
// computed here in Double, as Python computes it, and multiplied by the base rate. Why warm up
// at all: Adam's second-moment estimate is noisy for the first few hundred steps, and a full
// learning rate then can throw a freshly initialised Transformer into a bad region.

/// Hugging Face's `get_linear_schedule_with_warmup`: the rate rises linearly from 0 to
/// `baseLearningRate` over `warmupSteps`, then falls linearly to 0 at `totalSteps` (and stays 0).
///
///     let schedule = LinearWarmupSchedule(baseLearningRate: 1e-3, warmupSteps: 10, totalSteps: 110)
///     schedule.learningRate(at: 0)     // 0
///     schedule.learningRate(at: 5)     // 5e-4
///     schedule.learningRate(at: 10)    // 1e-3, the peak
///     schedule.learningRate(at: 60)    // 5e-4
///     schedule.learningRate(at: 200)   // 0
public struct LinearWarmupSchedule: LearningRateSchedule {
    /// The peak learning rate, reached at the end of the warm-up (the optimizer's `lr` in HF).
    ///
    ///     schedule.baseLearningRate   // 1e-3
    public var baseLearningRate: Float
    /// Steps of linear warm-up from 0 (`num_warmup_steps`); 0 means no warm-up.
    ///
    ///     schedule.warmupSteps   // 10
    public var warmupSteps: Int
    /// The step at which the rate reaches 0 (`num_training_steps`).
    ///
    ///     schedule.totalSteps   // 110
    public var totalSteps: Int

    /// A warm-up-then-decay schedule; see the type's documentation.
    ///
    ///     let schedule = LinearWarmupSchedule(baseLearningRate: 5e-5, warmupSteps: 500, totalSteps: 10_000)
    public init(baseLearningRate: Float, warmupSteps: Int, totalSteps: Int) {
        self.baseLearningRate = baseLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The factor λ(step) that multiplies the base rate: HF's `lr_lambda`, in [0, 1].
    ///
    ///     LinearWarmupSchedule(baseLearningRate: 1, warmupSteps: 4, totalSteps: 8).multiplier(at: 2)   // 0.5
    public func multiplier(at step: Int) -> Double {
        if step < warmupSteps {
            return Double(step) / Double(max(1, warmupSteps))
        }
        return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
    }

    /// `baseLearningRate · multiplier(at: step)`.
    ///
    ///     LinearWarmupSchedule(baseLearningRate: 2, warmupSteps: 4, totalSteps: 8).learningRate(at: 6)   // 1
    public func learningRate(at step: Int) -> Float {
        Float(Double(baseLearningRate) * multiplier(at: step))
    }
}
