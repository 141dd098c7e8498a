// How an operation attaches itself to the autograd graph.
//
// Reference: PyTorch's autograd "function" objects (`torch.autograd.Function`): forward
// computes the value; if any input requires gradients (and grad mode is on), the result gets a
// node holding the inputs' nodes and a backward closure.
//
// Rule for backward closures: capture only *detached* tensors (`x.detached()`), never tensors
// that carry a node, so graph nodes are reachable only through `GradNode.inputs`. That keeps
// the graph acyclic in memory and lets `GradNode.deinit` free deep graphs iteratively.

extension Tensor {
    /// The result of an operation: `storage` with `shape`, recorded in the graph with
    /// `backward` if some input requires gradients and recording is on.
    static func record(_ operation: String, _ storage: TensorStorage, shape: [Int], inputs: [Tensor],
                       backward: @escaping BackwardFunction) -> Tensor {
        result(storage, shape: shape, inputs: inputs) {
            GradNode(operation: operation, inputs: $0, backward: backward)
        }
    }

    /// Like ``record(_:_:shape:inputs:backward:)`` for an operation whose backward pass
    /// scatters into its inputs' running gradients (see ``GradientSink``).
    static func record(_ operation: String, _ storage: TensorStorage, shape: [Int], inputs: [Tensor],
                       scatter: @escaping ScatterBackwardFunction) -> Tensor {
        result(storage, shape: shape, inputs: inputs) {
            GradNode(operation: operation, inputs: $0, scatter: scatter)
        }
    }

    /// `storage` with `shape`, with the node `makeNode` builds from the inputs' nodes when the
    /// operation is recorded.
    private static func result(_ storage: TensorStorage, shape: [Int], inputs: [Tensor],
                               makeNode: ([GradNode?]) -> GradNode) -> Tensor {
        guard recording(inputs) else { return Tensor(storage: storage, shape: shape) }
        return Tensor(storage: storage, shape: shape, node: makeNode(inputs.map(\.node)))
    }

    /// Whether an operation on these inputs would be recorded (to skip saving tensors for
    /// backward when it would not).
    static func recording(_ inputs: Tensor...) -> Bool {
        recording(inputs)
    }

    /// Whether an operation on these inputs would be recorded.
    static func recording(_ inputs: [Tensor]) -> Bool {
        inputs.contains(where: { $0.node != nil }) && GradMode.isEnabled
    }
}
