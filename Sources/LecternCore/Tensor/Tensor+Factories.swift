// Creating tensors: constants, ranges and seeded random initializations.
//
// Reference: `torch.zeros`, `torch.ones`, `torch.full`, `torch.arange`, `torch.randn`,
// `torch.rand` / `uniform_` (PyTorch 2.x). Randomness comes only from a `SeededGenerator`
// passed in, so a seed reproduces the same tensor on every platform (though not PyTorch's
// numbers: the generators differ).

extension Tensor {
    /// A tensor of zeros.
    ///
    ///     Tensor.zeros([2, 3]).scalars   // [0, 0, 0, 0, 0, 0]
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// A tensor of ones.
    ///
    ///     Tensor.ones([2]).scalars   // [1, 1]
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// A tensor with every element equal to `value`.
    ///
    ///     Tensor.full([2, 2], -1).scalars   // [-1, -1, -1, -1]
    ///
    /// - Precondition: every size is non-negative.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor.full: negative size in shape \(shape)")
        return Tensor(storage: TensorStorage(repeating: value, count: shape.reduce(1, *)), shape: shape)
    }

    /// The numbers 0, 1, …, n − 1 as a 1-D tensor (`torch.arange(n)`, as floats).
    ///
    ///     Tensor.arange(4).scalars   // [0, 1, 2, 3]
    public static func arange(_ n: Int) -> Tensor {
        require(n >= 0, "Tensor.arange: negative length \(n)")
        return Tensor(shape: [n], scalars: (0..<n).map { Float($0) })
    }

    /// Samples from the normal distribution N(0, std²), drawn in row-major order.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let w = Tensor.randn([768, 768], std: 0.02, using: &rng)   // GPT-2 init
    public static func randn(_ shape: [Int], std: Float = 1, using generator: inout SeededGenerator) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor.randn: negative size in shape \(shape)")
        let n = shape.reduce(1, *)
        let out = TensorStorage(uninitializedCount: n)
        for i in 0..<n { out.base[i] = generator.nextNormal(std: std) }
        return Tensor(storage: out, shape: shape)
    }

    /// Samples from the uniform distribution on [low, high), drawn in row-major order.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let bound = 1 / Float(64).squareRoot()
    ///     let w = Tensor.uniform([64, 32], low: -bound, high: bound, using: &rng)   // nn.Linear init
    public static func uniform(_ shape: [Int], low: Float, high: Float, using generator: inout SeededGenerator) -> Tensor {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor.uniform: negative size in shape \(shape)")
        require(low <= high, "Tensor.uniform: low \(low) is above high \(high)")
        let n = shape.reduce(1, *)
        let out = TensorStorage(uninitializedCount: n)
        let width = high - low
        for i in 0..<n { out.base[i] = low + width * generator.nextUniform() }
        return Tensor(storage: out, shape: shape)
    }
}
