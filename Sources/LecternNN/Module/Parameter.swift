// A trainable tensor: PyTorch's `nn.Parameter`.
//
// Reference: `torch.nn.Parameter` (PyTorch 2.x): a leaf tensor that requires gradients and
// that a module registers so that `parameters()` finds it.
//
// Why a class: `Tensor` has value semantics, so a layer and an optimizer holding "the same"
// weight as a `Tensor` would hold two copies, and the optimizer's update would never reach the
// layer. A `Parameter` is one shared box: the layer reads `weight.value` in its forward pass,
// `backward()` deposits the gradient on that value's autograd node, and the optimizer updates
// `value` in place through `withUnsafeMutableScalars`, which keeps the gradient identity.

/// A trainable tensor that a ``Module`` owns and an optimizer updates in place.
///
///     var rng = SeededGenerator(seed: 0)
///     let w = Parameter(Tensor.randn([3, 2], std: 0.02, using: &rng))
///     w.value.requiresGrad   // true
///     let loss = someInput.matmul(w.value).sum()
///     loss.backward()
///     w.grad!.shape          // [3, 2]
///
/// `value` is always a leaf: assigning any tensor to it (the result of an operation, a loaded
/// checkpoint tensor) stores a detached copy, which requires gradients unless the parameter is
/// frozen (``requiresGrad`` false).
public final class Parameter {
    /// The current value: a leaf tensor, with `requiresGrad` equal to the parameter's.
    ///
    ///     parameter.value.shape   // e.g. [768, 768]
    public var value: Tensor {
        didSet { value = Parameter.leaf(value, requiresGrad: requiresGrad) }
    }

    /// Whether `backward()` computes a gradient for this parameter (PyTorch's
    /// `param.requires_grad`). A frozen parameter (false) is a constant to the graph: no
    /// gradient is computed or stored for it, nothing is saved to compute one, and optimizers
    /// skip it. Freeze a pre-trained encoder to fine-tune only a head:
    ///
    ///     for p in bert.parameters() { p.requiresGrad = false }   // or bert.freeze()
    ///
    /// Freezing drops the gradient accumulated so far.
    public var requiresGrad = true {
        didSet {
            guard requiresGrad != oldValue else { return }
            value = Parameter.leaf(value.detached(), requiresGrad: requiresGrad)
        }
    }

    /// Wraps `value` as a trainable leaf (a detached copy of it that requires gradients).
    ///
    ///     let bias = Parameter(Tensor.zeros([10]))
    public init(_ value: Tensor) {
        self.value = Parameter.leaf(value, requiresGrad: true)
    }

    /// The gradient accumulated by `backward()` since the last ``zeroGrad()``, or nil.
    ///
    ///     loss.backward()
    ///     parameter.grad?.scalars
    public var grad: Tensor? { value.grad }

    /// The shape of ``value``.
    ///
    ///     Parameter(Tensor.zeros([4, 3])).shape   // [4, 3]
    public var shape: [Int] { value.shape }

    /// The number of scalars in ``value``.
    ///
    ///     Parameter(Tensor.zeros([4, 3])).count   // 12
    public var count: Int { value.count }

    /// Clears the gradient (sets ``grad`` to nil), as `optimizer.zero_grad()` does in PyTorch.
    ///
    ///     parameter.zeroGrad()
    ///     parameter.grad   // nil
    public func zeroGrad() {
        value.zeroGrad()
    }

    /// A leaf with `tensor`'s data that requires gradients or not. A result of an operation is
    /// cut from its graph first: a parameter must accumulate its own gradient, and only leaves do.
    private static func leaf(_ tensor: Tensor, requiresGrad: Bool) -> Tensor {
        if tensor.isLeaf && tensor.requiresGrad == requiresGrad { return tensor }
        var leaf = tensor.detached()
        leaf.requiresGrad = requiresGrad
        return leaf
    }
}
