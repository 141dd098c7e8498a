/// One post-LN encoder layer (Vaswani et al. 2017): x ← norm1(x + selfAttention(x));
/// x ← norm2(x + feedForward(x)). No dropout.
func encoderLayer(_ x: Tensor, attentionMask: Tensor?, selfAttention: MultiheadAttention,
                  feedForward: PositionwiseFeedForward, norm1: LayerNorm, norm2: LayerNorm) -> Tensor {
    let attended = norm1(x + selfAttention(x, attentionMask: attentionMask))   // (B, T, d)
    return norm2(attended + feedForward(attended))                            // (B, T, d)
}
