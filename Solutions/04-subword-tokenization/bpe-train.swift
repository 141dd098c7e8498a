/// Plain BPE training, as the lecture teaches it: split every word into its Unicode scalars,
/// then, at most `merges` times, merge the most frequent pair of adjacent tokens everywhere and
/// record it. Ties go to the pair that sorts first (left token, then right token). Stops early
/// when no pair is left. Returns the merge table in the order it was learned.
func trainBPE(wordCounts: [String: Int], merges: Int) -> [[String]] {
    // The corpus: each distinct word, spelled as its current tokens, with its count.
    var corpus: [[String]: Int] = [:]
    for (word, count) in wordCounts {
        corpus[word.unicodeScalars.map { String($0) }, default: 0] += count
    }

    // How often each adjacent pair occurs, weighted by the word counts.
    func countPairs() -> [[String]: Int] {
        var pairCounts: [[String]: Int] = [:]
        for (tokens, count) in corpus where tokens.count >= 2 {
            for i in 0..<(tokens.count - 1) {
                pairCounts[[tokens[i], tokens[i + 1]], default: 0] += count
            }
        }
        return pairCounts
    }

    // Glues every occurrence of `pair`, left to right, in every word.
    func merge(_ pair: [String]) {
        var merged: [[String]: Int] = [:]
        for (tokens, count) in corpus {
            var out: [String] = []
            var i = 0
            while i < tokens.count {
                if i + 1 < tokens.count && tokens[i] == pair[0] && tokens[i + 1] == pair[1] {
                    out.append(pair[0] + pair[1])
                    i += 2
                } else {
                    out.append(tokens[i])
                    i += 1
                }
            }
            merged[out, default: 0] += count
        }
        corpus = merged
    }

    var table: [[String]] = []
    for _ in 0..<max(merges, 0) {
        let pairCounts = countPairs()
        // The best pair: the highest count; among equal counts, the first in sorted order.
        // (A dictionary's order changes from run to run, so the tie rule must be explicit.)
        guard let best = pairCounts.max(by: { p, q in
            p.value != q.value ? p.value < q.value : q.key.lexicographicallyPrecedes(p.key)
        }) else { break }   // no pairs left: every word is a single token
        merge(best.key)
        table.append(best.key)
    }
    return table
}
