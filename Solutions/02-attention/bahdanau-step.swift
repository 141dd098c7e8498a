/// One step of Bahdanau's attention decoder (Bahdanau et al. 2015, §3.1):
/// α = softmax(score(s_{i−1}, h)), c = Σ α_j h_j, s_i = GRU([y_{i−1}; c], s_{i−1}),
/// logits = output([s_i; c]). previous (B, E), state (B, H), annotations (B, S, 2H).
func bahdanauStep(previous: Tensor, state: Tensor, annotations: Tensor, lengths: [Int],
                  score: AdditiveScore, cell: GRUCell, output: Linear) -> (logits: Tensor, state: Tensor, weights: Tensor) {
    // Attend from the *previous* state: it has not read y_{i−1} yet.
    let weights = attentionWeights(scores: score(state, annotations), sourceLengths: lengths)   // (B, S)
    let context = attentionContext(weights: weights, values: annotations)                        // (B, 2H)
    let newState = cell(Tensor.concat([previous, context], axis: 1), state)                      // (B, H)
    let logits = output(Tensor.concat([newState, context], axis: 1))                             // (B, V)
    return (logits, newState, weights)
}
