/// BERT's input representation: LayerNorm(word[id] + position[t] + type[segment]) over the last
/// axis (biased variance, eps inside the root), then · gamma + beta. (B, T) ids → (B, T, H).
func embedTokens(inputIDs: [[Int]], tokenTypeIDs: [[Int]], wordTable: Tensor, positionTable: Tensor,
                 typeTable: Tensor, gamma: Tensor, beta: Tensor, eps: Float) -> Tensor {
    let (b, t, h) = (inputIDs.count, inputIDs.first?.count ?? 0, wordTable.shape[1])
    let words = wordTable.gathered(indices: inputIDs.flatMap { $0 }, axis: 0)                  // (B·T, H)
    let positions = positionTable.gathered(indices: Array(repeating: Array(0..<t), count: b).flatMap { $0 }, axis: 0)
    let types = typeTable.gathered(indices: tokenTypeIDs.flatMap { $0 }, axis: 0)              // (B·T, H)
    let sum = (words + positions + types).reshaped([b, t, h])                                  // (B, T, H)
    let mean = sum.mean(axis: -1, keepDims: true)                                              // (B, T, 1)
    let variance = sum.variance(axis: -1, keepDims: true, unbiased: false)                     // (B, T, 1)
    return (sum - mean) / (variance + eps).sqrt() * gamma + beta                               // (B, T, H)
}
