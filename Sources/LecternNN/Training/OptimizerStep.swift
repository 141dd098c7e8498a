// One training step from a loss: clear the gradients, backpropagate, update.
//
// Reference: the canonical PyTorch loop `optimizer.zero_grad(); loss.backward();
// optimizer.step()`. Clearing *before* the forward pass is what makes the closure form safe:
// gradients accumulate across `backward()` calls, and a forgotten `zero_grad()` is the most
// common bug of a first training loop, so the step owns it.

extension Optimizer {
    /// Clears the gradients, computes `loss()`, backpropagates it, takes one optimizer step,
    /// and returns the loss's value (for ``fit(epochs:batches:display:step:)``).
    ///
    ///     fit(epochs: 10, batches: { _ in batcher.batches(shuffledWith: &rng) }) { batch in
    ///         optimizer.minimize { crossEntropy(logits: model(batch), targets: batch.labels) }
    ///     }
    ///
    /// - Parameter clipNorm: if given, the gradients are clipped to this total L2 norm before
    ///   the step (`clipGradNorm(_:maxNorm:)`), as RNNs usually need.
    /// - Precondition: `loss()` returns a scalar.
    @discardableResult
    public func minimize(clipNorm: Float? = nil, _ loss: () throws -> Tensor) rethrows -> Float {
        zeroGrad()
        let value = try loss()
        require(value.count == 1, "minimize: the loss must be a scalar, got shape \(value.shape)")
        value.backward()
        if let clipNorm { _ = clipGradNorm(parameters, maxNorm: clipNorm) }
        step()
        return value.scalar
    }
}
