// Raw-pointer loops shared by the elementwise operations: maps, broadcast binary maps, and
// the reduction of a broadcast gradient back to an input's shape.
//
// Reference: NumPy / PyTorch `TensorIterator` semantics for broadcasting, reduced to what a
// contiguous row-major tensor needs: the fast paths (same shape, one side a scalar) are flat
// loops the compiler vectorizes; the general path walks the result row by row (a row is the
// last dimension), with an inner loop specialized for the strides 1 and 0 so that it still
// vectorizes. Bias-shaped `(B, T, C) + (C)` and keepDims-shaped `(B, T, C) - (B, T, 1)` both
// take that path with a full-length inner loop.
//
// Every function is `@inline(__always)` so that the closure given for the element operation
// is inlined into the loop rather than called per element.

/// `f` applied to every element of `x`, in a new buffer. Pass `grain: expensiveGrain` when
/// `f` calls a transcendental function, so that big tensors are split across cores.
@inline(__always)
func mapElements(_ x: Tensor, grain: Int = cheapGrain, _ f: (Float) -> Float) -> TensorStorage {
    let n = x.count
    let out = TensorStorage(uninitializedCount: n)
    let src = x.storage.base, dst = out.base
    withExtendedLifetime(x.storage) {
        parallelFor(n, grain: grain) { range in
            for i in range { dst[i] = f(src[i]) }
        }
    }
    return out
}

/// `f` applied to eight elements of `x` at a time (``Float8``; a vectorized exp, tanh…), in a
/// new buffer, split across cores from `vectorGrain` elements per core.
@inline(__always)
func mapLanes(_ x: Tensor, grain: Int = vectorGrain, _ f: (Float8) -> Float8) -> TensorStorage {
    let n = x.count
    let out = TensorStorage(uninitializedCount: n)
    let src = x.storage.base, dst = out.base
    withExtendedLifetime(x.storage) {
        parallelFor(n, grain: grain) { range in
            mapLanes(src + range.lowerBound, dst + range.lowerBound, range.count, f)
        }
    }
    return out
}

/// `f` applied to eight elements of `a` and of `b` at a time, as a tensor of `a`'s shape (the
/// same number of elements). Not recorded: for backward functions.
@inline(__always)
func zipLanes(_ a: Tensor, _ b: Tensor, grain: Int = vectorGrain, _ f: (Float8, Float8) -> Float8) -> Tensor {
    require(a.count == b.count, "zipLanes: \(a.shape) and \(b.shape) differ in size")
    let n = a.count
    let out = TensorStorage(uninitializedCount: n)
    let pa = a.storage.base, pb = b.storage.base, dst = out.base
    withExtendedLifetime((a.storage, b.storage)) {
        parallelFor(n, grain: grain) { range in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                store8(f(load8(pa + i), load8(pb + i)), dst + i)
                i += 8
            }
            if i < range.upperBound {
                let k = range.upperBound - i
                storePartial(f(loadPartial(pa + i, k), loadPartial(pb + i, k)), dst + i, k)
            }
        }
    }
    return Tensor(storage: out, shape: a.shape)
}

/// `f(a[i], b[i])` for two tensors with the same number of elements, as a tensor of `a`'s
/// shape. Not recorded: for backward functions.
@inline(__always)
func zipElements(_ a: Tensor, _ b: Tensor, grain: Int = cheapGrain, _ f: (Float, Float) -> Float) -> Tensor {
    require(a.count == b.count, "zipElements: \(a.shape) and \(b.shape) differ in size")
    let n = a.count
    let out = TensorStorage(uninitializedCount: n)
    let pa = a.storage.base, pb = b.storage.base, dst = out.base
    withExtendedLifetime((a.storage, b.storage)) {
        parallelFor(n, grain: grain) { range in
            for i in range { dst[i] = f(pa[i], pb[i]) }
        }
    }
    return Tensor(storage: out, shape: a.shape)
}

/// `f(a[i], b[i], c[i])` for three tensors with the same number of elements, shaped like `a`.
@inline(__always)
func zipElements(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
    require(a.count == b.count && a.count == c.count, "zipElements: sizes differ")
    let n = a.count
    let out = TensorStorage(uninitializedCount: n)
    let pa = a.storage.base, pb = b.storage.base, pc = c.storage.base, dst = out.base
    withExtendedLifetime((a.storage, b.storage, c.storage)) {
        parallelFor(n) { range in
            for i in range { dst[i] = f(pa[i], pb[i], pc[i]) }
        }
    }
    return Tensor(storage: out, shape: a.shape)
}

/// Calls `body(row, offsetA, offsetB)` for every row (last-dimension run) of a tensor of
/// `shape`, with the element offsets at which two operands, read with the given broadcast
/// strides, start that row. An odometer over the leading dimensions: no division per row.
@inline(__always)
func forEachRow(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int], _ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    let inner = rank == 0 ? 1 : shape[rank - 1]
    let total = shape.reduce(1, *)
    guard total > 0 else { return }
    let rows = total / inner
    var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
    var offsetA = 0, offsetB = 0
    for row in 0..<rows {
        body(row, offsetA, offsetB)
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            offsetA += stridesA[d]
            offsetB += stridesB[d]
            if index[d] < shape[d] { break }
            offsetA -= stridesA[d] * shape[d]
            offsetB -= stridesB[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// `f(a, b)` elementwise with NumPy broadcasting: the result's buffer and shape.
@inline(__always)
func broadcastElements(_ a: Tensor, _ b: Tensor, _ op: String, _ f: (Float, Float) -> Float) -> (TensorStorage, [Int]) {
    let shape = Tensor.broadcastShapeOrFail(a.shape, b.shape, op)
    let n = shape.reduce(1, *)
    let out = TensorStorage(uninitializedCount: n)
    let pa = a.storage.base, pb = b.storage.base, po = out.base
    withExtendedLifetime((a.storage, b.storage)) {
        if n == 0 { return }
        if a.count == n && b.count == n {
            // Same elements in the same order (the shapes differ at most by leading 1s).
            parallelFor(n) { range in for i in range { po[i] = f(pa[i], pb[i]) } }
        } else if b.count == 1 {
            let s = pb[0]
            parallelFor(n) { range in for i in range { po[i] = f(pa[i], s) } }
        } else if a.count == 1 {
            let s = pa[0]
            parallelFor(n) { range in for i in range { po[i] = f(s, pb[i]) } }
        } else {
            let sa = Tensor.broadcastStrides(a.shape, to: shape)
            let sb = Tensor.broadcastStrides(b.shape, to: shape)
            let inner = shape[shape.count - 1]
            let ia = sa[shape.count - 1], ib = sb[shape.count - 1]
            forEachRow(shape, sa, sb) { row, offA, offB in
                let qo = po + row * inner, qa = pa + offA, qb = pb + offB
                switch (ia, ib) {
                case (0, 0):
                    let v = f(qa[0], qb[0])
                    for j in 0..<inner { qo[j] = v }
                case (0, _):
                    let s = qa[0]
                    for j in 0..<inner { qo[j] = f(s, qb[j]) }
                case (_, 0):
                    let s = qb[0]
                    for j in 0..<inner { qo[j] = f(qa[j], s) }
                default:
                    for j in 0..<inner { qo[j] = f(qa[j], qb[j]) }
                }
            }
        }
    }
    return (out, shape)
}

/// The sum of `count` floats from `p`, with eight independent accumulators: faster than one
/// (the adds pipeline and vectorize) and more accurate (each accumulator sees 1/8 of the terms).
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
    var i = 0
    while i + 8 <= count {
        acc.0 += p[i]; acc.1 += p[i + 1]; acc.2 += p[i + 2]; acc.3 += p[i + 3]
        acc.4 += p[i + 4]; acc.5 += p[i + 5]; acc.6 += p[i + 6]; acc.7 += p[i + 7]
        i += 8
    }
    var tail: Float = 0
    while i < count { tail += p[i]; i += 1 }
    return ((acc.0 + acc.1) + (acc.2 + acc.3)) + ((acc.4 + acc.5) + (acc.6 + acc.7)) + tail
}

extension Tensor {
    /// This gradient summed over the dimensions along which an input of `target` shape was
    /// broadcast, so that it has the input's shape (the adjoint of broadcasting). Not recorded.
    ///
    ///     // g: (B, T, C) gradient of x + bias, bias: (C)  →  Σ over B and T: (C)
    func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let n = target.reduce(1, *)
        if n == count { return Tensor(storage: storage, shape: target) }   // only leading 1s differ
        require(target.count <= rank, "sumToShape: \(shape) was not broadcast from \(target)")
        let out = TensorStorage(repeating: 0, count: n)
        let src = storage.base, dst = out.base
        withExtendedLifetime(storage) {
            if n == 1 {
                dst[0] = rowSum(src, count)
                return
            }
            let st = Tensor.broadcastStrides(target, to: shape)
            let inner = shape[rank - 1], it = st[rank - 1]
            forEachRow(shape, st, st) { row, off, _ in
                let q = src + row * inner
                if it == 0 {
                    dst[off] += rowSum(q, inner)
                } else {
                    let d = dst + off
                    for j in 0..<inner { d[j] += q[j] }
                }
            }
        }
        return Tensor(storage: out, shape: target)
    }

    /// This tensor's data repeated along broadcast dimensions to `target` shape. Not recorded.
    func expandedData(to target: [Int]) -> Tensor {
        if shape == target { return detached() }
        require(Tensor.broadcastShapeOrFail(shape, target, "broadcasted(to:)") == target,
                "broadcasted(to:): shape \(shape) cannot be broadcast to \(target) (it would become \(Tensor.broadcastShapeOrFail(shape, target, "broadcasted(to:)")))")
        let n = target.reduce(1, *)
        let out = TensorStorage(uninitializedCount: n)
        let src = storage.base, dst = out.base
        withExtendedLifetime(storage) {
            if n == 0 { return }
            if count == 1 {
                dst.initialize(repeating: src[0], count: n)
                return
            }
            let st = Tensor.broadcastStrides(shape, to: target)
            let inner = target[target.count - 1], it = st[target.count - 1]
            forEachRow(target, st, st) { row, off, _ in
                let d = dst + row * inner
                if it == 0 {
                    d.initialize(repeating: src[off], count: inner)
                } else {
                    d.initialize(from: src + off, count: inner)
                }
            }
        }
        return Tensor(storage: out, shape: target)
    }
}
