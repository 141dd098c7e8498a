// How many examples a batch holds, so the training loop can report throughput in examples/s.
//
// Reference: the `samples/s` of PyTorch Lightning's and Hugging Face Trainer's logs
// (`train_samples_per_second`): examples per second is comparable across batch sizes, where
// batches per second is not.

/// A batch that knows how many examples it holds.
///
///     extension MyBatch: ExampleCounting { var exampleCount: Int { inputs.count } }
public protocol ExampleCounting {
    /// The number of examples in the batch.
    ///
    ///     batch.exampleCount   // 32
    var exampleCount: Int { get }
}
