// Scaled dot-product attention as one operation with a hand-written backward pass.
//
// Reference: Vaswani et al. (2017) §3.2.1, `torch.nn.functional.scaled_dot_product_attention`
// (PyTorch 2.x; its "math" CPU path does the same products), and Hugging Face's masking
// (1 = attend; hidden scores become the most negative finite Float).
//
// For every batch entry b and head h (one task each, spread over threads):
//
//     S = scale · Q Kᵀ                (Tq, Tk)   one sgemm, K read transposed in place (transB)
//     S += bias;  S[i, j] = min where the mask or causality hides key j from query i
//     P = softmax(S) row by row       (Tq, Tk)   in place
//     O = (P ⊙ M) V                   (Tq, dv)   one sgemm; M the dropout mask (or none)
//
// Backward, from the upstream dO (and dW, when the returned weights are used too):
//
//     dP = (dO Vᵀ) ⊙ M + dW           dV += (P ⊙ M)ᵀ dO
//     dS = P ⊙ (dP − rowsum(dP ⊙ P))  (the softmax's Jacobian, row by row; 0 where hidden)
//     dQ += scale · dS K              dK += scale · dSᵀ Q              dbias += dS
//
// Why fused: written with tensor operations (as Lesson 3 teaches it), attention copies Kᵀ,
// splits and merges heads with copies, expands the mask to (B, nh, Tq, Tk), allocates the
// scores three times (product, scaled, masked) and records five graph nodes. Here the heads
// are read where they lie (AttentionOperand.swift), masks and biases are read through
// broadcast strides, the probabilities are computed in the buffer of the scores, and only P
// (and the dropout mask) is kept for backward, as PyTorch's math path keeps it.
//
// Departures from PyTorch: a query whose keys are all hidden gets uniform weights, not NaN
// (as Hugging Face); the weights returned are P before dropout.

extension Tensor {
    /// Multi-head scaled dot-product attention in one fused, differentiable operation:
    /// `softmax(scale · Q Kᵀ + bias, hidden keys excluded) · V` for every batch entry and head.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let qkv = Tensor.randn([2, 5, 3 * 16], using: &rng)                 // (B, T, 3E), E = 16
    ///     let (out, weights) = Tensor.attention(
    ///         query: .packed(qkv, heads: 4, columns: 0..<16),
    ///         key: .packed(qkv, heads: 4, columns: 16..<32),
    ///         value: .packed(qkv, heads: 4, columns: 32..<48),
    ///         isCausal: true, outputLayout: .merged)
    ///     out.shape       // [2, 5, 16]     (B, T, E), heads merged
    ///     weights.shape   // [2, 4, 5, 5]   (B, heads, T, S)
    ///
    /// - Parameters:
    ///   - query: (B, heads, Tq, d) queries.
    ///   - key: (B, heads, Tk, d) keys.
    ///   - value: (B, heads, Tk, dv) values.
    ///   - allowed: which keys each query may see, nonzero = attend, broadcastable to
    ///     (B, heads, Tq, Tk): each of its four sizes is the full size or 1. Read in place.
    ///   - bias: an additive score bias broadcastable to (B, heads, Tq, Tk) (T5's relative
    ///     positions); it gets a gradient if it requires one.
    ///   - isCausal: also hide key j from query i when j > i + Tk − Tq (bottom-right aligned).
    ///   - scale: the factor on Q Kᵀ; default 1/√d.
    ///   - dropoutMask: (B, heads, Tq, Tk) factors applied to the weights before V (0 or
    ///     1/(1 − p): see ``dropoutMask(_:p:using:)``), or nil.
    ///   - outputLayout: `.heads` gives (B, heads, Tq, dv); `.merged` gives (B, Tq, heads·dv).
    /// - Returns: the output, and the weights P (B, heads, Tq, Tk) before dropout, also
    ///   differentiable.
    /// - Precondition: the operands agree on B and heads, query and key on d, key and value on
    ///   Tk; with `isCausal`, Tq ≤ Tk.
    public static func attention(query: AttentionOperand, key: AttentionOperand, value: AttentionOperand,
                                 allowed: Tensor? = nil, bias: Tensor? = nil, isCausal: Bool = false,
                                 scale: Float? = nil, dropoutMask: Tensor? = nil,
                                 outputLayout: AttentionOutputLayout = .heads) -> (output: Tensor, weights: Tensor) {
        let plan = FusedAttention(query: query, key: key, value: value, allowed: allowed, bias: bias,
                                  isCausal: isCausal, scale: scale, dropoutMask: dropoutMask, outputLayout: outputLayout)
        let (output, probabilities) = plan.forward()
        let weightsShape = [plan.batch, plan.heads, plan.tq, plan.tk]
        // The operand tensors that need a gradient, each once (q, k and v are often one tensor).
        var distinct: [Tensor] = []
        var slot: [Int] = []   // for q, k, v: its index in `distinct`
        for operand in [query, key, value] {
            if let node = operand.tensor.node, let i = distinct.firstIndex(where: { $0.node === node }) {
                slot.append(i)
            } else {
                slot.append(distinct.count)
                distinct.append(operand.tensor)
            }
        }
        let inputs = distinct + (bias.map { [$0] } ?? [])
        guard Tensor.recording(inputs) else {
            return (Tensor(storage: output, shape: plan.outputShape), Tensor(storage: probabilities, shape: weightsShape))
        }
        // Both results share one backward kernel: the output's brings dO, the weights' dW.
        let saved = plan.saved(probabilities: probabilities)
        let backward: (Tensor?, Tensor?, [Bool]) -> [Tensor?] = { dO, dW, needs in
            saved.backward(dOutput: dO, dWeights: dW, distinctCount: distinct.count, slot: slot, needs: needs)
        }
        let out = record("attention", output, shape: plan.outputShape, inputs: inputs) { g, needs in backward(g, nil, needs) }
        let weights = record("attentionWeights", probabilities, shape: weightsShape, inputs: inputs) { g, needs in backward(nil, g, needs) }
        return (out, weights)
    }
}

/// A mask or bias read through broadcast strides: element (b, h, i, j) of the full
/// (B, heads, Tq, Tk) view is at `b·sb + h·sh + i·si + j`.
struct BroadcastScores {
    let storage: TensorStorage
    let sb: Int, sh: Int, si: Int
    let shape: [Int]

    init(_ tensor: Tensor, batch: Int, heads: Int, tq: Int, tk: Int, _ what: String) {
        let s = tensor.shape
        require(s.count == 4 && s[3] == tk && [batch, 1].contains(s[0]) && [heads, 1].contains(s[1]) && [tq, 1].contains(s[2]),
                "attention: \(what) of shape \(s) does not broadcast to (B, heads, Tq, Tk) = \([batch, heads, tq, tk]); each size must be the full one or 1, and the last Tk")
        storage = tensor.storage
        shape = s
        si = s[2] == 1 ? 0 : tk
        sh = s[1] == 1 ? 0 : s[2] * tk
        sb = s[0] == 1 ? 0 : s[1] * s[2] * tk
    }

    @inline(__always) func row(_ b: Int, _ h: Int, _ i: Int) -> Int { b * sb + h * sh + i * si }
}

/// The shapes, strides and inputs of one attention call (see the file comment).
struct FusedAttention {
    let q: AttentionOperand, k: AttentionOperand, v: AttentionOperand
    let batch: Int, heads: Int, tq: Int, tk: Int, d: Int, dv: Int
    let scale: Float
    let isCausal: Bool
    let allowed: BroadcastScores?
    let bias: BroadcastScores?
    let dropout: TensorStorage?
    let outputLayout: AttentionOutputLayout

    init(query: AttentionOperand, key: AttentionOperand, value: AttentionOperand, allowed: Tensor?, bias: Tensor?,
         isCausal: Bool, scale: Float?, dropoutMask: Tensor?, outputLayout: AttentionOutputLayout) {
        require(query.batch == key.batch && key.batch == value.batch && query.heads == key.heads && key.heads == value.heads,
                "attention: query, key and value must agree on (B, heads): got (\(query.batch), \(query.heads)), (\(key.batch), \(key.heads)), (\(value.batch), \(value.heads))")
        require(query.headDim == key.headDim, "attention: queries have \(query.headDim) dimensions per head and keys \(key.headDim); they must agree")
        require(key.length == value.length, "attention: \(key.length) keys but \(value.length) values")
        require(!isCausal || query.length <= key.length, "attention: causal attention needs no more queries (\(query.length)) than keys (\(key.length))")
        q = query; k = key; v = value
        batch = query.batch; heads = query.heads; tq = query.length; tk = key.length; d = query.headDim; dv = value.headDim
        self.scale = scale ?? 1 / Float(Swift.max(d, 1)).squareRoot()
        self.isCausal = isCausal
        let (b, h, t, s) = (query.batch, query.heads, query.length, key.length)
        self.allowed = allowed.map { BroadcastScores($0, batch: b, heads: h, tq: t, tk: s, "the attention mask") }
        self.bias = bias.map { BroadcastScores($0, batch: b, heads: h, tq: t, tk: s, "the score bias") }
        if let dropoutMask {
            require(dropoutMask.shape == [batch, heads, tq, tk], "attention: a dropout mask of shape \(dropoutMask.shape) for weights of shape \([batch, heads, tq, tk])")
        }
        dropout = dropoutMask?.storage
        self.outputLayout = outputLayout
    }

    var outputShape: [Int] { outputLayout == .heads ? [batch, heads, tq, dv] : [batch, tq, heads * dv] }

    /// Where the output of (b, h) starts, and its row stride.
    @inline(__always) func outputStart(_ b: Int, _ h: Int) -> Int {
        outputLayout == .heads ? (b * heads + h) * tq * dv : b * tq * heads * dv + h * dv
    }
    var outputRowStride: Int { outputLayout == .heads ? dv : heads * dv }

    /// Floating-point operations of one (b, h) task's forward products.
    var flopsPerTask: Double { 2 * Double(tq) * Double(tk) * Double(d + dv) }

    /// The output and the probabilities P (B, heads, Tq, Tk).
    func forward() -> (output: TensorStorage, probabilities: TensorStorage) {
        let output = TensorStorage(uninitializedCount: batch * tq * heads * dv)
        let probabilities = TensorStorage(uninitializedCount: batch * heads * tq * tk)
        let scratch = dropout == nil ? 0 : tq * tk
        withExtendedLifetime((q.tensor.storage, k.tensor.storage, v.tensor.storage, allowed?.storage, bias?.storage, dropout)) {
            let qBase = UnsafePointer(q.tensor.storage.base), kBase = UnsafePointer(k.tensor.storage.base)
            let vBase = UnsafePointer(v.tensor.storage.base)
            Kernels.concurrentProducts(batch * heads, flopsEach: flopsPerTask) { tasks in
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(scratch, 1))
                defer { dropped.deallocate() }
                for task in tasks {
                    let b = task / heads, h = task % heads
                    let p = probabilities.base + task * tq * tk
                    // S = scale · Q Kᵀ: K (Tk, d) read transposed in place.
                    Kernels.sgemm(transA: false, transB: true, m: tq, n: tk, k: d, alpha: scale,
                                  a: q.start(qBase, b, h), lda: q.rowStride, b: k.start(kBase, b, h), ldb: k.rowStride,
                                  beta: 0, c: p, ldc: Swift.max(tk, 1))
                    for i in 0..<tq { maskAndNormalize(p + i * tk, b, h, i) }
                    var weights = UnsafePointer(p)
                    if let dropout {
                        let m = dropout.base + task * tq * tk
                        for j in 0..<(tq * tk) { dropped[j] = p[j] * m[j] }
                        weights = UnsafePointer(dropped)
                    }
                    // O = P V.
                    Kernels.sgemm(transA: false, transB: false, m: tq, n: dv, k: tk, alpha: 1,
                                  a: weights, lda: Swift.max(tk, 1), b: v.start(vBase, b, h), ldb: v.rowStride,
                                  beta: 0, c: output.base + outputStart(b, h), ldc: outputRowStride)
                }
            }
        }
        return (output, probabilities)
    }

    /// Adds the bias to one row of scores, hides what the mask and causality hide, and turns
    /// the row into probabilities in place.
    @inline(__always)
    private func maskAndNormalize(_ row: UnsafeMutablePointer<Float>, _ b: Int, _ h: Int, _ i: Int) {
        if let bias {
            let r = bias.storage.base + bias.row(b, h, i)
            for j in 0..<tk { row[j] += r[j] }
        }
        hide(row, b, h, i, with: -.greatestFiniteMagnitude)
        softmaxRow(row, row, tk)
    }

    /// Sets the entries of row i of (b, h) that the mask or causality hide to `value`: the
    /// most negative Float in the scores; 0 in the scores' gradient, since a hidden score was
    /// replaced, not computed (this matters for a row whose keys are all hidden: its weights
    /// are uniform, yet no gradient may reach the scores that were overwritten).
    @inline(__always)
    func hide(_ row: UnsafeMutablePointer<Float>, _ b: Int, _ h: Int, _ i: Int, with value: Float) {
        if let allowed {
            let r = allowed.storage.base + allowed.row(b, h, i)
            for j in 0..<tk where r[j] == 0 { row[j] = value }
        }
        if isCausal {
            // Query i sees keys 0 ... i + (Tk − Tq).
            let last = i + tk - tq
            if last + 1 < tk { for j in (last + 1)..<tk { row[j] = value } }
        }
    }

    /// What backward needs: this plan and the probabilities.
    func saved(probabilities: TensorStorage) -> SavedAttention {
        SavedAttention(plan: FusedAttention(detaching: self), probabilities: probabilities)
    }

    /// The same plan holding detached tensors (backward closures must not hold graph nodes).
    private init(detaching p: FusedAttention) {
        q = p.q.detachedOperand(); k = p.k.detachedOperand(); v = p.v.detachedOperand()
        batch = p.batch; heads = p.heads; tq = p.tq; tk = p.tk; d = p.d; dv = p.dv
        scale = p.scale; isCausal = p.isCausal; allowed = p.allowed; bias = p.bias; dropout = p.dropout
        outputLayout = p.outputLayout
    }
}

extension AttentionOperand {
    /// This operand over the same data, detached from the graph.
    func detachedOperand() -> AttentionOperand {
        AttentionOperand(tensor: tensor.detached(), layout: layout, batch: batch, heads: heads, length: length, headDim: headDim,
                         offset: offset, batchStride: batchStride, headStride: headStride, rowStride: rowStride)
    }
}

/// The backward pass of one attention call (see the file comment for the formulas).
struct SavedAttention {
    let plan: FusedAttention
    let probabilities: TensorStorage

    /// Gradients for the distinct operand tensors (then the bias), given the upstream gradient
    /// of the output and/or of the weights.
    func backward(dOutput: Tensor?, dWeights: Tensor?, distinctCount: Int, slot: [Int], needs: [Bool]) -> [Tensor?] {
        let p = plan
        let operands = [p.q, p.k, p.v]
        // One zeroed gradient per distinct tensor that needs one; every task adds its head's rows.
        let grads: [TensorStorage?] = (0..<distinctCount).map { i in
            needs[i] ? TensorStorage(repeating: 0, count: operands[slot.firstIndex(of: i)!].tensor.count) : nil
        }
        let needBias = p.bias != nil && needs[distinctCount]
        let tasks = p.batch * p.heads
        // Twice the forward's products (dP, dV, dQ, dK), spread as the forward spreads its own.
        let chunks = Kernels.productChunks(tasks, flopsEach: 2 * p.flopsPerTask)
        // Each chunk sums its bias gradient apart (the bias is usually shared by the batch).
        let biasCount = needBias ? p.bias!.shape.reduce(1, *) : 0
        let biasPartials = (0..<(needBias ? chunks : 0)).map { _ in TensorStorage(repeating: 0, count: biasCount) }
        let (tq, tk, d, dv) = (p.tq, p.tk, p.d, p.dv)
        withExtendedLifetime((p.q.tensor.storage, p.k.tensor.storage, p.v.tensor.storage, probabilities,
                              dOutput?.storage, dWeights?.storage, p.dropout, grads, biasPartials)) {
            let qBase = UnsafePointer(p.q.tensor.storage.base), kBase = UnsafePointer(p.k.tensor.storage.base)
            let vBase = UnsafePointer(p.v.tensor.storage.base)
            let dQ = grads[slot[0]]?.base, dK = grads[slot[1]]?.base, dV = grads[slot[2]]?.base
            let work: (Int, Range<Int>) -> Void = { chunk, range in
                let dS = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(tq * tk, 1))
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: p.dropout == nil ? 1 : tq * tk)
                defer { dS.deallocate(); dropped.deallocate() }
                for task in range {
                    let b = task / p.heads, h = task % p.heads
                    let prob = UnsafePointer(probabilities.base + task * tq * tk)
                    let mask = p.dropout.map { UnsafePointer($0.base + task * tq * tk) }
                    // dP = (dO Vᵀ) ⊙ M + dW, into dS's buffer.
                    if let dOutput {
                        let dO = UnsafePointer(dOutput.storage.base + p.outputStart(b, h))
                        Kernels.sgemm(transA: false, transB: true, m: tq, n: tk, k: dv, alpha: 1,
                                      a: dO, lda: p.outputRowStride, b: p.v.start(vBase, b, h), ldb: p.v.rowStride,
                                      beta: 0, c: dS, ldc: Swift.max(tk, 1))
                        if let mask { for j in 0..<(tq * tk) { dS[j] *= mask[j] } }
                        if let dV = dV {
                            // dV += (P ⊙ M)ᵀ dO
                            var weights = prob
                            if let mask {
                                for j in 0..<(tq * tk) { dropped[j] = prob[j] * mask[j] }
                                weights = UnsafePointer(dropped)
                            }
                            Kernels.sgemm(transA: true, transB: false, m: tk, n: dv, k: tq, alpha: 1,
                                          a: weights, lda: Swift.max(tk, 1), b: dO, ldb: p.outputRowStride,
                                          beta: 1, c: p.v.start(dV, b, h), ldc: p.v.rowStride)
                        }
                    } else {
                        dS.initialize(repeating: 0, count: tq * tk)
                    }
                    if let dWeights {
                        let w = dWeights.storage.base + task * tq * tk
                        for j in 0..<(tq * tk) { dS[j] += w[j] }
                    }
                    // dS = P ⊙ (dP − rowsum(dP ⊙ P)), row by row.
                    for i in 0..<tq {
                        let row = dS + i * tk, pr = prob + i * tk
                        var dot: Float = 0
                        for j in 0..<tk { dot += row[j] * pr[j] }
                        for j in 0..<tk { row[j] = pr[j] * (row[j] - dot) }
                        p.hide(row, b, h, i, with: 0)
                    }
                    if needBias, let bias = p.bias {
                        let partial = biasPartials[chunk].base
                        for i in 0..<tq {
                            let dst = partial + bias.row(b, h, i), src = dS + i * tk
                            for j in 0..<tk { dst[j] += src[j] }
                        }
                    }
                    if let dQ {   // dQ += scale · dS K
                        Kernels.sgemm(transA: false, transB: false, m: tq, n: d, k: tk, alpha: p.scale,
                                      a: dS, lda: Swift.max(tk, 1), b: p.k.start(kBase, b, h), ldb: p.k.rowStride,
                                      beta: 1, c: p.q.start(dQ, b, h), ldc: p.q.rowStride)
                    }
                    if let dK {   // dK += scale · dSᵀ Q
                        Kernels.sgemm(transA: true, transB: false, m: tk, n: d, k: tq, alpha: p.scale,
                                      a: dS, lda: Swift.max(tk, 1), b: p.q.start(qBase, b, h), ldb: p.q.rowStride,
                                      beta: 1, c: p.k.start(dK, b, h), ldc: p.k.rowStride)
                    }
                }
            }
            parallelRegion(tasks, chunks: chunks, work)
        }
        var result: [Tensor?] = (0..<distinctCount).map { i in
            grads[i].map { Tensor(storage: $0, shape: operands[slot.firstIndex(of: i)!].tensor.shape) }
        }
        if p.bias != nil {
            var biasGrad: Tensor? = nil
            if needBias, let bias = p.bias {
                let total = biasPartials[0]
                for partial in biasPartials.dropFirst() { for j in 0..<biasCount { total.base[j] += partial.base[j] } }
                biasGrad = Tensor(storage: total, shape: bias.shape)
            }
            result.append(biasGrad)
        }
        return result
    }
}
