// A fully connected (affine) layer: y = x·Wᵀ + b.
//
// Reference: `torch.nn.Linear` (PyTorch 2.x), including its parameter layout and its default
// initialisation, so that Hugging Face checkpoints load without transposing anything:
//   - `weight` has shape [out_features, in_features] (rows are output units), `bias` [out].
//   - `reset_parameters()` uses kaiming_uniform_(a=√5): gain = √(2 / (1 + a²)) = √(1/3), and
//     bound = gain · √(3 / fan_in) = 1/√in_features. The bias is U(−1/√in, 1/√in) too.
//     (That a=√5 is a historical choice: it reproduces Lua Torch's init.)
// The numbers come from a `SeededGenerator`, so they are reproducible but not PyTorch's.

/// A fully connected layer, y = x·Wᵀ + b, applied to the last axis of its input.
///
///     var rng = SeededGenerator(seed: 0)
///     let dense = Linear(inFeatures: 768, outFeatures: 3072, using: &rng)
///     dense.weight.shape                 // [3072, 768], PyTorch's layout
///     let h = dense(x)                   // x: (B, T, 768) → h: (B, T, 3072)
///     dense.namedParameters().map(\.name) // ["weight", "bias"]
public final class Linear: Module {
    /// The weights, shape [outFeatures, inFeatures] (PyTorch's layout).
    ///
    ///     dense.weight.shape   // [3072, 768]
    public let weight: Parameter
    /// The biases, shape [outFeatures]; nil for a layer built with `bias: false`.
    ///
    ///     dense.bias?.shape   // [3072]
    public let bias: Parameter?
    /// Training mode flag (unused: a linear layer behaves the same in both modes).
    ///
    ///     dense.training   // true until eval()
    public var training = true

    /// The size of the last axis of the input.
    ///
    ///     dense.inFeatures   // 768
    public var inFeatures: Int { weight.shape[1] }
    /// The size of the last axis of the output.
    ///
    ///     dense.outFeatures   // 3072
    public var outFeatures: Int { weight.shape[0] }

    /// A layer with PyTorch's default initialisation: weight and bias drawn from
    /// U(−1/√inFeatures, 1/√inFeatures) (kaiming-uniform with a = √5).
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let query = Linear(inFeatures: 64, outFeatures: 64, using: &rng)
    ///     let logits = Linear(inFeatures: 64, outFeatures: 1000, bias: false, using: &rng)
    ///
    /// The weight is drawn first, then the bias, in row-major order.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        require(inFeatures > 0 && outFeatures > 0,
                "Linear: inFeatures and outFeatures must be positive, got \(inFeatures) and \(outFeatures)")
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, using: &generator))
        self.bias = bias ? Parameter(Tensor.uniform([outFeatures], low: -bound, high: bound, using: &generator)) : nil
    }

    /// A layer with the given weights (shape [out, in]) and optional bias (shape [out]), e.g.
    /// to reproduce a PyTorch layer exactly.
    ///
    ///     let layer = Linear(weight: Tensor(shape: [1, 2], scalars: [3, 4]), bias: Tensor(shape: [1], scalars: [1]))
    ///     layer(Tensor(shape: [1, 2], scalars: [1, 1])).scalars   // [8]
    public init(weight: Tensor, bias: Tensor? = nil) {
        require(weight.rank == 2, "Linear: weight must have shape [out, in], got \(weight.shape)")
        if let bias {
            require(bias.shape == [weight.shape[0]],
                    "Linear: bias must have shape [\(weight.shape[0])] for a weight of shape \(weight.shape), got \(bias.shape)")
        }
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
    }

    /// `weight` then `bias`, as PyTorch registers them.
    ///
    ///     dense.ownParameters.map(\.name)   // ["weight", "bias"]
    /// A layer over existing parameters (shared with another module when tied): `weight`
    /// [out, in], `bias` [out].
    ///
    ///     let decoder = Linear(weight: embeddings.weight, bias: outputBias)   // tied to the embeddings
    public init(weight: Parameter, bias: Parameter? = nil) {
        require(weight.shape.count == 2, "Linear: weight must have shape [out, in], got \(weight.shape)")
        if let bias {
            require(bias.shape == [weight.shape[0]],
                    "Linear: bias must have shape [\(weight.shape[0])] for a weight of shape \(weight.shape), got \(bias.shape)")
        }
        self.weight = weight
        self.bias = bias
    }

    public var ownParameters: NamedParameters {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// Applies the layer to the last axis: (…, inFeatures) → (…, outFeatures).
    ///
    ///     let y = layer(x)   // x: (B, T, in) → y: (B, T, out)
    ///
    /// - Precondition: the last dimension of `x` is `inFeatures`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        require(x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
                "Linear: input of shape \(x.shape) for a layer with inFeatures \(inFeatures); the last dimension must be \(inFeatures)")
        // One (N, in)·(in, out) product over all leading axes; BLAS reads the [out, in] weight
        // transposed in place, so nothing is copied, and adds it onto the bias rows.
        return x.linear(weight.value, bias: bias?.value)   // (…, out)
    }
}
