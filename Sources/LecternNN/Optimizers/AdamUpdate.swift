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
//
// Speed: the whole update is one pass over raw pointers, eight lanes at a time, split across
// cores for big parameters (PyTorch's per-tensor CPU AdamW makes about ten passes, one per
// in-place op). A training step of a 2.1 M-parameter MLP spent most of its time here when each
// element's fused multiply-add was a call to `fmaf` (see `fusedMultiplyAdd`).

import Dispatch
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
            let pp = p.baseAddress!, gp = g.baseAddress!, mp = m.baseAddress!, vp = v.baseAddress!
            forEachChunk(p.count) { range in
                var i = range.lowerBound
                // Eight lanes at a time: the same operations, in the same order, as the scalar
                // loop below (each line mirrors one in-place PyTorch op).
                while i + 8 <= range.upperBound {
                    var pv = loadLanes(pp + i)
                    if shrink != 1 { pv *= shrink }                                     // param.mul_(1 − lr·λ)
                    let gv = loadLanes(gp + i)
                    let grad = l2 == 0 ? gv : fusedMultiplyAdd(pv, Lanes(repeating: l2), gv)  // grad.add(param, alpha=λ)
                    let mv = loadLanes(mp + i), difference = grad - mv
                    let newM = lerpSmall                                                // exp_avg.lerp_(grad, 1 − β₁)
                        ? fusedMultiplyAdd(Lanes(repeating: mWeight), difference, mv)
                        : fusedMultiplyAdd(Lanes(repeating: mWeight - 1), difference, grad)
                    let newV = loadLanes(vp + i) * vDecay + vWeight * grad * grad        // mul_(β₂).addcmul_(g, g, 1 − β₂)
                    let denominator = newV.squareRoot() / denominatorScale + eps          // sqrt() / √bc₂ + ε
                    pv += negativeStepSize * newM / denominator                         // addcdiv_(m, denom, −step)
                    storeLanes(newM, mp + i)
                    storeLanes(newV, vp + i)
                    storeLanes(pv, pp + i)
                    i += 8
                }
                // Each line mirrors one in-place PyTorch op, including where its CPU kernel fuses a
                // multiply-add (`fusedMultiplyAdd`): lerp_ and add(…, alpha=) do; addcmul_, addcdiv_
                // and mul_ do not, and compute value·t1·t2 and (value·t1)/t2 left to right.
                while i < range.upperBound {
                    if shrink != 1 { pp[i] *= shrink }                                  // param.mul_(1 − lr·λ)
                    let grad = l2 == 0 ? gp[i] : fusedMultiplyAdd(pp[i], l2, gp[i])     // grad.add(param, alpha=λ)
                    mp[i] = lerpSmall                                                   // exp_avg.lerp_(grad, 1 − β₁)
                        ? fusedMultiplyAdd(mWeight, grad - mp[i], mp[i])
                        : fusedMultiplyAdd(mWeight - 1, grad - mp[i], grad)
                    vp[i] = vp[i] * vDecay + vWeight * grad * grad                      // mul_(β₂).addcmul_(g, g, 1 − β₂)
                    let denominator = vp[i].squareRoot() / denominatorScale + eps       // sqrt() / √bc₂ + ε
                    pp[i] += negativeStepSize * mp[i] / denominator                     // addcdiv_(m, denom, −step)
                    i += 1
                }
            }
        }
    }
}

/// Eight floats, the unit of the vectorized update.
typealias Lanes = SIMD8<Float>

@inline(__always)
private func loadLanes(_ p: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always)
private func storeLanes(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// a·b + c with one rounding, as PyTorch's fused CPU kernels compute it. On arm64 that is the
/// FMA instruction. The baseline x86-64 target has none (`addingProduct` would call `fmaf` per
/// element, the update's whole cost), so there the product is formed exactly in Double (24 +
/// 24 bits fit in 53), the sum rounded to Double and then to Float: the same result as a true
/// fused multiply-add except when the Double sum lands exactly halfway between two Floats,
/// about once in 2²⁹ operations, and then one ulp apart.
@inline(__always)
func fusedMultiplyAdd(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
    #if arch(arm64)
    return c.addingProduct(a, b)
    #else
    let low = SIMD4<Double>(a.lowHalf) * SIMD4<Double>(b.lowHalf) + SIMD4<Double>(c.lowHalf)
    let high = SIMD4<Double>(a.highHalf) * SIMD4<Double>(b.highHalf) + SIMD4<Double>(c.highHalf)
    return Lanes(lowHalf: SIMD4<Float>(low), highHalf: SIMD4<Float>(high))
    #endif
}

/// ``fusedMultiplyAdd(_:_:_:)`` for one float (the same rounding as a lane of it).
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    #if arch(arm64)
    return c.addingProduct(a, b)
    #else
    return Float(Double(a) * Double(b) + Double(c))
    #endif
}

/// Elements per thread below which an optimizer update stays on the calling thread (about
/// 1 ns per element: waking a second core is worth it from a few hundred thousand on).
private let updateGrain = 1 << 17

/// Calls `body` on disjoint ranges covering `0..<count`: the whole range for small parameters,
/// two or more chunks run concurrently for big ones. `body` must only touch its own range.
@inline(__always)
private func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    let chunks = Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8, count / updateGrain)
    if chunks <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // Linux's Dispatch wants a @Sendable closure; `body` captures raw pointers. Safe: the
        // chunks write disjoint ranges, and concurrentPerform returns when all are done.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
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
