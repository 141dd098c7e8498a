// Binary cross-entropy on logits, computed stably.
//
// Reference: `torch.nn.functional.binary_cross_entropy_with_logits(input, target,
// reduction='mean')` (PyTorch 2.x). With σ the sigmoid, the loss per element is
//
//     −[y·log σ(x) + (1 − y)·log(1 − σ(x))]  =  max(x, 0) − x·y + log(1 + e^−|x|)
//
// The right-hand form never computes σ(x) (which rounds to exactly 0 or 1 for |x| ≳ 17 and
// then gives log 0 = −∞) and never exponentiates a positive number (so no overflow): the same
// rearrangement PyTorch and TensorFlow use. Its gradient is σ(x) − y.
// Not implemented: `weight` and `pos_weight`.

/// Binary cross-entropy between `logits` and `targets` in [0, 1] (hard or soft labels),
/// elementwise, from logits: numerically stable for any logit; differentiable in `logits`.
///
///     let logits = classifier(x)                       // (N, 1)
///     let loss = binaryCrossEntropyWithLogits(logits, labels)   // labels: (N, 1) of 0s and 1s
///
/// - Precondition: `logits` and `targets` have the same shape.
public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor, reduction: LossReduction = .mean) -> Tensor {
    require(logits.shape == targets.shape,
            "binaryCrossEntropyWithLogits: logits of shape \(logits.shape) and targets of shape \(targets.shape); they must match")
    // max(x, 0) − x·y + log(1 + e^−|x|), elementwise, with max(x, 0) and |x| chosen by one
    // branch mask (x ≥ 0). Each branch is smooth with derivative σ(x) − y, so the gradient is
    // right everywhere; relu() and abs() would each take the subgradient 0 at x = 0 and give −y
    // there instead of ½ − y.
    let nonNegative = Tensor(shape: logits.shape, scalars: logits.scalars.map { $0 >= 0 ? 1 : 0 })
    let positivePart = Tensor.where(nonNegative, logits, Tensor(0))   // max(x, 0)
    let magnitude = Tensor.where(nonNegative, logits, -logits)        // |x|
    let perElement = positivePart - logits * targets + ((-magnitude).exp() + 1).log()
    return perElement.reduced(reduction)
}
