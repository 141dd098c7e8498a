// Masked selection: maskedFill and where.
//
// Reference: `torch.Tensor.masked_fill(mask, value)` and `torch.where(cond, a, b)`
// (PyTorch 2.x). A mask tensor is true where its element is nonzero. Both broadcast: a causal
// mask of shape (T, T) fills attention scores of shape (B, H, T, T). Gradients: the upstream
// gradient passes through where the input was selected and is zero where it was replaced
// (then summed over broadcast dimensions).

extension Tensor {
    /// This tensor with `value` wherever `mask` is nonzero (`masked_fill`); `mask` broadcasts
    /// to this tensor's shape.
    ///
    ///     // causal attention: hide future positions before softmax
    ///     let scores = Tensor.zeros([2, 3, 3])                            // (B, T, T)
    ///     let future = Tensor(shape: [3, 3], scalars: [0, 1, 1,
    ///                                                  0, 0, 1,
    ///                                                  0, 0, 0])          // (T, T)
    ///     let masked = scores.maskedFill(future, with: -.infinity)        // (B, T, T)
    ///
    /// The gradient is zero at the filled positions. The mask is a constant (no gradient).
    ///
    /// - Precondition: `mask`'s shape broadcasts to this tensor's shape.
    public func maskedFill(_ mask: Tensor, with value: Float) -> Tensor {
        let m = mask.expandedData(to: shape)   // (same shape as self)
        let out = zipElements(self, m) { x, keep in keep != 0 ? value : x }
        return .record("maskedFill", out.storage, shape: shape, inputs: [self]) { g, _ in
            [zipElements(g, m) { g, masked in masked != 0 ? 0 : g }]
        }
    }

    /// This tensor with `value` wherever `mask` is true; the mask lists one Bool per element in
    /// row-major order.
    ///
    ///     let x = Tensor(shape: [3], scalars: [1, 2, 3])
    ///     x.maskedFill([false, true, false], with: 0).scalars   // [1, 0, 3]
    ///
    /// - Precondition: `mask.count == count`.
    public func maskedFill(_ mask: [Bool], with value: Float) -> Tensor {
        require(mask.count == count, "maskedFill: \(mask.count) mask entries for a tensor of shape \(shape) (\(count) elements)")
        return maskedFill(Tensor(shape: shape, scalars: mask.map { $0 ? 1 : 0 }), with: value)
    }

    /// Elementwise choice: `a` where `condition` is nonzero, `b` elsewhere (`torch.where`). All
    /// three broadcast together.
    ///
    ///     let c = Tensor(shape: [3], scalars: [1, 0, 1])
    ///     let a = Tensor(shape: [3], scalars: [1, 2, 3])
    ///     Tensor.where(c, a, Tensor(0)).scalars   // [1, 0, 3]
    ///
    /// Gradients flow to `a` where the condition holds and to `b` elsewhere; the condition is
    /// a constant.
    ///
    /// - Precondition: the three shapes broadcast.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = broadcastShapeOrFail(broadcastShapeOrFail(condition.shape, a.shape, "where"), b.shape, "where")
        let c = condition.expandedData(to: shape), av = a.expandedData(to: shape), bv = b.expandedData(to: shape)
        let out = zipElements(c, av, bv) { c, x, y in c != 0 ? x : y }
        return record("where", out.storage, shape: shape, inputs: [a, b]) { [sa = a.shape, sb = b.shape] g, needs in
            [needs[0] ? zipElements(g, c) { g, c in c != 0 ? g : 0 }.sumToShape(sa) : nil,
             needs[1] ? zipElements(g, c) { g, c in c != 0 ? 0 : g }.sumToShape(sb) : nil]
        }
    }
}
