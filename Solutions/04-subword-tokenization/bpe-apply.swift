/// Splits `word` into its Unicode scalars, then applies the learned `merges` (pairs
/// `[left, right]`, in the order they were learned) by rank: as long as some adjacent pair of
/// the word is in the table, merge every occurrence of the one learned earliest.
func applyMerges(_ merges: [[String]], to word: String) -> [String] {
    // A pair's rank is its position in the table: rank 0 was learned first.
    var rank: [[String]: Int] = [:]
    for (index, pair) in merges.enumerated() where rank[pair] == nil {
        rank[pair] = index
    }
    var symbols = word.unicodeScalars.map { String($0) }
    while symbols.count >= 2 {
        // The adjacent pair with the lowest rank; nil when no pair is in the table.
        var best: [String]? = nil
        var bestRank = Int.max
        for i in 0..<(symbols.count - 1) {
            if let r = rank[[symbols[i], symbols[i + 1]]], r < bestRank {
                best = [symbols[i], symbols[i + 1]]
                bestRank = r
            }
        }
        guard let pair = best else { break }
        // Merge every occurrence of that pair, left to right, without overlaps.
        var merged: [String] = []
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count && symbols[i] == pair[0] && symbols[i + 1] == pair[1] {
                merged.append(pair[0] + pair[1])
                i += 2
            } else {
                merged.append(symbols[i])
                i += 1
            }
        }
        symbols = merged
    }
    return symbols
}
