// mlp-step-64x512x2048: one whole training step of a two-layer MLP against PyTorch CPU:
// Linear(512 → 2048) → GELU (exact, erf: PyTorch's default F.gelu) → Linear(2048 → 512), the
// mean squared error against a fixed target, zeroGrad, backward, and an AdamW step (lr 1e-4,
// PyTorch's other defaults) over the 2.1 M parameters, on a batch of 64. The reference does the
// same with torch.nn.Linear, F.gelu, F.mse_loss and torch.optim.AdamW (its default, per-tensor
// implementation on CPU), torch.set_num_threads(<cores>).
// It measures what the single-op cases do not: the graph's bookkeeping, the backward kernels,
// gradient accumulation and the optimizer's pass over every parameter.
import LecternCore
import LecternNN

extension BenchCase {
    static var mlpStep: BenchCase {
        BenchCase(name: "mlp-step-64x512x2048", unit: .milliseconds,
                  reference: ReferenceSpec(kind: "mlp_step", params: ["batch": 64, "in": 512, "hidden": 2048])) {
            var rng = SeededGenerator(seed: 4)
            let fc1 = Linear(inFeatures: 512, outFeatures: 2048, using: &rng)
            let fc2 = Linear(inFeatures: 2048, outFeatures: 512, using: &rng)
            let x = Tensor.uniform([64, 512], low: -1, high: 1, using: &rng)        // (B, in)
            let target = Tensor.uniform([64, 512], low: -1, high: 1, using: &rng)   // (B, in)
            let optimizer = AdamW(fc1.parameters() + fc2.parameters(), lr: 1e-4)
            return {
                let prediction = fc2(fc1(x).gelu())   // (B, in) → (B, hidden) → (B, in)
                let loss = mseLoss(prediction, target) // scalar
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                benchKeep(loss)
            }
        }
    }
}
