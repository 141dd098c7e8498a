// Layer normalization over the last axis, fused into one kernel with a hand-written backward.
//
// Reference: J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer Normalization" (2016), and PyTorch
// 2.x `torch.nn.functional.layer_norm` (CPU kernel `LayerNormKernelImpl`, backward
// `LayerNormBackwardKernelImpl`), which saves the per-row mean and 1/σ for the backward pass:
//
//     μ = mean(x),  σ² = mean((x − μ)²) (biased),  r = 1/√(σ² + eps)
//     x̂ = (x − μ)·r,  y = x̂·γ + β
//     ∂β = Σ_rows g,   ∂γ = Σ_rows g·x̂
//     ∂x = r·(g·γ − mean(g·γ) − x̂·mean(g·γ·x̂))          (per row)
//
// Why fused: composed from tensor ops (mean, subtract, square, mean, add, sqrt, divide,
// multiply, add) layer norm reads and writes the whole tensor about ten times and records ten
// graph nodes, and it ran 15× slower than PyTorch on 8192×768. Here each row (a few KB) is read
// into L1 once and normalised there in three short passes:
//   1. the sum, for a first mean μ₀;
//   2. Σ(x − μ₀) and Σ(x − μ₀)²: the "corrected two-pass" algorithm (Chan, Golub & LeVeque,
//      1983). Σ(x − μ₀)/n is the rounding error of μ₀ (x − μ₀ is exact for values close to
//      μ₀), so μ = μ₀ + that, and σ² = Σ(x − μ₀)²/n − (Σ(x − μ₀)/n)². μ is kept as the pair
//      (μ₀, c) and x − μ computed as (x − μ₀) − c: near 100, μ₀ + c rounded to one Float
//      would be up to 4e-6 off, 1e-3 of a standard deviation of 0.005. Rows like 100 ± 0.01,
//      where a one-pass E[x²] − E[x]² loses every digit and a plain two-pass mean is 1e-3 off,
//      come out as accurate as rows around 0 (LecternNN's LayerNorm fixture checks 1e-5
//      against float64; PyTorch's own float32 result is 3e-3 off there);
//   3. y = ((x − μ₀) − c)·r·γ + β.
// Sums are in Float with sixteen independent accumulators (two of eight lanes), so each sees
// n/16 terms; Double accumulation would halve the vector width on the baseline x86-64 target.
// Rows are split across cores above `layerNormGrain` elements per core; the backward's column
// sums (∂γ, ∂β) are kept per core and added at the end.

import Foundation

/// Elements per thread below which layer norm stays on one thread (about 0.2 ns per element
/// and pass: 2¹⁶ of them are worth more than waking a worker).
let layerNormGrain = 1 << 16

/// The sum of `count` floats at `x`, sixteen lanes wide.
@inline(__always)
private func laneSum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var s0 = Float8(), s1 = Float8()
    var j = 0
    while j + 16 <= count {
        s0 += load8(x + j)
        s1 += load8(x + j + 8)
        j += 16
    }
    if j + 8 <= count { s0 += load8(x + j); j += 8 }
    if j < count { s1 += loadPartial(x + j, count - j) }
    return (s0 + s1).sum()
}

/// The mean of one row as μ₀ + c (μ₀ the rough mean, c its correction: see the file comment),
/// and 1/√(σ² + eps).
@inline(__always)
private func rowMoments(_ x: UnsafePointer<Float>, _ n: Int, eps: Float) -> (rough: Float, correction: Float, rstd: Float) {
    let rough = laneSum(x, n) / Float(n)
    let m = Float8(repeating: rough)
    var d0 = Float8(), d1 = Float8(), q0 = Float8(), q1 = Float8()
    var j = 0
    while j + 16 <= n {
        let a = load8(x + j) - m, b = load8(x + j + 8) - m
        d0 += a; d1 += b
        q0 += a * a; q1 += b * b
        j += 16
    }
    while j < n {
        let k = Swift.min(8, n - j)
        let a = loadPartial(x + j, k, fill: rough) - m   // padding: exactly 0
        d0 += a; q0 += a * a
        j += k
    }
    let correction = (d0 + d1).sum() / Float(n)
    let variance = Swift.max((q0 + q1).sum() / Float(n) - correction * correction, 0)
    return (rough, correction, 1 / (variance + eps).squareRoot())
}

extension Tensor {
    /// Layer normalization over the last axis (PyTorch's `F.layer_norm(x, (n,), weight, bias,
    /// eps)`): each row (…, n) is shifted to mean 0 and scaled to variance 1 (the biased
    /// variance, plus `eps`), then multiplied by `weight` and shifted by `bias` if given.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 10, 10, 40])   // (N=2, n=3)
    ///     x.layerNorm(weight: nil, bias: nil, eps: 1e-5).scalars
    ///     // [-1.2247427, 0, 1.2247427, -0.70710665, -0.70710665, 1.4142133]
    ///     let y = h.layerNorm(weight: gamma, bias: beta, eps: 1e-12)     // (B, T, C), gamma/beta (C)
    ///
    /// One fused kernel with a hand-written backward (see the file comment), differentiable
    /// with respect to the input, `weight` and `bias`.
    ///
    /// - Precondition: rank ≥ 1; `weight` and `bias`, when given, have shape `[n]` with n the
    ///   last dimension.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        require(rank >= 1, "layerNorm: needs a tensor of rank ≥ 1, got shape \(shape)")
        let n = shape[rank - 1]
        require(weight.map { $0.shape == [n] } ?? true,
                "layerNorm: weight of shape \(weight?.shape ?? []) for an input of shape \(shape); it must be [\(n)]")
        require(bias.map { $0.shape == [n] } ?? true,
                "layerNorm: bias of shape \(bias?.shape ?? []) for an input of shape \(shape); it must be [\(n)]")
        let rows = n == 0 ? 0 : count / n
        let out = TensorStorage(uninitializedCount: count)
        // Per-row statistics (the mean as μ₀ + c), saved for the backward pass.
        let means = TensorStorage(uninitializedCount: rows), corrections = TensorStorage(uninitializedCount: rows)
        let rstds = TensorStorage(uninitializedCount: rows)
        let chunks = chunkCount(rows * n, grain: layerNormGrain)
        // A missing weight is a row of ones, a missing bias one of zeros: one branch-free loop
        // for the four cases (x·1 and x + 0 are exact).
        let scale = weight?.storage ?? TensorStorage(repeating: 1, count: n)
        let shift = bias?.storage ?? TensorStorage(repeating: 0, count: n)
        withExtendedLifetime((storage, scale, shift)) {
            let x = storage.base, y = out.base, w = scale.base, b = shift.base
            parallelChunks(rows, chunks: chunks) { _, range in
                for row in range {
                    let xr = x + row * n, yr = y + row * n
                    let (rough, correction, rstd) = rowMoments(xr, n, eps: eps)
                    means.base[row] = rough
                    corrections.base[row] = correction
                    rstds.base[row] = rstd
                    let mu = Float8(repeating: rough), c = Float8(repeating: correction), r = Float8(repeating: rstd)
                    // y = ((x − μ₀) − c)·r·γ + β
                    var j = 0
                    while j + 8 <= n {
                        store8(((load8(xr + j) - mu) - c) * r * load8(w + j) + load8(b + j), yr + j)
                        j += 8
                    }
                    if j < n {
                        let k = n - j
                        let v = ((loadPartial(xr + j, k) - mu) - c) * r * loadPartial(w + j, k) + loadPartial(b + j, k)
                        storePartial(v, yr + j, k)
                    }
                }
            }
        }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let hasWeight = weight != nil, hasBias = bias != nil
        return .record("layerNorm", out, shape: shape, inputs: inputs) { [x = detached()] g, needs in
            let needsX = needs[0]
            let needsWeight = hasWeight && needs[1]
            let needsBias = hasBias && needs[hasWeight ? 2 : 1]
            let gx = needsX ? TensorStorage(uninitializedCount: x.count) : nil
            // One partial ∂γ and ∂β row per chunk, summed below.
            let partialWeight = needsWeight ? TensorStorage(repeating: 0, count: chunks * n) : nil
            let partialBias = needsBias ? TensorStorage(repeating: 0, count: chunks * n) : nil
            withExtendedLifetime((g.storage, x.storage, scale)) {
                let gp = g.storage.base, xp = x.storage.base, wp = scale.base
                parallelChunks(rows, chunks: chunks) { chunk, range in
                    let dw = partialWeight.map { $0.base + chunk * n }, db = partialBias.map { $0.base + chunk * n }
                    for row in range {
                        let gr = gp + row * n, xr = xp + row * n
                        let mu = Float8(repeating: means.base[row]), c = Float8(repeating: corrections.base[row])
                        let r = Float8(repeating: rstds.base[row])
                        // Column sums ∂γ += g·x̂, ∂β += g, and the row sums Σ g·γ, Σ g·γ·x̂.
                        var sumA = Float8(), sumB = Float8()
                        var j = 0
                        while j < n {
                            let k = Swift.min(8, n - j)
                            let gv = k == 8 ? load8(gr + j) : loadPartial(gr + j, k)
                            let xhat = (((k == 8 ? load8(xr + j) : loadPartial(xr + j, k)) - mu) - c) * r  // padding: no effect
                            if let dw {
                                let updated = (k == 8 ? load8(dw + j) : loadPartial(dw + j, k)) + gv * xhat
                                if k == 8 { store8(updated, dw + j) } else { storePartial(updated, dw + j, k) }
                            }
                            if let db {
                                let updated = (k == 8 ? load8(db + j) : loadPartial(db + j, k)) + gv
                                if k == 8 { store8(updated, db + j) } else { storePartial(updated, db + j, k) }
                            }
                            if needsX {
                                let gw = gv * (k == 8 ? load8(wp + j) : loadPartial(wp + j, k))
                                sumA += gw
                                sumB += gw * xhat
                            }
                            j += k
                        }
                        guard let gx else { continue }
                        // ∂x = r·(g·γ − mean(g·γ) − x̂·mean(g·γ·x̂))
                        let meanA = Float8(repeating: sumA.sum() / Float(n)), meanB = Float8(repeating: sumB.sum() / Float(n))
                        let dxr = gx.base + row * n
                        j = 0
                        while j < n {
                            let k = Swift.min(8, n - j)
                            let gv = k == 8 ? load8(gr + j) : loadPartial(gr + j, k)
                            let xhat = (((k == 8 ? load8(xr + j) : loadPartial(xr + j, k)) - mu) - c) * r
                            let gw = gv * (k == 8 ? load8(wp + j) : loadPartial(wp + j, k))
                            let dx = r * ((gw - meanA) - xhat * meanB)
                            if k == 8 { store8(dx, dxr + j) } else { storePartial(dx, dxr + j, k) }
                            j += k
                        }
                    }
                }
            }
            /// The per-chunk partial rows summed into one (n) gradient.
            func combine(_ partial: TensorStorage?) -> Tensor? {
                guard let partial else { return nil }
                for chunk in 1..<Swift.max(chunks, 1) {
                    let src = partial.base + chunk * n
                    for j in 0..<n { partial.base[j] += src[j] }
                }
                return Tensor(storage: chunks == 1 ? partial : TensorStorage(copying: partial.base, count: n), shape: [n])
            }
            var grads: [Tensor?] = [gx.map { Tensor(storage: $0, shape: x.shape) }]
            if hasWeight { grads.append(combine(partialWeight)) }
            if hasBias { grads.append(combine(partialBias)) }
            return grads
        }
    }
}
