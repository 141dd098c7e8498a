// The backward pass: reverse-mode accumulation over the recorded graph.
//
// Reference: `torch.Tensor.backward` / `torch.autograd.backward` (PyTorch 2.x). The gradient
// of the output (the "seed", 1 for a scalar loss) flows to every node in reverse topological
// order; a node is processed only after all of its consumers have added their contributions,
// so each backward function runs once, with the complete gradient of its output.
//
// Why iterative: the topological order is found with an explicit stack rather than recursion,
// so a graph 10,000+ nodes deep (a long RNN unroll) cannot overflow the call stack.
//
// Memory: each operation's backward function is dropped as soon as it has run, and with it the
// tensors it saved (PyTorch does the same; `retainGraph: true` keeps them for a second pass).
// An operation whose input gradient is mostly zeros (a slice of a sequence, an embedding lookup)
// scatters its few nonzero rows into the input's running sum (`GradientSink`) instead of
// returning a dense, mostly-zero tensor per use: T slices of one (B, T, C) input then cost
// O(T·B·C) in backward, not O(T²·B·C).
//
// Departure from PyTorch: backward functions run in no-grad mode, so there are no
// higher-order gradients.

extension Tensor {
    /// Backpropagates from this scalar (one-element) tensor, seeding its gradient with 1, and
    /// adds the gradient of this value with respect to every leaf into the leaf's ``grad``.
    ///
    ///     let x = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
    ///     let loss = (x * x).sum()   // 14
    ///     loss.backward()
    ///     x.grad!.scalars            // [2, 4, 6]
    ///
    /// Gradients accumulate: call ``zeroGrad()`` on the leaves between steps.
    ///
    /// - Precondition: the tensor has exactly one element and requires gradients.
    public func backward() {
        require(count == 1, "backward(): called on a tensor of shape \(shape) with \(count) elements; only a one-element (scalar) loss has an implicit seed. Reduce it (e.g. .sum() or .mean()) or pass a seed: backward(seed)")
        backward(Tensor(shape: shape, scalars: [1]))
    }

    /// Backpropagates from this scalar tensor like ``backward()``, keeping the graph's saved
    /// tensors when `retainGraph` is true so that a second `backward` through the same graph
    /// works (PyTorch's `retain_graph=True`).
    ///
    ///     loss.backward(retainGraph: true)   // the graph stays usable
    ///     loss.backward()                    // gradients now doubled; the graph is freed
    public func backward(retainGraph: Bool) {
        require(count == 1, "backward(retainGraph:): called on a tensor of shape \(shape) with \(count) elements; only a one-element (scalar) loss has an implicit seed")
        backward(Tensor(shape: shape, scalars: [1]), retainGraph: retainGraph)
    }

    /// Backpropagates `seed`, the gradient of some final value with respect to this tensor
    /// (PyTorch's `y.backward(gradient)`): every leaf's ``grad`` gets the vector–Jacobian
    /// product added.
    ///
    ///     let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    ///     let y = x * 3
    ///     y.backward(Tensor(shape: [2], scalars: [1, 10]))
    ///     x.grad!.scalars   // [3, 30]
    ///
    /// Memory: as the pass leaves each operation, it frees the tensors that operation saved
    /// for its gradient (the activations of a forward pass), so a training step's peak memory
    /// falls while backward runs; a second `backward` through the same graph is then an error,
    /// unless the first passed `retainGraph: true`. Gradients of intermediate results are
    /// freed as soon as they have been passed on.
    ///
    /// - Precondition: `seed.shape == shape`, and this tensor requires gradients.
    public func backward(_ seed: Tensor, retainGraph: Bool = false) {
        guard let root = node else {
            fatalError("backward: this tensor does not require gradients (no input had requiresGrad, or it was computed in withoutGradients)")
        }
        require(seed.shape == shape, "backward: seed of shape \(seed.shape) for a tensor of shape \(shape); they must match")
        let order = Tensor.topologicalOrder(from: root)
        root.pending = seed.detached()
        Tensor.withoutGradients {
            for node in order {
                // `var` and cleared from the node first, so that `accumulate` can see that
                // this is the only reference to the buffer and keep it without copying.
                guard var g = node.pending else { continue }
                node.pending = nil
                if node.isLeaf || node.retainsGrad { node.accumulate(&g) }
                if node.isLeaf { continue }
                require(!node.isReleased, "backward: this graph was already used by a backward pass, which freed the tensors '\(node.operation)' saved for it. Call the first backward with retainGraph: true to backpropagate through the same graph twice, or recompute the forward pass")
                if let scatter = node.scatterBackward {
                    scatter(g, GradientSink(inputs: node.inputs))
                } else if let backwardFunction = node.backwardFunction {
                    let needs = node.inputs.map { $0 != nil }
                    let inputGrads = backwardFunction(g, needs)
                    for (input, inputGrad) in zip(node.inputs, inputGrads) {
                        guard let input, let inputGrad else { continue }
                        input.addPending(inputGrad)
                    }
                }
                if !retainGraph { node.release() }
            }
        }
    }

    /// The nodes reachable from `root`, each after every node that consumes it (root first).
    /// Iterative depth-first search: reverse post-order is a topological order.
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [GradNode] = []
        // Each frame: a node and the index of the next input to visit.
        var stack: [(node: GradNode, next: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.inputs.count {
                stack[stack.count - 1].next = next + 1
                if let input = node.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                postOrder.append(node)
                stack.removeLast()
            }
        }
        return postOrder.reversed()
    }

    /// Clears the accumulated gradient (sets ``grad`` to nil, like PyTorch's default
    /// `zero_grad(set_to_none=True)`). The next `backward()` starts the sum afresh.
    ///
    ///     w.zeroGrad()
    ///     w.grad   // nil
    public func zeroGrad() {
        node?.grad = nil
    }

    /// Keeps this intermediate tensor's gradient in ``grad`` during `backward()` (PyTorch's
    /// `retain_grad()`); leaves always keep theirs.
    ///
    ///     let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    ///     let h = x * 2
    ///     h.retainGrad()
    ///     (h * h).sum().backward()
    ///     h.grad!.scalars   // [4, 8]
    ///
    /// - Precondition: the tensor requires gradients.
    public func retainGrad() {
        guard let node else { fatalError("retainGrad: this tensor does not require gradients") }
        node.retainsGrad = true
    }
}

extension GradNode {
    /// Adds `gradient` to the gradient being summed for this node in the current pass.
    func addPending(_ gradient: Tensor) {
        if var sum = pending {
            // Free the slot first so that `sum` holds the only reference and `addInPlace` can
            // reuse its buffer instead of copying.
            pending = nil
            sum.addInPlace(gradient)
            pending = sum
        } else {
            pending = gradient
        }
    }
}

/// Where a scatter backward function (``ScatterBackwardFunction``) adds its contributions: the
/// running gradient sums of the operation's inputs, created as zeros on first use.
struct GradientSink {
    let inputs: [GradNode?]

    /// Whether input `index` needs a gradient.
    func needs(_ index: Int) -> Bool { inputs[index] != nil }

    /// Adds a whole (dense) gradient for input `index`, as a plain backward function returns it.
    func add(_ gradient: Tensor, to index: Int) {
        inputs[index]?.addPending(gradient)
    }

    /// Calls `body` with the writable running gradient of input `index` (of `shape`), zeros if
    /// nothing has been added yet, so `body` can add its contribution in place.
    func accumulate(into index: Int, shape: [Int], _ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard let node = inputs[index] else { return }
        var sum = node.pending ?? Tensor(storage: TensorStorage(repeating: 0, count: shape.reduce(1, *)), shape: shape)
        node.pending = nil
        require(sum.shape == shape, "backward: a gradient of shape \(shape) for an input whose gradient has shape \(sum.shape)")
        body(sum.uniqueBase())
        node.pending = sum
    }
}
