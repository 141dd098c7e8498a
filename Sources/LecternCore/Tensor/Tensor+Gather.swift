// Gathering slices by index: the embedding lookup.
//
// Reference: `torch.index_select(x, dim, index)`; along axis 0 of a (V, C) table it is
// `nn.Embedding`'s forward, `table[ids]` (PyTorch 2.x). The gradient is a scatter-add
// (`index_add_`): the upstream gradient of each picked slice is added to the slice it came
// from, so a token id that appears twice in a batch gets both contributions.

extension Tensor {
    /// The slices at `indices` along `axis`, in that order (repeats allowed): along axis 0 of
    /// a (V, C) embedding table, ids (N) give (N, C) rows.
    ///
    ///     let table = Tensor(shape: [3, 2], scalars: [0, 0, 1, 1, 2, 2])   // (V=3, C=2)
    ///     table.gathered(indices: [2, 0, 2]).scalars                       // [2, 2, 0, 0, 2, 2]   (3, 2)
    ///
    /// Reshape the result to (B, T, C) for a batch of sequences. The gradient of a repeated
    /// index is the sum over its uses.
    ///
    /// `frozenIndex` names a slice that gets no gradient however often it is picked: PyTorch's
    /// `padding_idx`, which keeps the [PAD] row of an embedding table where it is.
    ///
    /// - Precondition: every index is in `0..<shape[axis]`.
    public func gathered(indices: [Int], axis: Int = 0, frozenIndex: Int? = nil) -> Tensor {
        let axis = Tensor.normalizeAxis(axis, rank: rank, "gathered")
        let (outer, n, inner) = Tensor.split3(shape, axis: axis)
        for i in indices {
            require(i >= 0 && i < n, "gathered: index \(i) is out of range 0..<\(n) (axis \(axis) of shape \(shape))")
        }
        let m = indices.count
        var newShape = shape
        newShape[axis] = m
        let out = TensorStorage(uninitializedCount: outer * m * inner)
        if inner > 0 {
            for o in 0..<outer {
                for (r, i) in indices.enumerated() {
                    (out.base + (o * m + r) * inner).update(from: storage.base + (o * n + i) * inner, count: inner)
                }
            }
        }
        // Backward scatters each picked slice's gradient back onto its row of the input's
        // running gradient: one dense table gradient per backward pass, not one per lookup.
        return .record("gather", out, shape: newShape, inputs: [self]) { [shape] g, sink in
            sink.accumulate(into: 0, shape: shape) { grad in
                withExtendedLifetime(g.storage) {
                    for o in 0..<outer {
                        for (r, i) in indices.enumerated() where i != frozenIndex {
                            let d = grad + (o * n + i) * inner, s = g.storage.base + (o * m + r) * inner
                            for j in 0..<inner { d[j] += s[j] }
                        }
                    }
                }
            }
        }
    }
}
