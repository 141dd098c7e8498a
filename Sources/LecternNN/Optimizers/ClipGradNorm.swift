// Gradient clipping by the global L2 norm.
//
// Reference: `torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=2.0)`
// (PyTorch 2.x), after R. Pascanu, T. Mikolov, Y. Bengio, "On the difficulty of training
// recurrent neural networks", ICML 2013: the norm of all gradients together, as if they were
// one long vector, is measured; if it exceeds max_norm, every gradient is multiplied by
// max_norm / (norm + 1e-6). The direction of the update is kept; only its length is capped,
// which stops one exploding batch (common in RNNs) from wrecking the weights.
//
// The norm is accumulated in Double (PyTorch sums in float32 per tensor), so it is at least as
// accurate; the scale factor is rounded to Float as in PyTorch.

/// Scales the gradients of `parameters` in place so that their global L2 norm is at most
/// `maxNorm`, and returns the norm they had before (PyTorch's `clip_grad_norm_`).
///
///     loss.backward()
///     let norm = clipGradNorm(model.parameters(), maxNorm: 1.0)   // log it: spikes mean trouble
///     optimizer.step()
///
/// Parameters without a gradient are skipped. If the norm is already at most `maxNorm` the
/// gradients are left unchanged.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    require(maxNorm >= 0, "clipGradNorm: maxNorm must be non-negative, got \(maxNorm)")
    let withGrads = parameters.filter { $0.grad != nil }
    var sumOfSquares: Double = 0
    for parameter in withGrads {
        parameter.grad!.withUnsafeScalars { g in
            for x in g { sumOfSquares += Double(x) * Double(x) }
        }
    }
    let totalNorm = Float(sumOfSquares.squareRoot())
    let coefficient = maxNorm / (totalNorm + 1e-6)
    // PyTorch multiplies by min(coefficient, 1) unconditionally; multiplying by 1 changes nothing.
    if coefficient < 1 {
        for parameter in withGrads {
            parameter.value.grad = Tensor.withoutGradients { parameter.grad! * coefficient }
        }
    }
    return totalNorm
}
