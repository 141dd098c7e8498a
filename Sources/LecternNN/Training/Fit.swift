// The training loop a lesson cell calls in one line.
//
// Reference: Keras' `model.fit(x, epochs=…)` and the loop of PyTorch Lightning / Hugging Face
// `Trainer`, reduced to what a lesson needs: the lesson keeps the model, the loss and the
// optimizer in plain sight in a `step` closure (usually `optimizer.minimize { … }`), and `fit`
// does the bookkeeping — epochs, progress, throughput, the loss history.
//
// Why a closure and not a (model, optimizer, loss) triple: seq2seq models differ in how a batch
// becomes a loss (teacher forcing, masks, several inputs); a closure that returns the loss
// covers them all without a protocol every model must adopt.

/// Trains for `epochs` epochs: for each epoch, gets its batches from `batches(epoch)` (epoch
/// 0-based), calls `step` on each (it does forward, backward and the update, and returns the
/// loss), shows progress, and returns every step's loss.
///
///     var rng = SeededGenerator(seed: 0)
///     let history = fit(epochs: 10, batches: { _ in batcher.batches(shuffledWith: &rng) }) { batch in
///         optimizer.minimize(clipNorm: 1) { model.loss(batch) }
///     }
///     print(history.chart())
///
/// - Parameters:
///   - display: the progress display (``ProgressDisplay/Style/detect(environment:)`` picks
///     redraw or plain lines); pass `ProgressDisplay(style: .silent)` for none.
///   - examplesPerBatch: how many examples a batch holds, for the throughput.
@discardableResult
public func fit<Batch>(epochs: Int, batches: (_ epoch: Int) throws -> [Batch],
                       display: ProgressDisplay = ProgressDisplay(),
                       examplesPerBatch: (Batch) -> Int,
                       step: (Batch) throws -> Float) rethrows -> LossHistory {
    require(epochs >= 0, "fit: epochs must be non-negative, got \(epochs)")
    var history = LossHistory()
    for epoch in 0..<epochs {
        let epochBatches = try batches(epoch)
        display.beginEpoch(epoch + 1, of: epochs, batches: epochBatches.count)
        for batch in epochBatches {
            let loss = try step(batch)
            history.append(loss)
            display.update(loss: loss, examples: examplesPerBatch(batch))
        }
        display.endEpoch()
        history.endEpoch()
    }
    return history
}

/// ``fit(epochs:batches:display:examplesPerBatch:step:)`` for batches that count their own
/// examples, such as ``SequenceBatch``.
///
///     let history = fit(epochs: 5, batches: { _ in batcher.batches(shuffledWith: &rng) }) { batch in
///         optimizer.minimize { model.loss(batch) }
///     }
@discardableResult
public func fit<Batch: ExampleCounting>(epochs: Int, batches: (_ epoch: Int) throws -> [Batch],
                                        display: ProgressDisplay = ProgressDisplay(),
                                        step: (Batch) throws -> Float) rethrows -> LossHistory {
    try fit(epochs: epochs, batches: batches, display: display, examplesPerBatch: \.exampleCount, step: step)
}
