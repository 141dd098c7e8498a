// The residual connection and layer normalisation around every Transformer sublayer, in the
// 2017 paper's order (post-LN) or the order of GPT-2 and T5 (pre-LN).
//
// Reference: Vaswani et al. (2017) §3.1, "LayerNorm(x + Sublayer(x))" with dropout on the
// sublayer's output (§5.4); R. Xiong et al., "On Layer Normalization in the Transformer
// Architecture", ICML 2020, for pre-LN; `torch.nn.TransformerEncoderLayer(norm_first=…)`:
//
//     post-LN (norm_first = false):   x ← LayerNorm(x + Dropout(Sublayer(x)))
//     pre-LN  (norm_first = true):    x ← x + Dropout(Sublayer(LayerNorm(x)))
//
// Why the residual: y = x + f(x) has dy/dx = 1 + f′(x), so the gradient reaches the lower layers
// through the "1" however small f′ gets in a deep stack. Why pre-LN trains more easily: the
// residual stream x is then never normalised, so that identity path runs untouched from the
// loss to the embeddings; post-LN puts a LayerNorm on it after every sublayer, which is why the
// original Transformer needs a learning-rate warm-up (Xiong et al.). A pre-LN stack needs one
// more LayerNorm after its last layer (`encoder.norm` / `decoder.norm`).
//
// Note: lecture deck 001 writes X_A = LayerNorm(MultiheadSelfAttention(X)) + X, which is
// neither: post-LN normalises the *sum*, pre-LN normalises the sublayer's *input*.

/// One residual sublayer: `norm(x + dropout(sublayer(x)))` (post-LN, `normFirst` false, the
/// 2017 paper) or `x + dropout(sublayer(norm(x)))` (pre-LN, GPT-2, T5).
///
///     let y = sublayerConnection(x, norm: norm1, dropout: dropout1, normFirst: false) { h in
///         attention(h)                                  // (B, T, d) → (B, T, d)
///     }
///
/// - Precondition: `sublayer` returns a tensor of `x`'s shape.
public func sublayerConnection(_ x: Tensor, norm: LayerNorm, dropout: Dropout, normFirst: Bool,
                               _ sublayer: (Tensor) -> Tensor) -> Tensor {
    let update = sublayer(normFirst ? norm(x) : x)                          // (B, T, d)
    require(update.shape == x.shape, "sublayerConnection: the sublayer maps \(x.shape) to \(update.shape); a residual needs the same shape")
    let sum = x + dropout(update)                                           // (B, T, d)
    return normFirst ? sum : norm(sum)   // pre-LN leaves the stream x unnormalised; post-LN normalises the sum
}
