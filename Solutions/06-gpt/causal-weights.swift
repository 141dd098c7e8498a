func causalWeights(_ scores: Tensor) -> Tensor {
    let t = scores.shape[scores.rank - 1]
    // 1 above the diagonal (the future), 0 on and below it: (T, T), broadcast over leading axes.
    let future = Tensor(shape: [t, t], scalars: (0..<(t * t)).map { $0 % t > $0 / t ? 1 : 0 })
    return scores.maskedFill(future, with: -1e10).softmax(axis: -1)
}
