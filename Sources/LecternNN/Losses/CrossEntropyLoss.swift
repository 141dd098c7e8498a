// Cross-entropy of logits against class indices, differentiable, as PyTorch computes it.
//
// Reference: `torch.nn.functional.cross_entropy(input, target, ignore_index=-100,
// reduction='mean', label_smoothing=0.0)` (PyTorch 2.x; aten/src/ATen/native/LossNLL.cpp).
// For row i with target tᵢ and log-probabilities ℓᵢ = log_softmax(xᵢ):
//
//     nllᵢ    = −ℓᵢ[tᵢ]
//     smoothᵢ = −(1/C) Σ_c ℓᵢ[c]                      (label smoothing's uniform part)
//     lossᵢ   = (1 − ε)·nllᵢ + ε·smoothᵢ               (ε = label_smoothing)
//
// which is the cross-entropy against the target distribution (1 − ε)·onehot + ε/C
// (C. Szegedy et al., "Rethinking the Inception Architecture", CVPR 2016, §7). Rows whose
// target is `ignore_index` (padding) contribute 0, and `.mean` divides by the number of rows
// that are *not* ignored, as PyTorch does; if every row is ignored the mean is 0/0 = NaN, as in
// PyTorch.
//
// Why log_softmax and a gather rather than a one-hot product: a −∞ logit (a masked class) has
// log-probability −∞, and 0·(−∞) is NaN; picking ℓᵢ[tᵢ] by index touches only the target.
// The whole loss is built from differentiable Tensor operations, so its gradient is the
// familiar (softmax − target distribution) / count, without a hand-written backward.

/// Cross-entropy loss of logits (N, C) against one class index per row, with PyTorch's
/// `ignore_index`, `label_smoothing` and `reduction`; differentiable with respect to `logits`.
///
///     let logits = model(x)                                      // (N, C)
///     let loss = crossEntropy(logits: logits, targets: labels)   // scalar; -100 labels skipped
///     loss.backward()
///
///     // Language modelling: flatten (B, T, V) to (B·T, V)
///     crossEntropy(logits: lmLogits.reshaped([-1, vocabSize]), targets: labels.flatMap { $0 },
///                  labelSmoothing: 0.1)
///
/// - Parameters:
///   - logits: unnormalised scores, shape (N, C).
///   - targets: N class indices in `0..<C`, or `ignoreIndex` for rows to skip.
///   - ignoreIndex: the target value that marks a row to skip (PyTorch's default −100); nil
///     makes every target count.
///   - labelSmoothing: ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C.
///   - reduction: `.mean` over the rows not ignored (default), `.sum`, or `.none` for the N
///     per-row losses (0 for ignored rows).
/// - Precondition: `logits` is (N, C) with C ≥ 1, `targets.count == N`, each target is a class
///   index or `ignoreIndex`, and `0 <= labelSmoothing <= 1`.
public func crossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int? = -100, labelSmoothing: Float = 0,
                         reduction: LossReduction = .mean) -> Tensor {
    require(logits.rank == 2,
            "crossEntropy: logits must have shape (N, C), got \(logits.shape); for (B, T, C) logits use logits.reshaped([-1, C]) and flatten the targets")
    let (n, classes) = (logits.shape[0], logits.shape[1])
    require(classes >= 1, "crossEntropy: logits of shape \(logits.shape) have no classes")
    require(targets.count == n, "crossEntropy: \(n) rows of logits but \(targets.count) targets; give one target per row")
    require((0...1).contains(labelSmoothing), "crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    let ignored = targets.map { $0 == ignoreIndex }
    for (row, target) in targets.enumerated() where !ignored[row] {
        require((0..<classes).contains(target),
                "crossEntropy: target \(target) in row \(row) is not a class index in 0..<\(classes)" +
                (ignoreIndex.map { " (nor ignoreIndex \($0))" } ?? ""))
    }

    let logProbs = logits.logSoftmax(axis: 1)                                // (N, C)
    // Row i's target log-probability sits at i·C + tᵢ of the flattened (N·C) tensor. Ignored
    // rows pick class 0 and are then masked to 0, which also gives them no gradient.
    let flatIndices = targets.enumerated().map { row, target in row * classes + (ignored[row] ? 0 : target) }
    let picked = logProbs.reshaped([n * classes]).gathered(indices: flatIndices, axis: 0)  // (N)
    var loss = (-picked).maskedFill(ignored, with: 0)                          // (N), nllᵢ
    if labelSmoothing > 0 {
        let smooth = (-logProbs.sum(axis: 1) / Float(classes)).maskedFill(ignored, with: 0)  // (N)
        loss = (1 - labelSmoothing) * loss + labelSmoothing * smooth             // (N)
    }
    switch reduction {
    case .none:
        return loss                                                            // (N)
    case .sum:
        return loss.sum()                                                      // ()
    case .mean:
        // PyTorch divides by the number of rows that count, not by N.
        return loss.sum() / Float(ignored.lazy.filter { !$0 }.count)           // ()
    }
}
