// Tensor operations against PyTorch CPU (torch.set_num_threads(<cores>), under torch.no_grad()),
// forward only, on shapes from a GPT-2-small-sized model:
//   softmax-64x512x512   Tensor.softmax() over the last axis: attention probabilities for
//                        64 (batch × head) maps of 512 × 512 scores (torch.softmax(x, dim=-1)).
//   layernorm-8192x768   LecternNN's LayerNorm(768) on 64·128 token vectors of width 768
//                        (torch.nn.functional.layer_norm with weight and bias, eps 1e-5).
// Ours runs without gradient recording (LayerNorm's weight and bias require gradients, and
// the reference runs under torch.no_grad()).
import LecternCore
import LecternNN

extension BenchCase {
    static var tensorOps: [BenchCase] {
        [
            BenchCase(name: "softmax-64x512x512", unit: .milliseconds,
                      reference: ReferenceSpec(kind: "softmax", params: ["shape": [64, 512, 512]])) {
                var rng = SeededGenerator(seed: 1)
                let x = Tensor.uniform([64, 512, 512], low: -1, high: 1, using: &rng)
                return { benchKeep(Tensor.withoutGradients { x.softmax(axis: -1) }) }
            },
            BenchCase(name: "layernorm-8192x768", unit: .milliseconds,
                      reference: ReferenceSpec(kind: "layer_norm", params: ["shape": [64 * 128, 768], "eps": 1e-5])) {
                var rng = SeededGenerator(seed: 2)
                let x = Tensor.uniform([64 * 128, 768], low: -1, high: 1, using: &rng)
                let norm = LayerNorm(768, eps: 1e-5)
                return { benchKeep(Tensor.withoutGradients { norm(x) }) }
            },
        ]
    }
}
