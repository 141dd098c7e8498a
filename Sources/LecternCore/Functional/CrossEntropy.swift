// Cross-entropy loss of logits against a target class.
//
// Reference: `torch.nn.functional.cross_entropy(logits, target)` (PyTorch 2.x) with the
// default mean reduction. For one example it is the negative log-likelihood of the target,
//
//     −log softmax(x)[t] = logSumExp(x) − x[t],
//
// which is how it is computed here, without ever forming the probabilities: no overflow for
// huge logits, and a tiny probability still gives a finite, exact loss.
//
// Departures from PyTorch: no `ignore_index` (PyTorch skips targets equal to −100; here every
// target must be a valid class), no class weights and no label smoothing. A target out of range
// stops the program with a message, as PyTorch raises an error.

/// The cross-entropy loss of one example: −log of the probability that `softmax(logits)`
/// gives to class `target`. 0 means a perfect, certain prediction; log(n) is what a uniform
/// guess over n classes scores.
///
///     crossEntropy(logits: [2, 1, 0.1], target: 0)   // 0.41703 = -log 0.659
///     crossEntropy(logits: [0, 0, 0, 0], target: 3)  // 1.3862944 = log 4
///
/// - Precondition: `0 <= target < logits.count`.
public func crossEntropy(logits: [Float], target: Int) -> Float {
    require(logits.indices.contains(target),
            "crossEntropy: target \(target) is not a class index; with \(logits.count) logits it must be in 0..<\(logits.count)")
    let (shift, logSum) = shiftedLogSum(logits)
    // logSumExp(x) − x[t], grouped as (m − x[t]) + log Σ exp(xⱼ − m) so that a confident,
    // correct prediction (x[t] = m) keeps its tiny loss instead of rounding it away.
    return (shift - logits[target]) + logSum
}

/// The mean cross-entropy loss of a batch: one row of logits and one target class per example.
///
///     crossEntropy(logits: [[2, 1, 0.1], [0, 0, 0, 0]], targets: [0, 3])
///     // (0.41703 + 1.3862944) / 2 = 0.90166
///
/// The rows may have different lengths. Like PyTorch's mean reduction, an empty batch gives
/// NaN (0 / 0).
///
/// - Precondition: `logits.count == targets.count`, and every target is valid for its row.
public func crossEntropy(logits: [[Float]], targets: [Int]) -> Float {
    require(logits.count == targets.count,
            "crossEntropy: \(logits.count) rows of logits but \(targets.count) targets; give one target per row")
    let losses = zip(logits, targets).map { crossEntropy(logits: $0, target: $1) }
    return pairwiseSum(losses) / Float(losses.count)
}
