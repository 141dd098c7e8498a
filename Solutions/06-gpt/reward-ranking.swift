func rankingLoss(_ rewards: Tensor) -> Tensor {
    let (prompts, k) = (rewards.shape[0], rewards.shape[1])
    var better: [Tensor] = [], worse: [Tensor] = []
    for p in 0..<prompts {
        let row = rewards.slice(axis: 0, p..<(p + 1)).reshaped([k])
        for i in 0..<k {
            for j in (i + 1)..<k {
                better.append(row.slice(axis: 0, i..<(i + 1)))
                worse.append(row.slice(axis: 0, j..<(j + 1)))
            }
        }
    }
    let margin = Tensor.concat(better, axis: 0) - Tensor.concat(worse, axis: 0)       // r_w − r_l for every pair
    let pairs = margin.shape[0]
    // −log σ(d) is the cross-entropy of the logits (d, 0) with class 0: no overflow, and the
    // right gradient −σ(−d) everywhere, d = 0 included.
    let logits = Tensor.concat([margin.reshaped([pairs, 1]), Tensor.zeros([pairs, 1])], axis: 1)   // (pairs, 2)
    return -logits.logSoftmax(axis: 1).slice(axis: 1, 0..<1).mean()
}
