// Adam with decoupled weight decay.
//
// Reference: I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, and
// `torch.optim.AdamW` (PyTorch 2.x): before the Adam update, every parameter shrinks by
// θ ← θ·(1 − lr·λ), independently of the gradient's scale, instead of adding λ·θ to the
// gradient (where Adam's normalisation would weaken the decay for parameters with large
// gradients). The default λ = 0.01 is PyTorch's. This is the optimizer BERT, GPT-2 and T5
// fine-tuning recipes use. The update is in AdamUpdate.swift.

/// PyTorch's `torch.optim.AdamW` (non-AMSGrad): Adam with decoupled weight decay.
///
///     let optimizer = AdamW(model.parameters(), lr: 5e-5, weightDecay: 0.01)
///     let schedule = LinearWarmupSchedule(baseLearningRate: 5e-5, warmupSteps: 100, totalSteps: 1000)
///     optimizer.lr = schedule.learningRate(at: step)
///     optimizer.step()
public final class AdamW: Adam {
    /// An AdamW optimizer with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
    /// weight decay 0.01. The learning rate also scales the decay: θ ← θ·(1 − lr·λ).
    ///
    ///     let optimizer = AdamW(model.parameters(), lr: 3e-4, betas: (0.9, 0.95), weightDecay: 0.1)
    public init(_ parameters: [Parameter], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}
