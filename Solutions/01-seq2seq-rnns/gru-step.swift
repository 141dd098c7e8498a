/// One step of a GRU, PyTorch's gates and layout. The weights stack three blocks of H rows in
/// the order r (reset), z (update), n (candidate): W_ih is (3H, I), W_hh is (3H, H), the biases
/// (3H). x is (B, I), h is (B, H); returns h' (B, H).
func gruStep(x: Tensor, h: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) -> Tensor {
    let size = h.shape[1]
    // Both projections at once, then cut into the three gates' blocks along the last axis.
    let fromInput = (x.matmul(weightIH.transposed(0, 1)) + biasIH).split(sizes: [size, size, size], axis: 1)
    let fromState = (h.matmul(weightHH.transposed(0, 1)) + biasHH).split(sizes: [size, size, size], axis: 1)
    let r = (fromInput[0] + fromState[0]).sigmoid()          // how much of the old state the candidate sees
    let z = (fromInput[1] + fromState[1]).sigmoid()          // how much of the old state survives
    let n = (fromInput[2] + r * fromState[2]).tanh()         // PyTorch: r multiplies W_hn·h + b_hn
    return (1 - z) * n + z * h
}
