/// BERT's pooler: tanh(W_p · h[CLS] + b_p) for every sequence; (B, N, H) → (B, H).
func poolCLS(_ hidden: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
    let (b, h) = (hidden.shape[0], hidden.shape[2])
    let first = hidden.slice(axis: 1, 0..<1).reshaped([b, h])   // (B, H): the [CLS] states
    return (first.linear(weight) + bias).tanh()                 // (B, H)
}
