// mha-train-step: the training side of mha-forward's self-attention: MultiheadAttention(embedDim
// 256, numHeads 8, dropout 0) in training mode on (B 8, T 128, E 256), no mask, the sum of its
// output as the loss, zeroGrad, backward (no optimizer). Against torch.nn.MultiheadAttention(256,
// 8, batch_first=True) in train mode, mha(x, x, x, need_weights=False)[0].sum(), zero_grad,
// backward. The input does not require gradients on either side.
// It measures attention's graph recording and backward kernels: the softmax and batched-matmul
// gradients and the three projections' weight gradients.
import LecternCore
import LecternNN

extension BenchCase {
    static var mhaTrainStep: BenchCase {
        BenchCase(name: "mha-train-step", unit: .milliseconds,
                  reference: ReferenceSpec(kind: "mha_train_step", params: ["batch": 8, "seq": 128, "embed": 256, "heads": 8])) {
            let (attention, x) = mhaBenchInputs(seed: 6)
            attention.train()
            return {
                let loss = attention(x).sum()   // (B, T, E) → scalar
                attention.zeroGrad()
                loss.backward()
                benchKeep(loss)
            }
        }
    }
}
