// Changing shape without changing values: reshape, squeeze/unsqueeze, permute, transpose,
// broadcast.
//
// Reference: `torch.reshape`, `torch.flatten`, `torch.unsqueeze`, `torch.squeeze(dim)`,
// `torch.permute`, `torch.transpose`, `torch.broadcast_to` (PyTorch 2.x). Because tensors here
// are always contiguous, a reshape shares the buffer (O(1)) while a permute or transpose
// copies into the new order (PyTorch would return a strided view; `.contiguous()` then copies,
// which is what every kernel here would need anyway). Gradients are the inverse rearrangement:
// reshape back, permute by the inverse permutation, sum over broadcast dimensions.

extension Tensor {
    /// The same elements in a new shape (row-major order is kept). One size may be -1: it is
    /// inferred from the others. Shares the buffer.
    ///
    ///     let x = Tensor.arange(6)                   // (6)
    ///     x.reshaped([2, 3]).shape                    // [2, 3]
    ///     x.reshaped([-1, 2]).shape                   // [3, 2]
    ///
    /// - Precondition: at most one -1, and the sizes multiply to `count`.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        require(inferred.count <= 1, "reshaped: at most one -1 is allowed, got \(newShape)")
        require(newShape.allSatisfy { $0 >= -1 }, "reshaped: negative size in \(newShape)")
        if let i = inferred.first {
            let known = newShape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            require(known > 0 && count % known == 0, "reshaped: cannot reshape \(shape) (\(count) elements) into \(newShape)")
            target[i] = count / known
        }
        require(target.reduce(1, *) == count, "reshaped: cannot reshape \(shape) (\(count) elements) into \(newShape)")
        if target == shape { return self }
        return .record("reshape", storage, shape: target, inputs: [self]) { [shape] g, _ in
            [Tensor(storage: g.storage, shape: shape)]
        }
    }

    /// All elements as a 1-D tensor.
    ///
    ///     Tensor.zeros([2, 3]).flattened().shape   // [6]
    public func flattened() -> Tensor { reshaped([count]) }

    /// A size-1 dimension inserted at `axis` (`torch.unsqueeze`); negative counts from the end
    /// of the result.
    ///
    ///     Tensor.zeros([2, 3]).unsqueezed(axis: 0).shape    // [1, 2, 3]
    ///     Tensor.zeros([2, 3]).unsqueezed(axis: -1).shape   // [2, 3, 1]
    public func unsqueezed(axis: Int) -> Tensor {
        let a = Tensor.normalizeAxis(axis, rank: rank + 1, "unsqueezed(axis:)")
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    /// The size-1 dimension at `axis` removed (`torch.squeeze(dim)`).
    ///
    ///     Tensor.zeros([2, 1, 3]).squeezed(axis: 1).shape   // [2, 3]
    ///
    /// - Precondition: that dimension has size 1.
    public func squeezed(axis: Int) -> Tensor {
        let a = Tensor.normalizeAxis(axis, rank: rank, "squeezed(axis:)")
        require(shape[a] == 1, "squeezed(axis:): dimension \(a) of \(shape) has size \(shape[a]), not 1")
        var s = shape
        s.remove(at: a)
        return reshaped(s)
    }

    /// The dimensions reordered: dimension `i` of the result is dimension `axes[i]` of this
    /// tensor (`torch.permute`). A copy.
    ///
    ///     // (B, T, H, D) → (B, H, T, D), splitting attention heads
    ///     Tensor.zeros([2, 5, 4, 8]).permuted([0, 2, 1, 3]).shape   // [2, 4, 5, 8]
    ///
    /// - Precondition: `axes` is a permutation of `0..<rank` (negative axes allowed).
    public func permuted(_ axes: [Int]) -> Tensor {
        require(axes.count == rank, "permuted: \(axes) has \(axes.count) axes for a tensor of rank \(rank)")
        let perm = axes.map { Tensor.normalizeAxis($0, rank: rank, "permuted") }
        require(Set(perm).count == rank, "permuted: \(axes) is not a permutation of 0..<\(rank)")
        if perm == Array(0..<rank) { return self }
        let newShape = perm.map { shape[$0] }
        let out = Tensor.permuteData(storage, shape: shape, perm: perm)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return .record("permute", out, shape: newShape, inputs: [self]) { [shape] g, _ in
            [Tensor(storage: Tensor.permuteData(g.storage, shape: newShape, perm: inverse), shape: shape)]
        }
    }

    /// Two dimensions swapped (`torch.transpose`). A copy.
    ///
    ///     Tensor.zeros([2, 3, 4]).transposed(-1, -2).shape   // [2, 4, 3]
    public func transposed(_ a: Int, _ b: Int) -> Tensor {
        var axes = Array(0..<rank)
        axes.swapAt(Tensor.normalizeAxis(a, rank: rank, "transposed"), Tensor.normalizeAxis(b, rank: rank, "transposed"))
        return permuted(axes)
    }

    /// The tensor repeated along broadcast dimensions to `shape` (`torch.broadcast_to`, but a
    /// copy). Its gradient is summed back over those dimensions.
    ///
    ///     Tensor(shape: [3], scalars: [1, 2, 3]).broadcasted(to: [2, 3]).scalars   // [1, 2, 3, 1, 2, 3]
    ///
    /// - Precondition: the shape broadcasts to `shape` (and not beyond it).
    public func broadcasted(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let out = expandedData(to: target)
        return .record("broadcast", out.storage, shape: target, inputs: [self]) { [shape] g, _ in [g.sumToShape(shape)] }
    }

    /// The buffer of a tensor of `shape` with its dimensions reordered by `perm`.
    static func permuteData(_ source: TensorStorage, shape: [Int], perm: [Int]) -> TensorStorage {
        let rank = shape.count
        let n = source.count
        let out = TensorStorage(uninitializedCount: n)
        if n == 0 { return out }
        let newShape = perm.map { shape[$0] }
        let sourceStrides = contiguousStrides(shape)
        // Reading stride of each result dimension in the source.
        let readStrides = perm.map { sourceStrides[$0] }
        let src = source.base, dst = out.base
        withExtendedLifetime(source) {
            let inner = newShape[rank - 1], innerStride = readStrides[rank - 1]
            forEachRow(newShape, readStrides, readStrides) { row, offset, _ in
                let d = dst + row * inner
                let s = src + offset
                if innerStride == 1 {
                    d.update(from: s, count: inner)
                } else {
                    for j in 0..<inner { d[j] = s[j * innerStride] }
                }
            }
        }
        return out
    }
}
