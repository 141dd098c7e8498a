/// The pair WordPiece training merges next: the highest f(ab) / (f(a)·f(b)), where f(ab) counts
/// the pair's adjacent occurrences and f(a), f(b) count each token's occurrences, all weighted by
/// the word counts. Ties go to the alphabetically first pair; nil when there is no pair.
func bestWordPiecePair(in corpus: [[String]: Int]) -> [String]? {
    var tokenCounts: [String: Int] = [:]
    var pairCounts: [[String]: Int] = [:]
    for (tokens, count) in corpus {
        for token in tokens {
            tokenCounts[token, default: 0] += count
        }
        for (left, right) in zip(tokens, tokens.dropFirst()) {
            pairCounts[[left, right], default: 0] += count
        }
    }
    func score(_ pair: [String], _ count: Int) -> Double {
        Double(count) / (Double(tokenCounts[pair[0]]!) * Double(tokenCounts[pair[1]]!))
    }
    // "p is worse than q": a lower score, or the same score and q comes first alphabetically.
    let best = pairCounts.max { p, q in
        let (sp, sq) = (score(p.key, p.value), score(q.key, q.value))
        return sp != sq ? sp < sq : q.key.lexicographicallyPrecedes(p.key)
    }
    return best?.key
}
