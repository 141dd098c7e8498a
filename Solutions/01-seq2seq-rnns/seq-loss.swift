/// The teacher-forced sequence loss: logits (B, T, V) score the targets (B rows of T ids); the
/// result is the mean of −log p(target) over the positions whose target is not `padID`.
func sequenceLoss(logits: Tensor, targets: [[Int]], padID: Int) -> Tensor {
    let (b, t, v) = (logits.shape[0], logits.shape[1], logits.shape[2])
    let logProbabilities = logits.logSoftmax(axis: -1).reshaped([b * t * v])   // every log p, flat
    // The flat index of log p(target) at each real (non-padding) position.
    var picks: [Int] = []
    for row in 0..<b {
        for time in 0..<t where targets[row][time] != padID {
            picks.append((row * t + time) * v + targets[row][time])
        }
    }
    return -logProbabilities.gathered(indices: picks).mean()
}
