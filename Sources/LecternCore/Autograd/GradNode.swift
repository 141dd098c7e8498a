// A node of the autograd graph: one tensor's gradient identity.
//
// Reference: PyTorch's autograd (`torch.autograd`, the `grad_fn` / `AccumulateGrad` design).
// Every tensor that requires gradients carries a node. A leaf's node (a parameter, an input
// with `requiresGrad: true`) accumulates `.grad`; an operation's node holds the backward
// function that turns the gradient of its output into gradients of its inputs, and the nodes
// of those inputs (the edges of the graph).
//
// Why a class: the node is shared by every copy of the tensor value, so the gradient that
// `backward()` deposits on a parameter's node is visible from the `Tensor` the optimizer holds,
// even though `Tensor` is a struct with value semantics for its data.
//
// Deep graphs: a 1,000-step RNN unroll is a chain of 10,000+ nodes. Releasing such a chain
// naively recurses once per node (each deinit releases its inputs), which can overflow a
// thread's stack. `deinit` below unlinks the chain iteratively instead. That only works if
// the backward closures never capture graph nodes, which is why every operation saves
// *detached* copies of the tensors it needs.

import Foundation

/// The backward function of one operation: given the gradient of the output and which inputs
/// need a gradient, returns one gradient per input (nil for those that need none), each with
/// its input's shape.
typealias BackwardFunction = (_ outputGrad: Tensor, _ needsGrad: [Bool]) -> [Tensor?]

/// The backward function of an operation whose input gradients are mostly zero (a slice, an
/// embedding lookup): instead of returning a dense gradient per input, it adds its few nonzero
/// regions into the input's running gradient through `sink` (see ``GradientSink``).
typealias ScatterBackwardFunction = (_ outputGrad: Tensor, _ sink: GradientSink) -> Void

/// One tensor's place in the autograd graph (see the file comment).
///
/// `@unchecked Sendable`: `grad` is guarded by a lock. `pending` and the graph walk are used
/// only inside `backward()`; two `backward()` calls over overlapping graphs must not run at the
/// same time (as in PyTorch, where this is a data race too).
final class GradNode: @unchecked Sendable {
    /// The nodes of the operation's inputs, nil for inputs that do not require gradients.
    /// Empty for leaves.
    var inputs: [GradNode?]
    /// The operation's backward function; nil for leaves, and once `backward()` has run it
    /// and freed what it saved (see ``isReleased``).
    var backwardFunction: BackwardFunction?
    /// The scatter form of the backward function, for operations that have one instead.
    var scatterBackward: ScatterBackwardFunction?
    /// Whether this node was created by the user rather than by an operation.
    let isLeaf: Bool
    /// Whether a `backward()` pass already ran this node's backward function and released the
    /// tensors it saved (PyTorch frees them the same way, unless `retain_graph=True`).
    var isReleased = false
    /// A short name of the operation, for error messages and `description` ("mul", "matmul").
    let operation: String
    /// Whether `backward()` keeps this non-leaf node's gradient in `grad` (leaves always do).
    var retainsGrad = false
    /// The gradient being summed during one `backward()` walk; nil outside it.
    var pending: Tensor?

    private let lock = NSLock()
    private var storedGrad: Tensor?

    /// A leaf: a tensor created by the user with `requiresGrad: true`.
    init() {
        inputs = []
        backwardFunction = nil
        operation = "leaf"
        isLeaf = true
    }

    /// The node of an operation's result.
    init(operation: String, inputs: [GradNode?], backward: @escaping BackwardFunction) {
        self.operation = operation
        self.inputs = inputs
        self.backwardFunction = backward
        isLeaf = false
    }

    /// The node of an operation whose backward pass scatters into its inputs' gradients.
    init(operation: String, inputs: [GradNode?], scatter: @escaping ScatterBackwardFunction) {
        self.operation = operation
        self.inputs = inputs
        self.scatterBackward = scatter
        isLeaf = false
    }

    /// Drops the backward function and, with it, every tensor it saved.
    func release() {
        backwardFunction = nil
        scatterBackward = nil
        isReleased = true
    }

    /// The accumulated gradient.
    var grad: Tensor? {
        get { lock.lock(); defer { lock.unlock() }; return storedGrad }
        set { lock.lock(); defer { lock.unlock() }; storedGrad = newValue }
    }

    /// Adds `g` to the accumulated gradient (PyTorch's `AccumulateGrad`).
    ///
    /// `g` is inout only so that its buffer can be checked for other owners: the first gradient
    /// is stored without a copy when nothing else references its buffer (a weight gradient
    /// freshly computed by the backward pass: copying it cost a memcpy of every parameter per
    /// step). `g` itself is left unchanged.
    func accumulate(_ g: inout Tensor) {
        lock.lock(); defer { lock.unlock() }
        if storedGrad != nil {
            require(storedGrad!.shape == g.shape, "backward: gradient of shape \(g.shape) for a tensor of shape \(storedGrad!.shape)")
            // Mutate through the optional in place: a `var existing = storedGrad` copy would hold
            // a second reference to the buffer and force a copy on every accumulation.
            storedGrad!.addInPlace(g)
        } else if isKnownUniquelyReferenced(&g.storage) {
            // Nobody else holds this buffer: share it (the caller drops `g` right after).
            storedGrad = g.detached()
        } else {
            // Own a private copy: `g` may share storage with a tensor the user still holds
            // (the seed of `backward(_:)`, say), and later accumulation mutates it in place.
            storedGrad = g.detachedCopy()
        }
    }

    deinit {
        // Unlink the chain iteratively (see the file comment): take the inputs of every node
        // we hold the last reference to, so that releasing it releases nothing recursive.
        var stack = inputs.compactMap { $0 }
        inputs = []
        backwardFunction = nil
        scatterBackward = nil
        while var node = stack.popLast() {
            if isKnownUniquelyReferenced(&node) {
                stack.append(contentsOf: node.inputs.compactMap { $0 })
                node.inputs = []
                node.backwardFunction = nil
                node.scatterBackward = nil
            }
        }
    }
}
