/// One step of an Elman RNN, PyTorch's layout: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
/// x is (B, I), h is (B, H), W_ih is (H, I), W_hh is (H, H), the biases are (H). Returns (B, H).
func elmanStep(x: Tensor, h: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) -> Tensor {
    // The weights are stored (out, in), as PyTorch does, so each row vector is multiplied by the
    // transpose. The (H) biases broadcast over the B rows.
    let fromInput = x.matmul(weightIH.transposed(0, 1)) + biasIH     // (B, H)
    let fromState = h.matmul(weightHH.transposed(0, 1)) + biasHH     // (B, H)
    return (fromInput + fromState).tanh()
}
