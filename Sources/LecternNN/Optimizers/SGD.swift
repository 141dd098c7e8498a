// Stochastic gradient descent with momentum, dampening, weight decay and Nesterov momentum.
//
// Reference: `torch.optim.SGD` (PyTorch 2.x, `_single_tensor_sgd`), step for step:
//
//     g ← ∇θ + λ·θ                                  (weight decay, if λ ≠ 0)
//     b ← g                           on the first step (momentum ≠ 0)
//     b ← μ·b + (1 − τ)·g             afterwards        (τ = dampening)
//     g ← g + μ·b   if nesterov,   else   g ← b
//     θ ← θ − lr·g
//
// Nesterov momentum: I. Sutskever et al., "On the importance of initialization and momentum in
// deep learning", ICML 2013, in the reformulation PyTorch uses. Note PyTorch's momentum differs
// from the textbook "v ← μv − lr·g": the learning rate multiplies the buffer rather than
// entering it, which only matters when the learning rate changes during training.

/// PyTorch's `torch.optim.SGD`: plain, momentum, or Nesterov gradient descent, with optional
/// L2 weight decay.
///
///     let optimizer = SGD(model.parameters(), lr: 0.1, momentum: 0.9, nesterov: true)
///     loss.backward()
///     optimizer.step()
public final class SGD: Optimizer {
    /// The parameters updated, in order.
    ///
    ///     optimizer.parameters.count   // model.parameters().count
    public let parameters: [Parameter]
    /// The learning rate.
    ///
    ///     optimizer.lr = schedule.learningRate(at: step)
    public var lr: Float
    /// The momentum factor μ (0: none).
    ///
    ///     SGD(model.parameters(), lr: 0.1, momentum: 0.9).momentum   // 0.9
    public var momentum: Float
    /// The dampening τ of the momentum (the gradient enters the buffer with weight 1 − τ).
    ///
    ///     SGD(model.parameters(), lr: 0.1, momentum: 0.9, dampening: 0.1).dampening   // 0.1
    public var dampening: Float
    /// The L2 penalty λ, added to the gradient as λ·θ.
    ///
    ///     optimizer.weightDecay = 0   // switch decay off
    public var weightDecay: Float
    /// Whether to use Nesterov momentum.
    ///
    ///     SGD(model.parameters(), lr: 0.1, momentum: 0.9, nesterov: true).nesterov   // true
    public var nesterov: Bool
    /// The momentum buffer of each parameter; nil before its first step.
    private var momentumBuffers: [[Float]?]

    /// An SGD optimizer over `parameters` with PyTorch's defaults (no momentum, no decay).
    ///
    ///     let plain = SGD(model.parameters(), lr: 0.01)
    ///     let heavy = SGD(model.parameters(), lr: 0.01, momentum: 0.9, weightDecay: 1e-4)
    ///
    /// - Precondition: hyperparameters non-negative; Nesterov needs momentum > 0 and zero
    ///   dampening (PyTorch raises the same error).
    public init(_ parameters: [Parameter], lr: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        require(lr >= 0, "SGD: invalid learning rate \(lr)")
        require(momentum >= 0, "SGD: invalid momentum \(momentum)")
        require(weightDecay >= 0, "SGD: invalid weightDecay \(weightDecay)")
        require(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum requires a momentum and zero dampening")
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        momentumBuffers = Array(repeating: nil, count: parameters.count)
    }

    /// One SGD update of every parameter that has a gradient (see the file comment).
    ///
    ///     optimizer.step()
    public func step() {
        let (lr, mu, decay, nesterov) = (lr, momentum, weightDecay, nesterov)
        let oneMinusDampening = Float(1 - asWritten(dampening))  // PyTorch: 1 − dampening in Python
        for (index, parameter) in parameters.enumerated() {
            var buffer = momentumBuffers[index]
            momentumBuffers[index] = nil  // hold the only reference: updated in place below
            // Each line mirrors one in-place PyTorch op; `a.addingProduct(b, c)` is the fused
            // a + b·c that PyTorch's vectorised `add(…, alpha=)` computes.
            _ = parameter.updateInPlace { p, g in
                if mu == 0 {
                    for i in p.indices {
                        let grad = decay == 0 ? g[i] : g[i].addingProduct(p[i], decay)
                        p[i] = p[i].addingProduct(grad, -lr)
                    }
                    return
                }
                let firstStep = buffer == nil
                if firstStep { buffer = [Float](repeating: 0, count: p.count) }
                buffer!.withUnsafeMutableBufferPointer { b in
                    for i in p.indices {
                        let grad = decay == 0 ? g[i] : g[i].addingProduct(p[i], decay)
                        b[i] = firstStep ? grad : (b[i] * mu).addingProduct(grad, oneMinusDampening)
                        let direction = nesterov ? grad.addingProduct(b[i], mu) : b[i]
                        p[i] = p[i].addingProduct(direction, -lr)
                    }
                }
            }
            momentumBuffers[index] = buffer
        }
    }
}
