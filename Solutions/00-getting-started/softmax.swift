/// Turns logits into probabilities that are all in [0, 1] and sum to 1, without overflowing.
func softmax(_ logits: [Float]) -> [Float] {
    // An empty vector has no maximum, and an empty answer.
    guard let largest = logits.max() else { return [] }
    // Subtracting the largest logit changes nothing mathematically (exp(-m) cancels in the
    // fraction) but makes every exponent <= 0: no exp overflows, and the biggest term is 1.
    let exponentials = logits.map { exp($0 - largest) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}
