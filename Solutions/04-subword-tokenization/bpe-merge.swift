/// One merge step: in every word of `corpus`, each occurrence of `pair` (two adjacent symbols),
/// found from left to right without overlapping, becomes one symbol, the two glued together.
/// Counts carry over; words that end up spelled the same have their counts added.
func mergePair(_ pair: [String], in corpus: [[String]: Int]) -> [[String]: Int] {
    precondition(pair.count == 2, "a pair has exactly two symbols, got \(pair)")
    let (left, right) = (pair[0], pair[1])
    var merged: [[String]: Int] = [:]
    for (symbols, count) in corpus {
        var out: [String] = []
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count && symbols[i] == left && symbols[i + 1] == right {
                out.append(left + right)   // glue the pair, and skip both of its symbols
                i += 2
            } else {
                out.append(symbols[i])
                i += 1
            }
        }
        merged[out, default: 0] += count
    }
    return merged
}
