// The common shape of a learning-rate schedule: a pure function from the step to a rate.
//
// Reference: PyTorch's `torch.optim.lr_scheduler.LambdaLR`, which is how Hugging Face builds its
// schedules (`transformers.get_linear_schedule_with_warmup` and friends): the learning rate of
// optimizer step k is `baseLR · λ(k)`, with k counted from 0. The rate used by the first
// `step()` is λ(0) (0 during a warm-up), and the scheduler advances once after every step.
//
// Here a schedule is a value, not an object wired to an optimizer: it has no state, so the same
// schedule can be plotted in a lesson, printed as a table, or applied to an optimizer by the
// training loop, one line per step:
//
//     optimizer.lr = schedule.learningRate(at: step)
//     optimizer.step()

/// A learning rate as a function of the optimizer step, with no hidden state.
///
///     let schedule = LinearWarmupSchedule(baseLearningRate: 5e-5, warmupSteps: 100, totalSteps: 1000)
///     for step in 0..<1000 {
///         optimizer.lr = schedule.learningRate(at: step)
///         // forward, backward, optimizer.step(), optimizer.zeroGrad()
///     }
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for optimizer step `step`, counted from 0 (the first `step()` call uses
    /// `learningRate(at: 0)`), as Hugging Face's schedules count.
    ///
    ///     let schedule = NoamSchedule(modelDim: 512, warmupSteps: 4000)
    ///     schedule.learningRate(at: 4000)   // the peak: 512^-0.5 · 4000^-0.5 ≈ 7.0e-4
    func learningRate(at step: Int) -> Float
}

extension LearningRateSchedule {
    /// The learning rates of steps `0..<count`, e.g. to plot or print a schedule.
    ///
    ///     let rates = LinearWarmupSchedule(baseLearningRate: 1, warmupSteps: 2, totalSteps: 4).learningRates(count: 5)
    ///     // [0, 0.5, 1, 0.5, 0]
    public func learningRates(count: Int) -> [Float] {
        (0..<max(0, count)).map { learningRate(at: $0) }
    }
}
