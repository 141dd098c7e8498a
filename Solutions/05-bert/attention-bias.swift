/// Hugging Face's extended attention mask: (B, N) 1/0 → (B, 1, 1, N), 0 where a key may be
/// attended to and the most negative Float where it is padding, to be added to the scores.
func additiveMask(_ attentionMask: [[Int]]) -> Tensor {
    let (b, n) = (attentionMask.count, attentionMask.first?.count ?? 0)
    let values = attentionMask.flatMap { $0 }.map { $0 == 1 ? Float(0) : -Float.greatestFiniteMagnitude }
    return Tensor(shape: [b, 1, 1, n], scalars: values)   // (B, 1, 1, N)
}
