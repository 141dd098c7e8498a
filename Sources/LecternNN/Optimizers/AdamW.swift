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
public final class AdamW: Optimizer {
    /// The parameters updated, in order.
    ///
    ///     optimizer.parameters.count   // model.parameters().count
    public let parameters: [Parameter]
    /// The learning rate (it also scales the decay: θ ← θ·(1 − lr·λ)).
    ///
    ///     optimizer.lr = schedule.learningRate(at: step)
    public var lr: Float
    /// The decay rates (β₁, β₂) of the first and second moment estimates.
    ///
    ///     AdamW(model.parameters(), betas: (0.9, 0.95)).betas.1   // 0.95 (GPT-3 style)
    public var betas: (Float, Float)
    /// Added to the denominator for numerical stability.
    ///
    ///     AdamW(model.parameters()).eps   // 1e-8
    public var eps: Float
    /// The decoupled weight decay λ.
    ///
    ///     optimizer.weightDecay = 0   // switch decay off
    public var weightDecay: Float
    private var states: [AdamState?]

    /// An AdamW optimizer with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
    /// weight decay 0.01.
    ///
    ///     let optimizer = AdamW(model.parameters(), lr: 3e-4, betas: (0.9, 0.95), weightDecay: 0.1)
    public init(_ parameters: [Parameter], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        checkAdamHyperparameters("AdamW", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        self.parameters = parameters
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// One AdamW update of every parameter that has a gradient.
    ///
    ///     optimizer.step()
    public func step() {
        for (index, parameter) in parameters.enumerated() where parameter.grad != nil {
            var state = states[index] ?? AdamState(count: parameter.count)
            states[index] = nil  // hold the only reference: the moments are updated in place
            _ = parameter.updateInPlace { p, g in
                adamUpdate(p, g, state: &state, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
            }
            states[index] = state
        }
    }
}
