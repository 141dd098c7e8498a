/// The negative log-likelihood of class `target` under softmax(logits).
func crossEntropy(logits: [Float], target: Int) -> Float {
    precondition(logits.indices.contains(target), "target \(target) is not in 0..<\(logits.count)")
    // -log softmax(x)[t] = log Σ exp(xⱼ) - x[t]: a stable log-sum-exp, never the probabilities.
    let largest = logits.max()!
    let total = logits.map { exp($0 - largest) }.reduce(0, +)
    // Grouped as (m - x[t]) + log Σ exp(xⱼ - m), so huge logits cancel before they are added.
    return (largest - logits[target]) + log(total)
}

/// The mean cross-entropy over a batch: one row of logits and one target per example.
func crossEntropy(logits: [[Float]], targets: [Int]) -> Float {
    precondition(logits.count == targets.count, "one target per row: \(logits.count) rows, \(targets.count) targets")
    var sum: Float = 0
    for (row, target) in zip(logits, targets) {
        sum += crossEntropy(logits: row, target: target)
    }
    return sum / Float(logits.count)
}
