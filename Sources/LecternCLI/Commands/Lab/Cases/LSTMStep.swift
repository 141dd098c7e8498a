// lstm-step-t64 and lstm-step-t512: one forward and backward pass of a one-layer LSTM (input 64,
// hidden 256, batch 16, batch-first) over 64 and over 512 time steps, the sum of its outputs as
// the loss; the figure is milliseconds per time step. Against torch.nn.LSTM(64, 256,
// batch_first=True) doing the same. The two lengths show whether backward is linear in the
// sequence length: every step slices its input out of the (B, T, C) sequence, and a slice whose
// backward wrote a dense gradient of the whole sequence made a pass O(T²) (about 8× more per
// step at 512 than at 64); scattered into one running gradient, the time per step stays flat.
import LecternCore
import LecternNN

extension BenchCase {
    static var lstmSteps: [BenchCase] {
        [64, 512].map { steps in
            BenchCase(name: "lstm-step-t\(steps)", unit: .millisecondsPerItem(itemsPerCall: Double(steps)),
                      reference: ReferenceSpec(kind: "lstm_step", params: ["batch": 16, "steps": steps, "input": 64, "hidden": 256])) {
                var rng = SeededGenerator(seed: 12)
                let lstm = LSTM(inputSize: 64, hiddenSize: 256, using: &rng)
                let x = Tensor.uniform([16, steps, 64], low: -1, high: 1, using: &rng)   // (B, T, C)
                return {
                    let loss = lstm(x).output.sum()   // (B, T, H) → scalar
                    lstm.zeroGrad()
                    loss.backward()
                    benchKeep(loss)
                }
            }
        }
    }
}
