// The counts behind WordPiece training, kept up to date merge by merge (the incremental
// scheme of subword-nmt's learn_bpe, with the lecture's score instead of the pair count):
// every word as a list of symbols with its count, f(s) for every symbol, f(ab) for every
// adjacent pair, which words hold each pair, and a priority queue of scored pairs. A merge
// rewrites only the words that hold the pair, applies the net changes of their pair and
// symbol counts, and re-scores the pairs whose score those changes moved: the pairs whose
// counts changed, and every pair with a part whose count changed (a, b and the new token).

/// Symbols, words, counts and candidate merges during training.
struct WordPieceTrainingState {
    /// Symbol bytes by symbol id, and back.
    private var symbols: [[UInt8]] = []
    private var symbolIDs: [[UInt8]: Int32] = [:]
    /// f(s): occurrences of each symbol, words weighted by their counts.
    private var symbolCounts: [Int] = []
    /// The pairs each symbol is part of (to re-score them when its count changes).
    private var partners: [Set<UInt64>] = []

    private var words: [[Int32]] = []
    private var wordCounts: [Int] = []

    /// f(ab) of every pair present, keyed `left << 32 | right`.
    private var pairCounts: [UInt64: Int] = [:]
    /// The words that hold (or held: entries go stale) each pair.
    private var pairWords: [UInt64: [Int32]] = [:]
    /// The current version of each pair's queue entry.
    private var versions: [UInt64: UInt32] = [:]
    private var queue = WordPieceMergeQueue()

    private let prefix: [UInt8]

    /// The initial symbols, sorted by bytes: each word's first character as it is, the others
    /// with the prefix ("c", "##a", "##t").
    private(set) var alphabet: [[UInt8]] = []

    init(wordCounts counts: [[UInt8]: Int], prefix: [UInt8]) {
        self.prefix = prefix
        // Split every word into characters (Unicode scalars), the later ones prefixed.
        var split: [([[UInt8]], Int)] = []
        var letters = Set<[UInt8]>()
        for (word, count) in counts where !word.isEmpty && count > 0 {
            var pieces: [[UInt8]] = []
            var index = 0
            while index < word.count {
                var length = 1
                while index + length < word.count, word[index + length] & 0xC0 == 0x80 { length += 1 }
                let scalar = Array(word[index..<index + length])
                pieces.append(index == 0 ? scalar : prefix + scalar)
                index += length
            }
            letters.formUnion(pieces)
            split.append((pieces, count))
        }
        // Intern the alphabet in byte order, then the words in byte order: ids — and so the
        // queue's tie-breaks — do not depend on hashing.
        alphabet = letters.sorted { $0.lexicographicallyPrecedes($1) }
        for letter in alphabet { _ = intern(letter) }
        split.sort { $0.0.lexicographicallyPrecedes($1.0) { $0.lexicographicallyPrecedes($1) } }
        for (pieces, count) in split {
            let symbolsOfWord = pieces.map { symbolIDs[$0]! }
            let index = Int32(words.count)
            words.append(symbolsOfWord)
            wordCounts.append(count)
            for symbol in symbolsOfWord { symbolCounts[Int(symbol)] += count }
            for (left, right) in zip(symbolsOfWord, symbolsOfWord.dropFirst()) {
                let key = Self.key(left, right)
                if pairCounts[key, default: 0] == 0 { addPartners(key) }
                pairCounts[key, default: 0] += count
                pairWords[key, default: []].append(index)
            }
        }
        for key in pairCounts.keys { push(key) }
    }

    /// Merges the best pair seen at least `minimumFrequency` times; nil when there is none.
    mutating func mergeBest(minimumFrequency: Int) -> (left: [UInt8], right: [UInt8], token: [UInt8], score: WordPieceScore)? {
        var best: WordPieceCandidate?
        while let candidate = queue.pop() {
            let key = Self.key(candidate.left, candidate.right)
            guard versions[key] == candidate.version else { continue }   // stale
            guard candidate.score.pairCount >= minimumFrequency else { continue }
            best = candidate
            break
        }
        guard let best else { return nil }
        let (left, right) = (best.left, best.right)
        var rightBytes = symbols[Int(right)]
        if rightBytes.starts(with: prefix) { rightBytes.removeFirst(prefix.count) }
        let tokenBytes = symbols[Int(left)] + rightBytes
        let merged = intern(tokenBytes)
        apply(left: left, right: right, merged: merged)
        return (symbols[Int(left)], symbols[Int(right)], tokenBytes, best.score)
    }

    /// Rewrites every word holding (left, right) and updates the counts and the queue.
    private mutating func apply(left: Int32, right: Int32, merged: Int32) {
        let key = Self.key(left, right)
        var pairDelta: [UInt64: Int] = [:]
        var symbolDelta: [Int32: Int] = [:]
        var seen = Set<Int32>()
        for index in pairWords[key] ?? [] where seen.insert(index).inserted {
            let old = words[Int(index)]
            var new: [Int32] = []
            new.reserveCapacity(old.count)
            var position = 0
            while position < old.count {
                if position + 1 < old.count, old[position] == left, old[position + 1] == right {
                    new.append(merged)
                    position += 2
                } else {
                    new.append(old[position])
                    position += 1
                }
            }
            guard new.count != old.count else { continue }   // a stale entry: the pair left this word
            let count = wordCounts[Int(index)]
            for symbol in old { symbolDelta[symbol, default: 0] -= count }
            for symbol in new { symbolDelta[symbol, default: 0] += count }
            for (a, b) in zip(old, old.dropFirst()) { pairDelta[Self.key(a, b), default: 0] -= count }
            for (a, b) in zip(new, new.dropFirst()) {
                let pair = Self.key(a, b)
                pairDelta[pair, default: 0] += count
                if pairWords[pair]?.last != index { pairWords[pair, default: []].append(index) }
            }
            words[Int(index)] = new
        }
        pairWords[key] = nil

        var rescore = Set<UInt64>()
        for (pair, delta) in pairDelta where delta != 0 {
            let count = pairCounts[pair, default: 0] + delta
            if count > 0 {
                if pairCounts[pair] == nil { addPartners(pair) }
                pairCounts[pair] = count
                rescore.insert(pair)
            } else {
                pairCounts[pair] = nil
                pairWords[pair] = nil
                versions[pair, default: 0] &+= 1   // invalidates its queued entries; never reset (they would revive)
                removePartners(pair)
                rescore.remove(pair)
            }
        }
        for (symbol, delta) in symbolDelta where delta != 0 {
            symbolCounts[Int(symbol)] += delta
            rescore.formUnion(partners[Int(symbol)])
        }
        for pair in rescore { push(pair) }
    }

    /// The id of `bytes` as a symbol, added if new.
    private mutating func intern(_ bytes: [UInt8]) -> Int32 {
        if let id = symbolIDs[bytes] { return id }
        let id = Int32(symbols.count)
        symbols.append(bytes)
        symbolIDs[bytes] = id
        symbolCounts.append(0)
        partners.append([])
        return id
    }

    /// Queues `pair` with its current score, superseding its earlier entries.
    private mutating func push(_ pair: UInt64) {
        guard let count = pairCounts[pair] else { return }
        let (left, right) = Self.parts(pair)
        let version = versions[pair, default: 0] &+ 1
        versions[pair] = version
        let score = WordPieceScore(pairCount: count, leftCount: symbolCounts[Int(left)], rightCount: symbolCounts[Int(right)])
        queue.push(WordPieceCandidate(score: score, left: left, right: right, version: version))
    }

    private mutating func addPartners(_ pair: UInt64) {
        let (left, right) = Self.parts(pair)
        partners[Int(left)].insert(pair)
        partners[Int(right)].insert(pair)
    }

    private mutating func removePartners(_ pair: UInt64) {
        let (left, right) = Self.parts(pair)
        partners[Int(left)].remove(pair)
        partners[Int(right)].remove(pair)
    }

    private static func key(_ left: Int32, _ right: Int32) -> UInt64 { UInt64(UInt32(left)) << 32 | UInt64(UInt32(right)) }
    private static func parts(_ key: UInt64) -> (Int32, Int32) { (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key)) }
}
