// How a loss turns per-element losses into its result.
//
// Reference: the `reduction` argument of PyTorch's losses ('mean' | 'sum' | 'none'),
// `torch.nn.functional` (PyTorch 2.x).

/// How a loss combines its per-element (or per-example) losses, as PyTorch's `reduction`.
///
///     crossEntropy(logits: logits, targets: targets, reduction: .sum)
///     mseLoss(prediction, target, reduction: .none)   // one loss per element
public enum LossReduction: String, Sendable, CaseIterable {
    /// The mean over the elements that count (PyTorch's default).
    case mean
    /// The sum.
    case sum
    /// No reduction: one loss per element, in the input's shape.
    case none
}

extension Tensor {
    /// Reduces per-element losses as `reduction` says: a scalar for `.mean` and `.sum`, `self`
    /// for `.none`.
    func reduced(_ reduction: LossReduction) -> Tensor {
        switch reduction {
        case .mean: mean()
        case .sum: sum()
        case .none: self
        }
    }
}
