// gpt-train-step: one whole training step of the small GPT of GPTBench.swift (6 pre-LN layers,
// d 256, 8 heads, d_ff 1024, vocab 8192, 9.0 M parameters) on B 8 × T 128 random token ids:
// causal self-attention, the final LayerNorm and lm head, cross-entropy against random next-token
// targets, zeroGrad, backward, and an AdamW step (lr 3e-4, PyTorch's other defaults). Against the
// same model in PyTorch CPU: nn.TransformerEncoderLayer(256, 8, 1024, dropout=0.0,
// activation="gelu", batch_first=True, norm_first=True) called with
// nn.Transformer.generate_square_subsequent_mask(T) and is_causal=True, F.cross_entropy and
// torch.optim.AdamW, in train mode.
// It measures a realistic small language-model step: attention's backward, the 1024 × 8192 logits
// and their softmax, and the optimizer's pass over every parameter.
import LecternCore
import LecternNN

extension BenchCase {
    static var gptTrainStep: BenchCase {
        let shape = BenchGPTShape()
        return BenchCase(name: "gpt-train-step", unit: .milliseconds,
                         reference: ReferenceSpec(kind: "gpt_train_step",
                                                  params: shape.params.merging(["batch": 8, "seq": 128, "lr": 3e-4]) { $1 })) {
            var rng = SeededGenerator(seed: 7)
            let model = BenchGPT(shape, using: &rng)
            let ids = BenchGPT.randomTokens(batch: 8, length: 128, vocab: shape.vocab, using: &rng)       // B × T
            let targets = BenchGPT.randomTokens(batch: 8, length: 128, vocab: shape.vocab, using: &rng)   // B × T
            let optimizer = AdamW(model.parameters(), lr: 3e-4)
            return { benchKeep(model.trainStep(ids, targets: targets, optimizer: optimizer)) }
        }
    }
}
