// Dropout as a module: active in training mode, the identity in evaluation mode.
//
// Reference: N. Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
// Overfitting", JMLR 15 (2014), and `torch.nn.Dropout` (PyTorch 2.x), which uses *inverted*
// dropout: in training each element is zeroed with probability p and the survivors are scaled
// by 1/(1 − p), so that the expected value is unchanged and evaluation needs no rescaling.
//
// The module owns its random generator (seeded), so a model's dropout masks are reproducible
// and need no generator threaded through every forward call.

/// Zeroes each element with probability `p` during training and rescales the rest by
/// 1/(1 − p); does nothing in evaluation mode (after `eval()`).
///
///     let dropout = Dropout(p: 0.1, seed: 42)
///     let h = dropout(x)      // training: about 10% zeros, the rest × 1/0.9
///     dropout.eval()
///     dropout(x)              // x itself
public final class Dropout: Module {
    /// The probability of zeroing an element, in [0, 1).
    ///
    ///     dropout.p = 0   // switch dropout off without eval()
    public var p: Float
    /// Whether dropout is applied (set through `train()` / `eval()` on the model).
    ///
    ///     dropout.training   // true until eval()
    public var training = true
    /// The source of the dropout masks.
    ///
    ///     dropout.generator = SeededGenerator(seed: 1)   // replay the masks of seed 1
    public var generator: SeededGenerator

    /// Dropout with probability `p`, its masks drawn from a generator seeded with `seed`.
    ///
    ///     let attentionDropout = Dropout(p: 0.1, seed: 7)
    ///
    /// - Precondition: `0 <= p < 1`.
    public init(p: Float, seed: UInt64 = 0) {
        require(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got \(p)")
        self.p = p
        generator = SeededGenerator(seed: seed)
    }

    /// `x` with dropout applied in training mode, or `x` unchanged in evaluation mode.
    ///
    ///     let h = dropout(attentionProbs)   // (B, H, T, T) → (B, H, T, T)
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard training, p > 0 else { return x }
        return x.dropout(p: p, training: true, using: &generator)
    }

    /// The mask this layer would multiply a tensor of `shape` by (entries 0 or 1/(1 − p)),
    /// drawn from its generator as ``callAsFunction(_:)`` would draw it; nil in evaluation mode
    /// or with p = 0. For fused kernels that apply dropout themselves (attention).
    ///
    ///     let m = attentionDropout.mask([B, heads, T, S])   // nil after eval()
    public func mask(_ shape: [Int]) -> Tensor? {
        guard training, p > 0 else { return nil }
        return Tensor.dropoutMask(shape, p: p, using: &generator)
    }
}
