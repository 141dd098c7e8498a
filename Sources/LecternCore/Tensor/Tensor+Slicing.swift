// Taking tensors apart and putting them together: slice, index, concat, stack, split.
//
// Reference: `x.narrow(dim, start, length)` / `x[:, a:b]`, `x.select(dim, i)` / `x[:, i]`,
// `torch.cat`, `torch.stack`, `torch.split(sizes, dim)` (PyTorch 2.x). All are copies here
// (tensors are contiguous). Each is a block copy: seen as (outer, n, inner) around the axis, a
// slice keeps rows [start, end) of every outer block, and one `inner`-sized run is contiguous,
// so the copies are `memcpy`s of `length · inner` elements. The gradient of a slice is the
// upstream gradient added into the input's gradient at the slice's place (scattered into the
// running sum, so slicing a (B, T, C) sequence T times costs O(T) in backward, not O(T²)); of
// a concat, the upstream gradient sliced back into pieces.

extension Tensor {
    /// The elements with index in `range` along `axis` (`x.narrow` / `x[..., a:b, ...]`).
    ///
    ///     let x = Tensor(shape: [2, 4], scalars: [0, 1, 2, 3, 4, 5, 6, 7])   // (2, 4)
    ///     x.slice(axis: 1, 1..<3).scalars                                    // [1, 2, 5, 6]   (2, 2)
    ///
    /// - Precondition: `range` lies within `0..<shape[axis]`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "slice(axis:)")
        require(range.lowerBound >= 0 && range.upperBound <= shape[axis],
                "slice: range \(range) is outside 0..<\(shape[axis]) along axis \(axis) of shape \(shape)")
        if range == 0..<shape[axis] { return self }
        var newShape = shape
        newShape[axis] = range.count
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        let out = TensorStorage(uninitializedCount: outer * range.count * inner)
        Tensor.copyBlocks(from: storage.base, sourceRows: n, sourceStart: range.lowerBound,
                          to: out.base, destinationRows: range.count, destinationStart: 0,
                          rows: range.count, outer: outer, inner: inner)
        // Backward adds the upstream gradient into the slice's rows of the input's running
        // gradient (a scatter): no dense zero tensor of the input's size per slice.
        return .record("slice", out, shape: newShape, inputs: [self]) { [shape] g, sink in
            sink.accumulate(into: 0, shape: shape) { grad in
                withExtendedLifetime(g.storage) {
                    Tensor.addBlocks(from: g.storage.base, sourceRows: range.count,
                                     to: grad, destinationRows: n, destinationStart: range.lowerBound,
                                     rows: range.count, outer: outer, inner: inner)
                }
            }
        }
    }

    /// The sub-tensor at index `i` along `axis`, with that axis removed (`x.select(dim, i)`,
    /// `x[:, i]`). Negative `i` counts from the end.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    ///     x.index(axis: 0, 1).scalars   // [4, 5, 6]   (3)
    ///     x.index(axis: 1, -1).scalars  // [3, 6]      (2)
    public func index(axis: Int, _ i: Int) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "index(axis:)")
        let j = i < 0 ? i + shape[axis] : i
        require(j >= 0 && j < shape[axis], "index: \(i) is out of range for axis \(axis) of shape \(shape)")
        return slice(axis: axis, j..<(j + 1)).squeezed(axis: axis)
    }

    /// The tensors joined end to end along an existing axis (`torch.cat`).
    ///
    ///     let a = Tensor.zeros([2, 3]), b = Tensor.ones([2, 1])
    ///     Tensor.concat([a, b], axis: 1).shape   // [2, 4]
    ///
    /// - Precondition: at least one tensor; all have the same rank and agree on every size
    ///   except along `axis`.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        require(!tensors.isEmpty, "concat: no tensors to join")
        let first = tensors[0]
        let axis = normalizeAxis(axis, rank: first.rank, "concat")
        for t in tensors {
            var a = t.shape, b = first.shape
            require(a.count == b.count, "concat: shapes \(first.shape) and \(t.shape) have different ranks")
            a[axis] = 0; b[axis] = 0
            require(a == b, "concat: shapes \(first.shape) and \(t.shape) differ outside axis \(axis)")
        }
        if tensors.count == 1 { return first }
        let sizes = tensors.map { $0.shape[axis] }
        let total = sizes.reduce(0, +)
        var newShape = first.shape
        newShape[axis] = total
        let (outer, _, inner) = split3(first.shape, axis: axis)
        let out = TensorStorage(uninitializedCount: outer * total * inner)
        var start = 0
        for (t, size) in zip(tensors, sizes) {
            withExtendedLifetime(t.storage) {
                copyBlocks(from: t.storage.base, sourceRows: size, sourceStart: 0,
                           to: out.base, destinationRows: total, destinationStart: start,
                           rows: size, outer: outer, inner: inner)
            }
            start += size
        }
        return record("concat", out, shape: newShape, inputs: tensors) { g, needs in
            var grads: [Tensor?] = []
            var start = 0
            for (size, need) in zip(sizes, needs) {
                grads.append(need ? g.slice(axis: axis, start..<(start + size)) : nil)
                start += size
            }
            return grads
        }
    }

    /// The tensors joined along a new axis (`torch.stack`): `n` tensors of shape S give shape
    /// S with `n` inserted at `axis`.
    ///
    ///     let steps = [Tensor.zeros([4, 8]), Tensor.zeros([4, 8]), Tensor.zeros([4, 8])]
    ///     Tensor.stack(steps, axis: 1).shape   // [4, 3, 8]
    ///
    /// - Precondition: at least one tensor, all of the same shape.
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        require(!tensors.isEmpty, "stack: no tensors to join")
        let shape = tensors[0].shape
        require(tensors.allSatisfy { $0.shape == shape }, "stack: every tensor must have shape \(shape), got \(tensors.map(\.shape))")
        let a = normalizeAxis(axis, rank: shape.count + 1, "stack")
        return concat(tensors.map { $0.unsqueezed(axis: a) }, axis: a)
    }

    /// The tensor cut along `axis` into consecutive pieces of the given sizes
    /// (`torch.split(x, sizes, dim)`).
    ///
    ///     // a fused (B, T, 3C) QKV projection into q, k, v, each (B, T, C)
    ///     let qkv = Tensor.zeros([2, 5, 24])
    ///     let parts = qkv.split(sizes: [8, 8, 8], axis: -1)   // 3 × (2, 5, 8)
    ///
    /// - Precondition: the sizes are non-negative and add up to `shape[axis]`.
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let a = Tensor.normalizeAxis(axis, rank: rank, "split")
        require(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
                "split: sizes \(sizes) must add up to \(shape[a]), the size of axis \(a) of \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: a, start..<(start + size))
        }
    }

    /// For each of `outer` blocks, copies `rows` runs of `inner` elements from row
    /// `sourceStart` of a block of `sourceRows` rows to row `destinationStart` of a block of
    /// `destinationRows` rows. Consecutive rows are contiguous, so each block is one memcpy.
    static func copyBlocks(from source: UnsafePointer<Float>, sourceRows: Int, sourceStart: Int,
                           to destination: UnsafeMutablePointer<Float>, destinationRows: Int, destinationStart: Int,
                           rows: Int, outer: Int, inner: Int) {
        let run = rows * inner
        if run == 0 { return }
        for o in 0..<outer {
            (destination + (o * destinationRows + destinationStart) * inner)
                .update(from: source + (o * sourceRows + sourceStart) * inner, count: run)
        }
    }

    /// Like ``copyBlocks(from:sourceRows:sourceStart:to:destinationRows:destinationStart:rows:outer:inner:)``
    /// but adding into the destination (source rows start at 0): a slice's backward.
    static func addBlocks(from source: UnsafePointer<Float>, sourceRows: Int,
                          to destination: UnsafeMutablePointer<Float>, destinationRows: Int, destinationStart: Int,
                          rows: Int, outer: Int, inner: Int) {
        let run = rows * inner
        if run == 0 { return }
        for o in 0..<outer {
            let d = destination + (o * destinationRows + destinationStart) * inner, s = source + o * sourceRows * inner
            for j in 0..<run { d[j] += s[j] }
        }
    }
}
