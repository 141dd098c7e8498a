// Dropout, the inverted kind.
//
// Reference: `torch.nn.functional.dropout(x, p, training)` (PyTorch 2.x; Srivastava et al.,
// "Dropout", JMLR 2014). In training each element is zeroed with probability p and the
// survivors are scaled by 1/(1 − p), so the expected value is unchanged and evaluation needs
// no rescaling ("inverted" dropout). The gradient is multiplied by the same mask.
// Randomness comes from the caller's SeededGenerator (one uniform draw per element, in
// row-major order), so results are reproducible; they do not match PyTorch's random mask.

extension Tensor {
    /// Inverted dropout: in training, each element is zeroed with probability `p` and the rest
    /// are multiplied by 1/(1 − p); otherwise (or with p = 0) the tensor is returned unchanged.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let h = Tensor.ones([4, 8])
    ///     let d = h.dropout(p: 0.5, training: true, using: &rng)   // about half 0, the rest 2
    ///     h.dropout(p: 0.5, training: false, using: &rng)          // h itself
    ///
    /// - Precondition: `0 <= p <= 1`. With p = 1 everything is zeroed.
    public func dropout(p: Float, training: Bool, using generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p <= 1, "dropout: p = \(p) is not a probability in [0, 1]")
        guard training, p > 0 else { return self }
        // A constant factor: multiplication records the gradient g · mask.
        return self * Tensor.dropoutMask(shape, p: p, using: &generator)
    }

    /// The factors inverted dropout multiplies by: each element 0 with probability `p`, else
    /// 1/(1 − p); drawn exactly as ``dropout(p:training:using:)`` draws them (one uniform per
    /// element, row-major), so passing the mask to a fused kernel gives the same result.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let m = Tensor.dropoutMask([2, 4], p: 0.5, using: &rng)   // entries 0 or 2
    ///
    /// - Precondition: `0 <= p <= 1`.
    public static func dropoutMask(_ shape: [Int], p: Float, using generator: inout SeededGenerator) -> Tensor {
        require(p >= 0 && p <= 1, "dropoutMask: p = \(p) is not a probability in [0, 1]")
        let count = shape.reduce(1, *)
        let scale: Float = p < 1 ? 1 / (1 - p) : 0
        let mask = TensorStorage(uninitializedCount: count)
        for i in 0..<count { mask.base[i] = generator.nextUniform() < p ? 0 : scale }
        return Tensor(storage: mask, shape: shape)
    }
}
