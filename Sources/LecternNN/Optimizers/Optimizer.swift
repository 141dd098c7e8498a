// The common interface of the optimizers.
//
// Reference: `torch.optim.Optimizer` (PyTorch 2.x): built over a list of parameters, with
// `step()` (one update from the current gradients) and `zero_grad()`; the learning rate is a
// mutable attribute a schedule can change between steps (`param_groups[0]["lr"]`).
//
// Why over raw pointers: an optimizer step touches every parameter once per training step, and
// must not build an autograd graph. Each update reads the gradient and writes the parameter
// through `withUnsafeScalars` / `withUnsafeMutableScalars` in one loop, the equivalent of
// PyTorch's in-place `param.add_(…)` under `torch.no_grad()`, and keeps the parameter's
// gradient identity, so the model sees the new values at once.

/// An optimizer that updates a fixed list of parameters from their gradients.
///
///     let optimizer = AdamW(model.parameters(), lr: 3e-4)
///     for batch in batches {
///         let loss = crossEntropy(logits: model(batch.inputs), targets: batch.labels)
///         optimizer.zeroGrad()
///         loss.backward()
///         optimizer.step()
///     }
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in a fixed order (its state is kept per index).
    var parameters: [Parameter] { get }
    /// The learning rate used by the next ``step()``; a schedule sets it between steps.
    var lr: Float { get set }
    /// One update of every parameter that has a gradient; parameters without one are skipped
    /// (their state is not advanced either), as in PyTorch.
    func step()
}

extension Optimizer {
    /// Clears the gradients of all the parameters (PyTorch's `zero_grad()`, which sets them to
    /// None by default).
    ///
    ///     optimizer.zeroGrad()
    ///     loss.backward()
    ///     optimizer.step()
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

extension Parameter {
    /// Calls `body` with the parameter's scalars (writable, in place) and its gradient's
    /// (read-only), or does nothing and returns false if it has no gradient.
    func updateInPlace(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) -> Bool {
        guard let grad else { return false }
        require(grad.shape == shape, "optimizer: gradient of shape \(grad.shape) for a parameter of shape \(shape)")
        grad.withUnsafeScalars { g in
            value.withUnsafeMutableScalars { p in body(p, g) }
        }
        return true
    }
}
