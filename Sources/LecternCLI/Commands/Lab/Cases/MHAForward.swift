// mha-forward: self-attention through LecternNN's MultiheadAttention(embedDim 256, numHeads 8,
// dropout 0) on an input of (B 8, T 128, E 256), no mask, in inference: eval mode, without
// gradient recording. Against torch.nn.MultiheadAttention(256, 8, batch_first=True) in eval
// mode under torch.no_grad(), called as mha(x, x, x, need_weights=False): the path a PyTorch
// user gets for inference, torch's fused native attention (its "fast path") included.
// It measures the attention block alone: the packed input projection, scaled dot-product
// attention over 8 heads (64 maps of 128 × 128 scores) and the output projection.
import LecternCore
import LecternNN

extension BenchCase {
    static var mhaForward: BenchCase {
        BenchCase(name: "mha-forward", unit: .milliseconds,
                  reference: ReferenceSpec(kind: "mha_forward", params: ["batch": 8, "seq": 128, "embed": 256, "heads": 8])) {
            let (attention, x) = mhaBenchInputs(seed: 5)
            attention.eval()
            return { benchKeep(Tensor.withoutGradients { attention(x) }) }        // (B, T, E)
        }
    }
}

extension BenchCase {
    /// mha-forward's and mha-train-step's layer, MultiheadAttention(256, 8 heads, dropout 0),
    /// and input, (B 8, T 128, E 256) uniform in [-1, 1).
    static func mhaBenchInputs(seed: UInt64) -> (MultiheadAttention, Tensor) {
        var rng = SeededGenerator(seed: seed)
        let attention = MultiheadAttention(embedDim: 256, numHeads: 8, dropout: 0, using: &rng)
        return (attention, Tensor.uniform([8, 128, 256], low: -1, high: 1, using: &rng))   // (B, T, E)
    }
}
