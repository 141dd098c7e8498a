// Weight initialisation schemes that layers and models share.
//
// Reference: X. Glorot, Y. Bengio, "Understanding the difficulty of training deep feedforward
// neural networks", AISTATS 2010, and `torch.nn.init.xavier_uniform_` (PyTorch 2.x):
//
//     W ~ U(−a, a),   a = gain · √(6 / (fan_in + fan_out))
//
// which keeps the variance of activations (forward) and of gradients (backward) roughly equal
// from layer to layer. For a weight stored [out, in], fan_in = in and fan_out = out; for more
// dimensions both are multiplied by the product of the trailing sizes (the receptive field), as
// torch's `_calculate_fan_in_and_fan_out` does. `nn.MultiheadAttention` and `nn.Transformer`
// initialise their matrices this way; the Annotated Transformer does it for every matrix.

extension Tensor {
    /// Samples a weight of `shape` ([out, in, …]) from Glorot's uniform distribution
    /// U(−a, a), a = gain·√(6 / (fan_in + fan_out)), drawn in row-major order.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let w = Tensor.xavierUniform([1536, 512], using: &rng)   // a = √(6 / 2048) ≈ 0.054
    ///
    /// - Precondition: rank ≥ 2 (fan-in and fan-out are undefined for a vector).
    public static func xavierUniform(_ shape: [Int], gain: Float = 1, using generator: inout SeededGenerator) -> Tensor {
        require(shape.count >= 2, "Tensor.xavierUniform: needs a weight of rank ≥ 2 ([out, in, …]), got shape \(shape)")
        let receptive = shape.dropFirst(2).reduce(1, *)
        let (fanIn, fanOut) = (shape[1] * receptive, shape[0] * receptive)
        let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &generator)
    }
}
