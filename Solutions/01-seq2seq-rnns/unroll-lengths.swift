/// Runs `step` over the T steps of `inputs` (B, T, I) from `initial` (B, H) and returns each
/// row's state after its own last real step, `lengths[b]`: padding never reaches the result.
func finalState(inputs: Tensor, lengths: [Int], initial: Tensor,
                step: (_ x: Tensor, _ h: Tensor) -> Tensor) -> Tensor {
    let (b, t) = (inputs.shape[0], inputs.shape[1])
    var h = initial
    for time in 0..<t {
        let next = step(inputs.index(axis: 1, time), h)                        // (B, H)
        // 1 for the rows still inside their sequence, 0 for rows already in their padding.
        let keep = Tensor(shape: [b, 1], scalars: lengths.map { time < $0 ? 1 : 0 })
        // Finished rows keep their state unchanged; the others take the new one.
        h = keep * next + (1 - keep) * h
    }
    return h
}
