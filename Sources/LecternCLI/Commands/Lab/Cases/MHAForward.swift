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
            var rng = SeededGenerator(seed: 5)
            let attention = MultiheadAttention(embedDim: 256, numHeads: 8, dropout: 0, using: &rng)
            attention.eval()
            let x = Tensor.uniform([8, 128, 256], low: -1, high: 1, using: &rng)   // (B, T, E)
            return { benchKeep(Tensor.withoutGradients { attention(x) }) }        // (B, T, E)
        }
    }
}
