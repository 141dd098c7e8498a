/// How often each pair of adjacent symbols occurs in `corpus`, a table from a word (spelled as
/// its current symbols) to how many times the word occurs. A pair is a 2-element array
/// `[left, right]`. Every occurrence inside a word counts once per occurrence of the word.
func countPairs(in corpus: [[String]: Int]) -> [[String]: Int] {
    var pairCounts: [[String]: Int] = [:]
    for (symbols, count) in corpus where symbols.count >= 2 {
        // Each neighbouring couple (symbols[i], symbols[i + 1]) is one occurrence, and the word
        // occurs `count` times, so it adds `count` to its pair. A word with one symbol has none.
        for i in 0..<(symbols.count - 1) {
            pairCounts[[symbols[i], symbols[i + 1]], default: 0] += count
        }
    }
    return pairCounts
}
