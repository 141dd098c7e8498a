// The teacher-forced training loss of an encoder–decoder: −Σ_t log p(y_t | y_<t, x).
//
// Reference: Sutskever et al. (2014) §3.2 (maximise the log probability of the correct
// translation given the source); Cho et al. (2014) eq. (4). Teacher forcing: during training
// the decoder reads the true previous token, not its own prediction, so all T steps run in one
// call of the decoder over the target shifted right by one (`<bos>`, y₁, …, y_{T−1}). Padding
// after `<eos>` is skipped with crossEntropy's ignoreIndex = padID, so a padded batch gives
// the same loss as its sequences one by one (up to the mean's weighting).
//
// Label smoothing (Szegedy et al. 2016; the Transformer uses ε = 0.1, Vaswani et al. 2017
// §5.4) trains against (1 − ε)·onehot + ε/V instead of the one-hot target: the model is
// penalised for becoming over-confident, which "hurts perplexity … but improves accuracy and
// BLEU". With ε > 0 the loss cannot reach 0; its floor is the entropy of the smoothed target.

extension EncoderDecoder {
    /// The negative log-likelihood of `target` given `source` under teacher forcing, skipping
    /// target positions equal to `padID`.
    ///
    ///     let loss = model.loss(source: [[3, 4, 5]], target: [[3, 4, 5, 2]])   // scalar
    ///     let perSequence = model.loss(source: src, target: tgt, reduction: .none)   // (B)
    ///
    /// - Parameters:
    ///   - source: B padded source rows.
    ///   - target: B target rows of equal length T, each ending with `eosID` and then padding.
    ///   - reduction: `.mean` over the real (non-pad) target tokens (default), `.sum` over them,
    ///     or `.none` for each sequence's −Σ_t log p(y_t | y_<t, x), shape (B).
    ///   - labelSmoothing: ε of label smoothing, in [0, 1] (0.1 in the Transformer paper).
    /// - Returns: a scalar, or (B) for `.none`.
    public func loss(source: [[Int]], target: [[Int]], reduction: LossReduction = .mean, labelSmoothing: Float = 0) -> Tensor {
        let logits = self(source: source, decoderInput: shiftedRight(target), sourceLengths: nil)   // (B, T, V)
        let (b, t) = (logits.shape[0], logits.shape[1])
        let flat = logits.reshaped([b * t, config.vocabSize])                    // (B·T, V)
        let targets = target.flatMap { $0 }
        switch reduction {
        case .mean, .sum:
            return crossEntropy(logits: flat, targets: targets, ignoreIndex: config.padID,
                                labelSmoothing: labelSmoothing, reduction: reduction)        // ()
        case .none:
            let perToken = crossEntropy(logits: flat, targets: targets, ignoreIndex: config.padID,
                                        labelSmoothing: labelSmoothing, reduction: .none)   // (B·T), 0 at padding
            return perToken.reshaped([b, t]).sum(axis: 1)                        // (B)
        }
    }
}
