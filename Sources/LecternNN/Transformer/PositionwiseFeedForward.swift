// The position-wise feed-forward network of a Transformer layer.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.3:
//
//     FFN(x) = max(0, x W₁ + b₁) W₂ + b₂,     d_ff = 2048 = 4 · d_model
//
// "Position-wise": the same two-layer MLP is applied to every token on its own; tokens exchange
// information only in attention. Attention mixes across positions, the FFN transforms within one
// (most of a Transformer's parameters are here: 2·d·d_ff per layer against attention's 4·d²).
// BERT and GPT-2 use GELU instead of ReLU.
//
// Names follow `torch.nn.TransformerEncoderLayer`, whose FFN is `linear1`, `dropout`, `linear2`
// directly on the layer: the layers list `linear1` and `linear2` as their own children, so a
// torch state dict loads unchanged, while the computation lives here once.

/// FFN(x) = linear2(dropout(activation(linear1(x)))), applied to every position: (…, d) → (…, d).
///
///     var rng = SeededGenerator(seed: 0)
///     let ffn = PositionwiseFeedForward(dModel: 512, dimFeedforward: 2048, activation: .relu, using: &rng)
///     ffn(Tensor.zeros([2, 10, 512])).shape   // [2, 10, 512]
///     ffn.parameterCount                      // 2_099_712 = 512·2048 + 2048 + 2048·512 + 512
public final class PositionwiseFeedForward: Module {
    /// W₁, b₁: d_model → d_ff (`linear1`).
    ///
    ///     ffn.linear1.weight.shape   // [2048, 512]
    public let linear1: Linear
    /// W₂, b₂: d_ff → d_model (`linear2`).
    ///
    ///     ffn.linear2.weight.shape   // [512, 2048]
    public let linear2: Linear
    /// The non-linearity between the two: ReLU in the paper, GELU in BERT and GPT-2.
    ///
    ///     ffn.activation   // .relu
    public let activation: Activation
    /// Dropout on the hidden layer (PyTorch's `dropout` between the two linears).
    ///
    ///     ffn.dropout.p   // 0.1
    public let dropout: Dropout
    /// Training mode (dropout active) or evaluation mode.
    public var training = true

    /// A feed-forward block with `nn.Linear`'s initialisation.
    ///
    ///     let ffn = PositionwiseFeedForward(dModel: 64, dimFeedforward: 256, activation: .gelu, using: &rng)
    public init(dModel: Int, dimFeedforward: Int, activation: Activation = .relu, dropout: Float = 0,
                bias: Bool = true, using generator: inout SeededGenerator) {
        linear1 = Linear(inFeatures: dModel, outFeatures: dimFeedforward, bias: bias, using: &generator)
        linear2 = Linear(inFeatures: dimFeedforward, outFeatures: dModel, bias: bias, using: &generator)
        self.activation = activation
        self.dropout = Dropout(p: dropout, seed: generator.next())
    }

    public var children: NamedModules { [("linear1", linear1), ("dropout", dropout), ("linear2", linear2)] }

    /// FFN(x) for every position of `x` (…, d_model).
    ///
    ///     let y = ffn(x)   // same shape as x
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let hidden = dropout(activation(linear1(x)))   // (…, d_ff)
        return linear2(hidden)                         // (…, d_model)
    }
}
