// The training loop of every encoder–decoder, with the Transformer paper's recipe as options.
//
// Reference: Vaswani et al. (2017) §5.3–5.4: Adam with β = (0.9, 0.98), ε = 1e−9, the learning
// rate set at every step by the warm-up schedule ("Noam", NoamSchedule.swift), and label
// smoothing ε = 0.1 in the loss. The loop is PyTorch's canonical one — for each shuffled batch:
// set the step's learning rate, zero the gradients, teacher-forced loss, backward, optional
// gradient clipping, step — with the bookkeeping (progress, loss history) of `fit(epochs:…)`.
// The schedule is stepped like torch's `LambdaLR`: the rate of the k-th update (k from 0) is
// `schedule.learningRate(at: k)`.

extension EncoderDecoder {
    /// Trains the model on `batcher`'s pairs for `epochs` epochs (a new shuffled order each
    /// epoch) and returns the loss of every step. The model is in training mode during the loop
    /// and left in evaluation mode (dropout off), ready to decode.
    ///
    ///     // The Transformer recipe: Adam(0.9, 0.98, 1e-9), Noam warm-up, label smoothing 0.1.
    ///     let optimizer = Adam(model.parameters(), betas: (0.9, 0.98), eps: 1e-9)
    ///     let history = model.fit(batcher, epochs: 10, optimizer: optimizer,
    ///                             schedule: NoamSchedule(modelDim: 64, warmupSteps: 200),
    ///                             labelSmoothing: 0.1)
    ///     print(history.chart())
    ///
    /// - Parameters:
    ///   - schedule: sets `optimizer.lr` before every update; nil keeps the optimizer's rate.
    ///   - labelSmoothing: ε of the loss's label smoothing (0 = plain cross-entropy).
    ///   - clipNorm: clip the global gradient norm to this before every update.
    ///   - seed: the shuffling seed, so a run repeats exactly.
    @discardableResult
    public func fit(_ batcher: SequenceBatcher, epochs: Int, optimizer: some Optimizer,
                    schedule: (any LearningRateSchedule)? = nil, labelSmoothing: Float = 0,
                    clipNorm: Float? = nil, seed: UInt64 = 0,
                    display: ProgressDisplay = ProgressDisplay()) -> LossHistory {
        train()
        defer { eval() }
        var shuffleRNG = SeededGenerator(seed: seed)
        var step = 0
        return LecternNN.fit(epochs: epochs, batches: { _ in batcher.batches(shuffledWith: &shuffleRNG) },
                             display: display) { batch in
            if let schedule { optimizer.lr = schedule.learningRate(at: step) }
            step += 1
            return optimizer.minimize(clipNorm: clipNorm) {
                loss(source: batch.sourceIDs, target: batch.targetOutputIDs, labelSmoothing: labelSmoothing)
            }
        }
    }
}
