// No-gradient mode: a switch that stops operations from recording the autograd graph.
//
// Reference: `torch.no_grad()` (PyTorch 2.x), a thread-local "grad mode" flag. Inside it,
// operations compute their values as usual but attach no backward function, so their results
// never require gradients and no graph (and none of the memory a graph keeps alive) is built.
// Typical uses: evaluation, sampling, optimizer updates, and the backward pass itself.
//
// Why a @TaskLocal: it is thread-local for plain synchronous code (each thread starts with
// gradients enabled) and, unlike a raw thread-local, it is also inherited by child tasks and
// isolated between concurrent tasks, so one task in no-grad mode never turns recording off in
// another. It reads in a few nanoseconds, and operations read it only when some input
// requires gradients.

/// The recording switch behind ``Tensor/withoutGradients(_:)``.
enum GradMode {
    /// `true` (the default) when operations record the graph.
    @TaskLocal static var isEnabled = true
}

extension Tensor {
    /// Runs `body` with gradient recording switched off (PyTorch's `torch.no_grad()`):
    /// operations inside compute values but record nothing, so no result requires gradients.
    ///
    ///     let w = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    ///     let y = Tensor.withoutGradients { w * 3 }
    ///     y.requiresGrad   // false: nothing to backpropagate through
    ///
    /// The switch is a task-local value: it applies to the calling thread (or task) and the
    /// child tasks it starts, never to other threads. Calls may nest; on return the previous
    /// mode is restored, also when `body` throws.
    public static func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
        try GradMode.$isEnabled.withValue(false, operation: body)
    }

    /// Whether operations on this thread (or task) currently record the autograd graph:
    /// `false` inside ``withoutGradients(_:)``.
    ///
    ///     Tensor.isRecordingGradients                                // true
    ///     Tensor.withoutGradients { Tensor.isRecordingGradients }    // false
    public static var isRecordingGradients: Bool { GradMode.isEnabled }
}
