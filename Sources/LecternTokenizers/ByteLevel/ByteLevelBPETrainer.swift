// Training a byte-level BPE vocabulary, the way Hugging Face tokenizers' BpeTrainer does it
// behind the ByteLevel pre-tokenizer (and karpathy/minbpe's `train`, with GPT-2's split):
// count the pre-tokens of the corpus, start from one token per byte, and repeatedly add the
// most frequent adjacent pair as a new token, until the vocabulary has `vocabSize` entries or
// no pair occurs `minFrequency` times. Pairs are counted inside pre-tokens only, so no merge
// ever spans a word boundary, and special tokens are cut out of the text before counting.
//
// Pair counts are updated incrementally (only the words containing the merged pair are
// recounted) and the best pair is found with a max-heap whose stale entries are skipped when
// popped — HF's scheme. Ties go to the pair whose token ids are smallest; HF breaks ties by
// the pair's strings, so the two may choose different merges, which the task does not require
// (what must agree is encoding with the result, checked against HF in the tests).

/// Trains byte-level BPE tokenizers.
///
/// ```swift
/// let tokenizer = ByteLevelBPETrainer.train(texts: lines, vocabSize: 2000, minFrequency: 2,
///                                           specialTokens: ["<|endoftext|>"])
/// try tokenizer.save(to: URL(fileURLWithPath: "my-tokenizer"))   // vocab.json, merges.txt, tokenizer.json
/// ```
public enum ByteLevelBPETrainer {
    /// A tokenizer learned from `texts`. Ids: the special tokens first (0, 1, …), then the 256
    /// bytes in byte order, then the merges in the order they were learned. `vocabSize` counts
    /// all three; it is at least special tokens + 256.
    ///
    /// ```swift
    /// let tokenizer = ByteLevelBPETrainer.train(texts: ["low lower lowest"], vocabSize: 270)
    /// tokenizer.encode(" lowest").tokens   // e.g. ["Ġlow", "est"]
    /// ```
    public static func train(texts: [String], vocabSize: Int, minFrequency: Int = 2,
                             specialTokens: [String] = []) -> ByteLevelBPETokenizer {
        // Vocabulary: specials, then bytes.
        var vocabulary = Vocabulary()
        var addedTokens: [AddedToken] = []
        for token in specialTokens where vocabulary.id(of: token) == nil {
            let id = vocabulary.count
            vocabulary.insert(token, id: id)
            addedTokens.append(AddedToken(content: token, id: id, special: true))
        }
        let firstByteID = vocabulary.count
        var spellings: [[UInt8]] = addedTokens.map { Array($0.content.utf8) }
        for byte in 0..<256 {
            vocabulary.insert(ByteAlphabet.utf8[byte], id: firstByteID + byte)
            spellings.append(ByteAlphabet.utf8[byte])
        }

        // Words: distinct pre-tokens as id sequences, with their counts.
        var counts: [[UInt8]: Int] = [:]
        let matcher = AddedTokenMatcher(addedTokens)
        for var text in texts {
            text.withUTF8 { bytes in
                matcher.split(bytes, text: { range in
                    let segment = UnsafeBufferPointer(rebasing: bytes[range])
                    GPT2PreTokenizer.forEachPiece(in: segment) { piece in counts[Array(segment[piece]), default: 0] += 1 }
                }, token: { _ in })
            }
        }
        // Sorted, so training does not depend on dictionary order.
        let sortedWords = counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var words: [[Int32]] = sortedWords.map { word in word.key.map { Int32(firstByteID + Int($0)) } }
        let wordCounts = sortedWords.map(\.value)

        var pairCounts: [UInt64: Int] = [:]
        var pairWords: [UInt64: [Int]] = [:]
        for (index, word) in words.enumerated() where word.count > 1 {
            for position in 0..<(word.count - 1) {
                let key = pairKey(word[position], word[position + 1])
                pairCounts[key, default: 0] += wordCounts[index]
                if pairWords[key]?.last != index { pairWords[key, default: []].append(index) }
            }
        }
        var heap = PairHeap()
        for (key, count) in pairCounts { heap.push(count: count, key: key) }

        var merges: [(left: String, right: String)] = []
        while vocabulary.count < vocabSize, let (count, key) = heap.pop() {
            guard pairCounts[key] == count else { continue }   // stale
            if count < max(1, minFrequency) { break }
            let left = Int32(truncatingIfNeeded: key >> 32), right = Int32(truncatingIfNeeded: key)
            let spelling = spellings[Int(left)] + spellings[Int(right)]
            // Two merges can spell the same token ("a"+"bc", "ab"+"c"): it keeps one id, as in HF.
            let merged: Int32
            if let existing = vocabulary.id(of: spelling) {
                merged = Int32(existing)
            } else {
                merged = Int32(spellings.count)
                spellings.append(spelling)
                vocabulary.insert(spelling, id: Int(merged))
            }
            merges.append((String(decoding: spellings[Int(left)], as: UTF8.self), String(decoding: spellings[Int(right)], as: UTF8.self)))

            var changed: Set<UInt64> = []
            for index in pairWords[key] ?? [] {
                let word = words[index]
                guard word.count > 1 else { continue }
                let wordCount = wordCounts[index]
                var rewritten: [Int32] = []
                rewritten.reserveCapacity(word.count)
                var position = 0
                var found = false
                while position < word.count {
                    if position + 1 < word.count, word[position] == left, word[position + 1] == right {
                        rewritten.append(merged)
                        position += 2
                        found = true
                    } else {
                        rewritten.append(word[position])
                        position += 1
                    }
                }
                guard found else { continue }
                for position in 0..<(word.count - 1) {
                    let old = pairKey(word[position], word[position + 1])
                    pairCounts[old, default: 0] -= wordCount
                    changed.insert(old)
                }
                for position in 0..<max(0, rewritten.count - 1) {
                    let new = pairKey(rewritten[position], rewritten[position + 1])
                    pairCounts[new, default: 0] += wordCount
                    changed.insert(new)
                    if pairWords[new]?.last != index { pairWords[new, default: []].append(index) }
                }
                words[index] = rewritten
            }
            pairWords[key] = nil
            for pair in changed {
                let current = pairCounts[pair] ?? 0
                if current > 0 { heap.push(count: current, key: pair) } else { pairCounts[pair] = nil }
            }
        }
        // The vocabulary and merges are consistent by construction.
        return try! ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges, addedTokens: addedTokens)
    }

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}

/// A max-heap of (count, pair): the highest count first, then the smallest pair key.
struct PairHeap {
    private var items: [(count: Int, key: UInt64)] = []

    private static func before(_ a: (count: Int, key: UInt64), _ b: (count: Int, key: UInt64)) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }

    mutating func push(count: Int, key: UInt64) {
        items.append((count, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard PairHeap.before(items[child], items[parent]) else { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { break }
            let right = left + 1
            let child = right < items.count && PairHeap.before(items[right], items[left]) ? right : left
            guard PairHeap.before(items[child], items[parent]) else { break }
            items.swapAt(parent, child)
            parent = child
        }
        return top
    }
}
