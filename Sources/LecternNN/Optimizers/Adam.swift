// Adam with L2 weight decay added to the gradient.
//
// Reference: D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, and
// `torch.optim.Adam` (PyTorch 2.x), whose `weight_decay` adds λ·θ to the gradient before the
// moments are updated (an L2 penalty, which Adam's per-coordinate scaling then distorts:
// I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019). For decay
// that behaves as intended, use ``AdamW``. The update is in AdamUpdate.swift.

/// PyTorch's `torch.optim.Adam` (non-AMSGrad): adaptive moment estimation with bias
/// correction; `weightDecay` is an L2 penalty added to the gradient.
///
///     let optimizer = Adam(model.parameters(), lr: 1e-3)
///     // The Transformer's settings (Attention Is All You Need §5.3), with a Noam schedule:
///     let transformer = Adam(model.parameters(), lr: 0, betas: (0.9, 0.98), eps: 1e-9)
public class Adam: Optimizer {
    /// The parameters updated, in order.
    ///
    ///     optimizer.parameters.count   // model.parameters().count
    public let parameters: [Parameter]
    /// The learning rate.
    ///
    ///     optimizer.lr = schedule.learningRate(at: step)
    public var lr: Float
    /// The decay rates (β₁, β₂) of the first and second moment estimates.
    ///
    ///     Adam(model.parameters(), betas: (0.9, 0.98)).betas.1   // 0.98 (the Transformer)
    public var betas: (Float, Float)
    /// Added to the denominator for numerical stability.
    ///
    ///     Adam(model.parameters(), eps: 1e-9).eps   // 1e-9 (the Transformer)
    public var eps: Float
    /// The L2 penalty λ, added to the gradient as λ·θ.
    ///
    ///     optimizer.weightDecay = 0   // switch decay off
    public var weightDecay: Float
    private var states: [AdamState?]

    /// An Adam optimizer with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
    /// no weight decay.
    ///
    ///     let optimizer = Adam(model.parameters(), lr: 3e-4, weightDecay: 1e-5)
    public convenience init(_ parameters: [Parameter], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                            eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    /// Adam, or AdamW when `decoupled` (the two differ only in where the weight decay goes).
    init(_ parameters: [Parameter], lr: Float, betas: (Float, Float), eps: Float, weightDecay: Float, decoupled: Bool) {
        checkAdamHyperparameters(decoupled ? "AdamW" : "Adam", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        self.decoupled = decoupled
        self.parameters = parameters
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// Whether the weight decay is decoupled (AdamW) rather than an L2 penalty (Adam).
    let decoupled: Bool

    /// One Adam (or AdamW) update of every parameter that has a gradient.
    ///
    ///     optimizer.step()
    public func step() {
        for (index, parameter) in parameters.enumerated() where parameter.grad != nil {
            var state = states[index] ?? AdamState(count: parameter.count)
            states[index] = nil  // hold the only reference: the moments are updated in place
            _ = parameter.updateInPlace { p, g in
                adamUpdate(p, g, state: &state, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: decoupled)
            }
            states[index] = state
        }
    }
}

/// Stops with PyTorch's messages on hyperparameters PyTorch rejects.
func checkAdamHyperparameters(_ name: String, lr: Float, betas: (Float, Float), eps: Float, weightDecay: Float) {
    require(lr >= 0, "\(name): invalid learning rate \(lr)")
    require(eps >= 0, "\(name): invalid epsilon value \(eps)")
    require((0..<1).contains(betas.0), "\(name): invalid beta parameter at index 0: \(betas.0)")
    require((0..<1).contains(betas.1), "\(name): invalid beta parameter at index 1: \(betas.1)")
    require(weightDecay >= 0, "\(name): invalid weightDecay value \(weightDecay)")
}
