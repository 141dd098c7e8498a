/// BERT's masking rule on tokens: choose max(1, round(candidates · probability)) of the
/// non-special tokens (shuffle their positions, keep the first ones, sort them); each becomes
/// [MASK] (first draw < 0.8), stays (second draw < 0.5) or becomes a random vocabulary token.
/// The targets are the original tokens at the chosen positions, nil elsewhere.
func maskTokens(_ tokens: [String], vocabulary: [String], probability: Double = 0.15,
                using generator: inout SeededGenerator) -> (input: [String], targets: [String?]) {
    let specials: Set<String> = ["[CLS]", "[SEP]", "[PAD]"]
    var candidates = tokens.indices.filter { !specials.contains(tokens[$0]) }
    var input = tokens
    var targets = [String?](repeating: nil, count: tokens.count)
    guard !candidates.isEmpty else { return (input, targets) }
    let count = max(1, Int((Double(candidates.count) * probability).rounded(.toNearestOrEven)))
    generator.shuffle(&candidates)
    for position in candidates.prefix(count).sorted() {
        targets[position] = tokens[position]
        if generator.nextUniform() < 0.8 {
            input[position] = "[MASK]"
        } else if generator.nextUniform() < 0.5 {
            continue
        } else {
            input[position] = vocabulary[generator.nextInt(below: vocabulary.count)]
        }
    }
    return (input, targets)
}
