// The Adam update shared by Adam and AdamW.
//
// Reference: D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
// (Algorithm 1), as implemented by `torch.optim.Adam` / `torch.optim.AdamW` (PyTorch 2.x,
// `_single_tensor_adam`), operation for operation so that results agree to the last few ulps:
//
//     t ← t + 1                                   (per parameter)
//     θ ← θ·(1 − lr·λ)                            AdamW: decoupled weight decay
//     g ← g + λ·θ                                 Adam:  L2 penalty in the gradient
//     m ← m + (1 − β₁)·(g − m)                    torch's lerp, = β₁m + (1 − β₁)g
//     v ← β₂·v + (1 − β₂)·g²
//     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
//
// The bias corrections and the other scalar factors are computed in Double, as PyTorch computes
// them in Python floats, from the decimal values the hyperparameters were written with.

import Foundation

/// The per-parameter state of Adam: the moment estimates and the step count.
struct AdamState {
    var step = 0
    var m: [Float]
    var v: [Float]

    init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
    }
}

/// One Adam (or AdamW, if `decoupled`) update of `p` from `g`, advancing `state`.
func adamUpdate(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>, state: inout AdamState,
                lr: Float, betas: (Float, Float), eps: Float, weightDecay: Float, decoupled: Bool) {
    state.step += 1
    let (beta1, beta2) = (asWritten(betas.0), asWritten(betas.1))
    let t = Double(state.step)
    let biasCorrection1 = 1 - pow(beta1, t)
    let biasCorrection2Sqrt = (1 - pow(beta2, t)).squareRoot()
    let negativeStepSize = Float(-(asWritten(lr) / biasCorrection1))
    let denominatorScale = Float(biasCorrection2Sqrt)
    let mWeight = Float(1 - beta1), vDecay = Float(beta2), vWeight = Float(1 - beta2)
    // AdamW shrinks θ before the update; Adam adds λ·θ to the gradient instead.
    let shrink: Float = decoupled && weightDecay != 0 ? Float(1 - asWritten(lr) * asWritten(weightDecay)) : 1
    let l2: Float = decoupled ? 0 : weightDecay
    // torch.lerp(m, g, w) = m + w·(g − m) for w < 0.5, else g + (w − 1)·(g − m), both fused.
    let lerpSmall = mWeight < 0.5
    state.m.withUnsafeMutableBufferPointer { m in
        state.v.withUnsafeMutableBufferPointer { v in
            // Each line mirrors one in-place PyTorch op, including where its CPU kernel fuses a
            // multiply-add (`addingProduct`): lerp_ and add(…, alpha=) do; addcmul_, addcdiv_ and
            // mul_ do not, and compute value·t1·t2 and (value·t1)/t2 left to right.
            for i in p.indices {
                if shrink != 1 { p[i] *= shrink }                                  // param.mul_(1 − lr·λ)
                let grad = l2 == 0 ? g[i] : g[i].addingProduct(p[i], l2)           // grad.add(param, alpha=λ)
                m[i] = lerpSmall                                                   // exp_avg.lerp_(grad, 1 − β₁)
                    ? m[i].addingProduct(mWeight, grad - m[i])
                    : grad.addingProduct(mWeight - 1, grad - m[i])
                v[i] = v[i] * vDecay + vWeight * grad * grad                       // mul_(β₂).addcmul_(g, g, 1 − β₂)
                let denominator = v[i].squareRoot() / denominatorScale + eps       // sqrt() / √bc₂ + ε
                p[i] += negativeStepSize * m[i] / denominator                      // addcdiv_(m, denom, −step)
            }
        }
    }
}

/// The Double that a Float hyperparameter was most likely written as: `asWritten(0.9)` is the
/// Double 0.9, not 0.899999976… (the Float's exact value). PyTorch computes scalar factors such
/// as 1 − β₁ from Python floats, i.e. from the written decimal in Double; starting from the same
/// Double makes the rounded factors, and so the updates, agree with PyTorch's bit for bit more
/// often. `Float.description` is the shortest decimal that reads back to the same Float.
func asWritten(_ x: Float) -> Double {
    Double(x.description) ?? Double(x)
}
