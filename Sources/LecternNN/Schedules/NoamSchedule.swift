// The Transformer's learning-rate schedule ("Noam").
//
// Reference: A. Vaswani et al., "Attention Is All You Need", NeurIPS 2017, §5.3:
//
//     lrate = d_model^−0.5 · min(step_num^−0.5, step_num · warmup_steps^−1.5)
//
// It rises linearly for `warmup_steps` steps and then decays with the inverse square root of the
// step; the two branches meet at step_num = warmup_steps, the peak. The d_model^−0.5 factor makes
// wider models train with smaller steps. The paper used warmup_steps = 4000 with Adam
// (β₁ = 0.9, β₂ = 0.98, ε = 1e−9). "Noam" is Noam Shazeer, after whom tensor2tensor named it.
//
// The step: the paper's step_num counts from 1. Like the Annotated Transformer's `rate`
// function (Harvard NLP), which is driven by LambdaLR from step 0, step 0 is treated as step 1
// so that the very first update is not made with a rate of 0 (step_num^−0.5 is infinite at 0).
// An optional `factor` scales the whole curve, as the Annotated Transformer's does.

import Foundation

/// The inverse-square-root schedule of "Attention Is All You Need" §5.3: linear warm-up to a
/// peak at `warmupSteps`, then decay as step^−0.5, scaled by `modelDim^−0.5`.
///
///     let schedule = NoamSchedule(modelDim: 512, warmupSteps: 4000)
///     schedule.learningRate(at: 1)       // 512^-0.5 · 1 · 4000^-1.5 ≈ 1.75e-7
///     schedule.learningRate(at: 4000)    // the peak, ≈ 6.99e-4
///     schedule.learningRate(at: 16000)   // half the peak, ≈ 3.49e-4
public struct NoamSchedule: LearningRateSchedule {
    /// The model width d_model.
    ///
    ///     schedule.modelDim   // 512
    public var modelDim: Int
    /// The step at which the rate peaks (the paper uses 4000).
    ///
    ///     schedule.warmupSteps   // 4000
    public var warmupSteps: Int
    /// A constant multiplier on the whole curve (1 in the paper).
    ///
    ///     NoamSchedule(modelDim: 512, warmupSteps: 4000, factor: 2).factor   // 2
    public var factor: Double

    /// The schedule for a model of width `modelDim`; see the type's documentation.
    ///
    ///     let schedule = NoamSchedule(modelDim: 256, warmupSteps: 400, factor: 2)
    ///
    /// - Precondition: `modelDim > 0` and `warmupSteps > 0`.
    public init(modelDim: Int, warmupSteps: Int, factor: Double = 1) {
        require(modelDim > 0, "NoamSchedule: modelDim must be positive, got \(modelDim)")
        require(warmupSteps > 0, "NoamSchedule: warmupSteps must be positive, got \(warmupSteps)")
        self.modelDim = modelDim
        self.warmupSteps = warmupSteps
        self.factor = factor
    }

    /// The paper's lrate at `step` (step 0 counts as step 1), in Double.
    ///
    ///     NoamSchedule(modelDim: 64, warmupSteps: 100).rate(at: 100)   // 64^-0.5 · 100^-0.5 = 0.0125
    public func rate(at step: Int) -> Double {
        let s = Double(max(step, 1))
        let warmup = Double(warmupSteps)
        return factor * pow(Double(modelDim), -0.5) * min(pow(s, -0.5), s * pow(warmup, -1.5))
    }

    /// ``rate(at:)`` rounded to Float, for an optimizer's `lr`.
    ///
    ///     optimizer.lr = NoamSchedule(modelDim: 512, warmupSteps: 4000).learningRate(at: step)
    public func learningRate(at step: Int) -> Float {
        Float(rate(at: step))
    }
}
