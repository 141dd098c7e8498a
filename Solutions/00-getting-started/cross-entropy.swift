/// The mean cross-entropy of a batch: logits (N, C), one target class per row. A scalar tensor
/// (shape []), differentiable with respect to the logits; its gradient is (softmax − onehot) / N.
func crossEntropy(logits: Tensor, targets: [Int]) -> Tensor {
    precondition(logits.rank == 2, "crossEntropy: logits must have shape (N, C), got \(logits.shape)")
    let (n, c) = (logits.shape[0], logits.shape[1])
    precondition(targets.count == n, "crossEntropy: \(n) rows of logits but \(targets.count) targets; give one target per row")
    for (row, target) in targets.enumerated() {
        precondition((0..<c).contains(target), "crossEntropy: the target of row \(row) is \(target), not a class in 0..<\(c)")
    }
    // -log softmax(x)[t] = logSumExp(x) - x[t]. Shift every row by its max first (a constant, so
    // detached): the shift cancels between the two terms, every exponent is <= 0, and the
    // subtraction at the end is between small numbers, so a tiny loss keeps its digits.
    let shifted = logits - logits.max(axis: 1, keepDims: true).detached()      // (N, C), all <= 0
    let logSums = shifted.exp().sum(axis: 1).log()                               // (N)
    // Row i's target sits at i·C + tᵢ of the flattened logits. Picking it by index, not by
    // multiplying with a one-hot row, keeps a -inf logit elsewhere from making 0·(-inf) = NaN;
    // the gather's gradient sends each row's -1 back to its target.
    let picked = shifted.reshaped([n * c]).gathered(indices: targets.enumerated().map { $0 * c + $1 })  // (N)
    return (logSums - picked).mean()
}
