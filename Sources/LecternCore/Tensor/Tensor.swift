// The n-dimensional Float32 tensor with reverse-mode automatic differentiation.
//
// Reference: `torch.Tensor` (PyTorch 2.x) for semantics and names: row-major (C-order)
// layout, NumPy broadcasting, `requires_grad` / `.grad` / `backward()` / `torch.no_grad()`.
// Departures, by design: Float32 only; always contiguous (transposes and slices copy); the
// data has value semantics (copy-on-write), so `var b = a; b.withUnsafeMutableScalars {...}`
// never changes `a`; backward functions are first-order only.
//
// THE PUBLIC API (other modules code against these names):
//
//   Creating         init(shape:scalars:requiresGrad:)  init(_ scalar:)
//                    zeros(_:)  ones(_:)  full(_:_:)  randn(_:std:using:)  uniform(_:low:high:using:)
//                    arange(_:)
//   Inspecting       shape  rank  count  scalars  scalar  description
//                    withUnsafeScalars(_:)  withUnsafeMutableScalars(_:)   (in-place, copy-on-write)
//   Autograd         requiresGrad (settable on leaves)  grad  backward()  backward(_ seed:)
//                    backward(retainGraph:)  zeroGrad()  retainGrad()  detached()  isLeaf
//                    isIdentical(to:)
//                    Tensor.withoutGradients { ... }  Tensor.isRecordingGradients
//   Arithmetic       + - * /  on (Tensor, Tensor), (Tensor, Float), (Float, Tensor); prefix -
//                    += -= *= /= (rebind, recorded); NumPy broadcasting;
//                    Tensor.broadcastShape(_:_:) throws(ShapeError)
//   Elementwise      exp() log() sqrt() tanh() sigmoid() relu() gelu() geluTanh()
//                    pow(_:) squared() abs()
//   Linear algebra   matmul(_:)  (2-D, batched with broadcast batch dims, 1-D like torch.matmul)
//                    linear(_:)  linear(_:rows:bias:)  (x·Wᵀ + b, W stored [out, in])
//   Attention        Tensor.attention(query:key:value:allowed:bias:isCausal:scale:dropoutMask:outputLayout:)
//                    (fused, heads read in place: AttentionOperand.heads / .packed)
//   Shape            reshaped(_:) (one -1)  flattened()  unsqueezed(axis:)  squeezed(axis:)
//                    transposed(_:_:)  permuted(_:)  T  broadcasted(to:)
//                    slice(axis:_:)  index(axis:_:)  Tensor.concat(_:axis:)  Tensor.stack(_:axis:)
//                    split(sizes:axis:)
//   Reductions       sum()  sum(axis:keepDims:)  mean()  mean(axis:keepDims:)
//                    max()  max(axis:keepDims:)  argmax(axis:) -> [Int]
//                    variance(axis:keepDims:unbiased:)
//   Normalizing      softmax(axis:)  logSoftmax(axis:)  layerNorm(weight:bias:eps:)
//   Indexing         gathered(indices:axis:)  (embedding lookup; repeated ids accumulate)
//   Masking          maskedFill(_ mask: Tensor, with:)  maskedFill(_ mask: [Bool], with:)
//                    Tensor.where(_:_:_:)
//   Regularizing     dropout(p:training:using:)   (inverted dropout)  Tensor.dropoutMask(_:p:using:)
//   Memory           Tensor.releaseCachedMemory()  (frees the cache of reusable big buffers)
//
// Every operation except argmax is differentiable (where its derivative exists).

/// An n-dimensional array of Float32 in row-major order, with reverse-mode automatic
/// differentiation.
///
///     var rng = SeededGenerator(seed: 0)
///     let w = Tensor.randn([3, 2], std: 0.1, using: &rng)   // (3, 2)
///     var p = w; p.requiresGrad = true
///     let x = Tensor(shape: [4, 3], scalars: Array(repeating: 1, count: 12))
///     let loss = x.matmul(p).tanh().sum()                   // scalar
///     loss.backward()
///     p.grad!.shape                                         // [3, 2]
///
/// The data has value semantics (copy-on-write). The gradient identity (``grad``,
/// ``requiresGrad``) belongs to the value's autograd node and is shared by its copies, as a
/// parameter and the graph that used it must share one gradient.
public struct Tensor: Sendable {
    /// The contiguous row-major data, shared between copies until one of them is mutated.
    var storage: TensorStorage
    /// The sizes of the dimensions; `[]` for a scalar. The product is `storage.count`.
    public private(set) var shape: [Int]
    /// The autograd node; nil when the tensor does not require gradients.
    var node: GradNode?

    init(storage: TensorStorage, shape: [Int], node: GradNode? = nil) {
        assert(shape.reduce(1, *) == storage.count, "shape \(shape) does not match \(storage.count) elements")
        self.storage = storage
        self.shape = shape
        self.node = node
    }

    /// A tensor of the given shape from its elements in row-major order (the last index
    /// varies fastest).
    ///
    ///     let m = Tensor(shape: [2, 3], scalars: [1, 2, 3,
    ///                                             4, 5, 6])   // (2, 3)
    ///     let w = Tensor(shape: [3], scalars: [0.1, 0.2, 0.3], requiresGrad: true)
    ///
    /// - Precondition: every size is non-negative and `scalars.count` is their product.
    public init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        require(shape.allSatisfy { $0 >= 0 }, "Tensor: negative size in shape \(shape)")
        let expected = shape.reduce(1, *)
        require(scalars.count == expected,
                "Tensor: shape \(shape) needs \(expected) scalars, got \(scalars.count)")
        self.init(storage: TensorStorage(scalars), shape: shape, node: requiresGrad ? GradNode() : nil)
    }

    /// A scalar (rank-0) tensor, shape `[]`.
    ///
    ///     let half = Tensor(0.5)
    ///     half.shape    // []
    ///     half.scalar   // 0.5
    public init(_ scalar: Float) {
        self.init(storage: TensorStorage(repeating: scalar, count: 1), shape: [])
    }

    /// The number of dimensions: 0 for a scalar, 2 for a matrix.
    ///
    ///     Tensor.zeros([2, 3, 4]).rank   // 3
    public var rank: Int { shape.count }

    /// The number of elements, the product of the shape (1 for a scalar).
    ///
    ///     Tensor.zeros([2, 3, 4]).count   // 24
    public var count: Int { storage.count }

    /// A copy of the elements in row-major order.
    ///
    ///     Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]).T.scalars   // [1, 3, 2, 4]
    public var scalars: [Float] { Array(storage.buffer) }

    /// The only element of a one-element tensor (any shape with one element, such as a loss).
    ///
    ///     Tensor(shape: [1, 1], scalars: [7]).scalar   // 7
    ///
    /// - Precondition: `count == 1`.
    public var scalar: Float {
        require(count == 1, "scalar: the tensor has shape \(shape) and \(count) elements, not exactly one")
        return storage.base[0]
    }

    /// Whether operations on this tensor record the graph so that `backward()` can compute its
    /// gradient. Set it on leaves (parameters, inputs); results of operations on tensors that
    /// require gradients require them too.
    ///
    ///     var w = Tensor.zeros([3])
    ///     w.requiresGrad = true    // now a leaf: backward() fills w.grad
    ///
    /// Setting it to false on a leaf drops its gradient identity (this value gets a fresh one
    /// if set to true again).
    ///
    /// - Precondition: only leaves can be switched off: use ``detached()`` on a result.
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue {
                if node == nil { node = GradNode() }
            } else if let node {
                require(node.isLeaf, "requiresGrad = false: this tensor is the result of '\(node.operation)', not a leaf; use detached() to cut it from the graph")
                self.node = nil
            }
        }
    }

    /// Whether this tensor is a leaf of the graph: created by the user rather than computed
    /// by an operation that recorded its inputs. Tensors that do not require gradients are
    /// leaves too, as in PyTorch.
    ///
    ///     Tensor(shape: [1], scalars: [1], requiresGrad: true).isLeaf   // true
    public var isLeaf: Bool { node?.isLeaf ?? true }

    /// The gradient accumulated by `backward()` calls, with this tensor's shape; nil before
    /// the first one, after ``zeroGrad()``, and for intermediate results unless
    /// ``retainGrad()`` was called.
    ///
    ///     let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
    ///     (x * x).sum().backward()
    ///     x.grad!.scalars   // [6, 8]
    ///
    /// Setting it replaces the accumulated gradient (PyTorch's `x.grad = …`), as gradient
    /// clipping does; only a tensor that records gradients has one to set.
    public var grad: Tensor? {
        get { node?.grad }
        nonmutating set {
            require(node != nil, "grad: this tensor does not require gradients; set requiresGrad first")
            require(newValue.map { $0.shape == shape } ?? true,
                    "grad: a gradient of shape \(newValue?.shape ?? []) for a tensor of shape \(shape)")
            node?.grad = newValue?.detached()
        }
    }

    /// The same data without any gradient identity: a new leaf that does not require
    /// gradients (PyTorch's `detach()`). O(1): the data is shared until either is mutated.
    ///
    ///     let target = prediction.detached()   // a constant for the loss
    public func detached() -> Tensor {
        Tensor(storage: storage, shape: shape)
    }

    /// A detached tensor with its own buffer (no sharing).
    func detachedCopy() -> Tensor {
        Tensor(storage: storage.copy(), shape: shape)
    }

    /// Calls `body` with the elements in row-major order, without copying.
    ///
    ///     let total = t.withUnsafeScalars { $0.reduce(0, +) }
    ///
    /// The buffer is valid only inside `body`.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(storage.buffer) }
    }

    /// Calls `body` with the elements in row-major order, to update them in place (what an
    /// optimizer does to its parameters). The gradient identity is kept: ``grad`` and the
    /// graph node stay the same.
    ///
    ///     // SGD step: w ← w − lr · ∇w
    ///     let g = w.grad!
    ///     g.withUnsafeScalars { grad in
    ///         w.withUnsafeMutableScalars { data in
    ///             for i in data.indices { data[i] -= 0.1 * grad[i] }
    ///         }
    ///     }
    ///
    /// Copy-on-write: if the buffer is shared (with a copy of this value, or with a graph that
    /// saved it for its backward pass), it is copied first, so no other tensor changes. The
    /// buffer is valid only inside `body`; `body` must not replace it with one of another size.
    public mutating func withUnsafeMutableScalars<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var buffer = UnsafeMutableBufferPointer(start: storage.base, count: storage.count)
        let result = try body(&buffer)
        require(buffer.baseAddress == storage.base && buffer.count == storage.count,
                "withUnsafeMutableScalars: the buffer must not be replaced")
        return result
    }

    /// The writable buffer of a uniquely held storage (after copying a shared one).
    mutating func uniqueBase() -> UnsafeMutablePointer<Float> {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.base
    }

    /// `self += other` elementwise, in place, for two tensors of the same shape, without
    /// recording anything (gradient accumulation).
    mutating func addInPlace(_ other: Tensor) {
        require(shape == other.shape, "addInPlace: shapes \(shape) and \(other.shape) differ")
        let n = count
        let dst = uniqueBase()
        let src = other.storage.base
        withExtendedLifetime(other.storage) {
            parallelFor(n) { range in
                for i in range { dst[i] += src[i] }
            }
        }
    }
}
