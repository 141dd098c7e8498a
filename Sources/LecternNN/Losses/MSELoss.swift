// Mean squared error.
//
// Reference: `torch.nn.functional.mse_loss(input, target, reduction='mean')` (PyTorch 2.x):
// (input − target)², then the reduction. Unlike PyTorch, which broadcasts mismatched shapes
// with a warning (a classic silent bug: (N, 1) against (N,) gives an (N, N) loss), the shapes
// must match here.

/// The squared error (input − target)², reduced: `.mean` by default.
///
///     let loss = mseLoss(prediction, target)   // scalar
///     loss.backward()                          // ∂/∂prediction = 2(prediction − target)/count
///
/// - Precondition: `input` and `target` have the same shape.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    require(input.shape == target.shape,
            "mseLoss: input of shape \(input.shape) and target of shape \(target.shape); they must match")
    return (input - target).squared().reduced(reduction)
}
