/// Multi-head attention with PyTorch's packed layout: inProjWeight (3d, d) holds W^Q, W^K, W^V
/// (each [out, in]), inProjBias (3d) their biases; outWeight, outBias are W^O and its bias.
func multiHeadAttention(query: Tensor, key: Tensor, value: Tensor, heads: Int,
                        inProjWeight: Tensor, inProjBias: Tensor, outWeight: Tensor, outBias: Tensor,
                        mask: Tensor? = nil) -> Tensor {
    let d = query.shape[2]
    /// Block `block` of the packed projection applied to `x`: x · W_blockᵀ + b_block.
    func project(_ x: Tensor, _ block: Int) -> Tensor {
        let rows = (block * d)..<((block + 1) * d)
        return x.linear(inProjWeight.slice(axis: 0, rows)) + inProjBias.slice(axis: 0, rows)
    }
    let q = splitHeads(project(query, 0), heads: heads)                    // (B, h, T, d/h)
    let k = splitHeads(project(key, 1), heads: heads)                      // (B, h, S, d/h)
    let v = splitHeads(project(value, 2), heads: heads)                    // (B, h, S, d/h)
    let attended = scaledDotProductAttention(query: q, key: k, value: v, attentionMask: mask).output   // (B, h, T, d/h)
    return mergeHeads(attended).linear(outWeight) + outBias                // (B, T, d)
}
