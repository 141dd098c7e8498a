// Learning classic BPE merges from a word-frequency table: Sennrich, Haddow & Birch (2016),
// "Neural Machine Translation of Rare Words with Subword Units", Algorithm 1 — count adjacent
// symbol pairs, merge the most frequent, record the merge, repeat — with the two speed-ups
// every practical implementation uses (subword-nmt's learn_bpe.py, Hugging Face tokenizers'
// bpe/trainer.rs):
//
// 1. Incremental counts. A merge of (A, B) only changes the words that contain A B, so an
//    index pair → words says which words to rewrite, and only their pairs are recounted
//    (subtract the word's old pairs, add its new ones, times the word's frequency).
// 2. A priority queue with lazy deletion (PairQueue.swift) instead of a scan of all pairs
//    for the maximum after every merge.
//
// Which pair wins a tie, and whether words end in "</w>", is the convention's (BPEConvention).
// With `.subwordNMT` the merges are those of `subword-nmt learn-bpe` line for line.

/// Why training stopped.
///
/// ```swift
/// BPETrainer.train(WordFrequencies(["ab": 1]), merges: 10).stop   // .minimumFrequency
/// ```
public enum BPEStopReason: Sendable, Equatable {
    /// The requested number of merges was reached (`merges: 0` → no merges).
    case mergeLimit
    /// The vocabulary (initial symbols + merged symbols) reached the requested size.
    case vocabularySize
    /// The most frequent pair occurs fewer than `minimumFrequency` times.
    case minimumFrequency
    /// Every word is a single symbol: there is no pair left.
    case noPairs
}

/// The outcome of training: the merges, how often each merged pair occurred when it was
/// chosen, and why training stopped.
///
/// ```swift
/// let result = BPETrainer.train(WordFrequencies(["cat": 4, "mat": 5]), convention: .plain, merges: 1)
/// result.merges.merges   // [BPEMerge("a", "t")]
/// result.counts          // [9]
/// ```
public struct BPETrainingResult: Sendable {
    /// The learnt merge table.
    ///
    /// ```swift
    /// result.merges.fileText   // "#version: 0.2\n…"
    /// ```
    public var merges: BPEMerges
    /// `counts[i]`: the number of occurrences of `merges.merges[i]`'s pair when it was merged.
    ///
    /// ```swift
    /// BPETrainer.train(["cat": 4, "mat": 5], convention: .plain, merges: 2).counts   // [9, 5]
    /// ```
    public var counts: [Int]
    /// The initial symbols followed by each merge's new symbol (in the order they appeared).
    ///
    /// ```swift
    /// BPETrainer.train(["ab": 2], convention: .plain).vocabulary   // ["a", "b", "ab"]
    /// ```
    public var vocabulary: [String]
    /// Why training stopped.
    ///
    /// ```swift
    /// BPETrainer.train(["ab": 2], convention: .plain, merges: 0).stop   // .mergeLimit
    /// ```
    public var stop: BPEStopReason
}

/// Learns classic BPE merges.
///
/// ```swift
/// let words = WordFrequencies(countingWordsIn: text)
/// let result = BPETrainer.train(words, convention: .subwordNMT, merges: 2000, minimumFrequency: 2)
/// try result.merges.fileText.write(toFile: "merges.txt", atomically: true, encoding: .utf8)
/// ```
public enum BPETrainer {
    /// Learns merges from `words` until one of the limits is reached: `merges` merges (nil: no
    /// limit), a vocabulary of `vocabularySize` symbols (nil: no limit), or a best pair
    /// occurring fewer than `minimumFrequency` times (subword-nmt's `--min-frequency`, default
    /// 2; at least 1).
    ///
    /// ```swift
    /// let lecture = WordFrequencies(["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2])
    /// BPETrainer.train(lecture, convention: .plain, vocabularySize: 11).merges.merges.map(\.merged)
    /// // ["at", "mat", "cat", "ate", "mate"]
    /// ```
    public static func train(_ words: WordFrequencies, convention: BPEConvention = .subwordNMT,
                             merges maxMerges: Int? = nil, vocabularySize: Int? = nil,
                             minimumFrequency: Int = 2) -> BPETrainingResult {
        guard minimumFrequency >= 1 else { fatalError("BPETrainer: minimumFrequency must be at least 1, got \(minimumFrequency)") }   // fatalError: the message survives -O
        var state = TrainingState(words: words, convention: convention)
        var merges: [BPEMerge] = []
        var counts: [Int] = []
        var vocabulary = state.symbols.bytes.map { String(decoding: $0, as: UTF8.self) }
        var stop = BPEStopReason.noPairs
        while true {
            if let limit = maxMerges, merges.count >= limit { stop = .mergeLimit; break }
            if let limit = vocabularySize, state.symbols.count >= limit { stop = .vocabularySize; break }
            guard let (pair, count) = state.bestPair() else { stop = .noPairs; break }
            if count < minimumFrequency { stop = .minimumFrequency; break }
            let before = state.symbols.count
            let (left, right) = SymbolTable.pairParts(pair)
            merges.append(BPEMerge(state.string(left), state.string(right)))
            counts.append(count)
            let merged = state.merge(pair)
            if state.symbols.count > before { vocabulary.append(state.string(merged)) }
        }
        return BPETrainingResult(merges: BPEMerges(convention: convention, merges: merges), counts: counts,
                                 vocabulary: vocabulary, stop: stop)
    }

    /// ``train(_:convention:merges:vocabularySize:minimumFrequency:)`` on a plain dictionary
    /// of counts (the lecture's table).
    ///
    /// ```swift
    /// BPETrainer.train(["low": 5, "lower": 2], convention: .plain, merges: 2).merges.merges.map(\.merged)
    /// // ["lo", "low"]
    /// ```
    public static func train(_ counts: [String: Int], convention: BPEConvention = .subwordNMT,
                             merges maxMerges: Int? = nil, vocabularySize: Int? = nil,
                             minimumFrequency: Int = 2) -> BPETrainingResult {
        train(WordFrequencies(counts), convention: convention, merges: maxMerges,
              vocabularySize: vocabularySize, minimumFrequency: minimumFrequency)
    }
}

/// The trainer's working state: words as symbol ids, pair counts, the pair → words index and
/// the queue.
private struct TrainingState {
    var symbols = SymbolTable()
    var words: [[Int32]] = []
    var frequencies: [Int] = []
    /// Occurrences of each pair, weighted by word frequency. Pairs that no longer occur are
    /// removed.
    var pairCounts: [UInt64: Int] = [:]
    /// The words each pair occurs in. Append-only between merges: it may hold a word twice,
    /// or a word the pair has since left; the merge skips both.
    var wordsWithPair: [UInt64: [Int32]] = [:]
    var queue: PairQueue
    /// `visited[w] == step`: word w was already rewritten by the current merge.
    var visited: [Int] = []
    var step = 0
    /// The pairs whose count grew during the current merge (pushed once it is done).
    var grown: Set<UInt64> = []

    init(words table: WordFrequencies, convention: BPEConvention) {
        queue = PairQueue(largestPairFirstOnTies: convention.prefersLargestPairOnTies)
        let marker = convention.endOfWord.map { Array($0.utf8) }
        for (bytes, frequency) in table.entries {
            let word = SymbolTable.initialSymbols(of: bytes, endOfWord: marker).map { symbols.intern($0) }
            let index = Int32(words.count)
            words.append(word)
            frequencies.append(frequency)
            for position in word.indices.dropLast() {
                let key = SymbolTable.pairKey(word[position], word[position + 1])
                pairCounts[key, default: 0] += frequency
                if wordsWithPair[key]?.last != index { wordsWithPair[key, default: []].append(index) }
            }
        }
        visited = Array(repeating: -1, count: words.count)
        for (key, count) in pairCounts { queue.push(count: count, pair: key, symbols: symbols.bytes) }
    }

    func string(_ symbol: Int32) -> String {
        String(decoding: symbols.bytes[Int(symbol)], as: UTF8.self)
    }

    /// The most frequent pair (ties broken by the convention) and its count, or nil when no
    /// pair is left. Stale queue entries are pushed again with the current count, or dropped
    /// (see PairQueue.swift).
    mutating func bestPair() -> (UInt64, Int)? {
        while let entry = queue.pop(symbols: symbols.bytes) {
            guard let count = pairCounts[entry.pair] else { continue }
            if count == entry.count { return (entry.pair, count) }
            if count < entry.count { queue.push(count: count, pair: entry.pair, symbols: symbols.bytes) }
        }
        return nil
    }

    /// Replaces every occurrence of `pair` = (A, B) (left to right, not overlapping:
    /// "a a a" → "aa a") in the words that contain it by the new symbol C, updates the counts
    /// of the pairs around each occurrence, and returns C.
    ///
    /// Around an occurrence "X A B Y": X A and B Y lose the word's frequency, X C and C Y
    /// gain it. Two occurrences in a row ("A B A B") share the middle: B A is lost once, and
    /// C C is gained once, not X C / C Y.
    mutating func merge(_ pair: UInt64) -> Int32 {
        step += 1
        let (left, right) = SymbolTable.pairParts(pair)
        let merged = symbols.intern(symbols.bytes[Int(left)] + symbols.bytes[Int(right)])
        grown.removeAll(keepingCapacity: true)
        for index in wordsWithPair.removeValue(forKey: pair) ?? [] where visited[Int(index)] != step {
            visited[Int(index)] = step
            let frequency = frequencies[Int(index)]
            // Take the word out (so it is uniquely referenced and rewritten in place).
            var word: [Int32] = []
            swap(&word, &words[Int(index)])
            let count = word.count
            var read = 0, write = 0
            var previousWasMerge = false
            while read < count {
                guard read + 1 < count, word[read] == left, word[read + 1] == right else {
                    word[write] = word[read]
                    write += 1
                    read += 1
                    previousWasMerge = false
                    continue
                }
                if write > 0 {
                    if previousWasMerge {
                        grow(SymbolTable.pairKey(merged, merged), by: frequency, word: index)
                    } else {
                        // word[write - 1] is the symbol before A, copied unchanged.
                        shrink(SymbolTable.pairKey(word[write - 1], left), by: frequency, merging: pair)
                        grow(SymbolTable.pairKey(word[write - 1], merged), by: frequency, word: index)
                    }
                }
                if read + 2 < count {
                    let next = word[read + 2]
                    shrink(SymbolTable.pairKey(right, next), by: frequency, merging: pair)
                    let nextIsMerged = next == left && read + 3 < count && word[read + 3] == right
                    if !nextIsMerged { grow(SymbolTable.pairKey(merged, next), by: frequency, word: index) }
                }
                word[write] = merged
                write += 1
                read += 2
                previousWasMerge = true
            }
            word.removeLast(count - write)
            swap(&word, &words[Int(index)])
        }
        pairCounts[pair] = nil
        for key in grown {
            if let count = pairCounts[key] { queue.push(count: count, pair: key, symbols: symbols.bytes) }
        }
        return merged
    }

    /// Lowers the count of `key` (not re-queued: see PairQueue.swift).
    private mutating func shrink(_ key: UInt64, by frequency: Int, merging pair: UInt64) {
        guard key != pair, let count = pairCounts[key] else { return }
        pairCounts[key] = count > frequency ? count - frequency : nil
    }

    /// Raises the count of `key` (a pair with the new symbol) and indexes word `index` under it.
    private mutating func grow(_ key: UInt64, by frequency: Int, word index: Int32) {
        pairCounts[key, default: 0] += frequency
        grown.insert(key)
        if wordsWithPair[key]?.last != index { wordsWithPair[key, default: []].append(index) }
    }
}
