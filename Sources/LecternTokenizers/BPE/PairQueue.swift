// A max-heap of symbol pairs by count with lazy deletion, the "priority queue" speed-up of BPE
// training used by Hugging Face `tokenizers` (bpe/trainer.rs): instead of scanning every pair
// for the maximum after each merge (subword-nmt's `max(stats, …)`), the trainer pushes a pair
// when its count grows, and leaves the old entries in place. An entry is stale when its count
// is no longer the pair's: when popped, one that is too high is pushed again with the current
// count (a count that only shrank was never re-pushed), one that is too low is dropped (a
// higher entry was pushed when the count grew). Every pair thus always has an entry at least
// as high as its count, so the first up-to-date entry popped is the true maximum.
//
// The symbols' bytes (for the tie-break) are passed in by the caller rather than held here,
// so that the trainer can keep adding symbols without copying the table.

/// Pair entries ordered by count, then by the convention's tie-break on the pair's bytes.
struct PairQueue {
    struct Entry {
        var count: Int
        var pair: UInt64
    }

    private var heap: [Entry] = []
    private let largestFirst: Bool

    init(largestPairFirstOnTies: Bool) {
        largestFirst = largestPairFirstOnTies
    }

    var isEmpty: Bool { heap.isEmpty }

    /// Whether `a` should be merged before `b`.
    @inline(__always)
    private func outranks(_ a: Entry, _ b: Entry, _ symbols: [[UInt8]]) -> Bool {
        if a.count != b.count { return a.count > b.count }
        let (a1, a2) = SymbolTable.pairParts(a.pair), (b1, b2) = SymbolTable.pairParts(b.pair)
        return largestFirst ? SymbolTable.pairPrecedes(b1, b2, a1, a2, in: symbols)
                            : SymbolTable.pairPrecedes(a1, a2, b1, b2, in: symbols)
    }

    mutating func push(count: Int, pair: UInt64, symbols: [[UInt8]]) {
        heap.append(Entry(count: count, pair: pair))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard outranks(heap[child], heap[parent], symbols) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the top entry (which may be stale: the caller checks).
    mutating func pop(symbols: [[UInt8]]) -> Entry? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count, outranks(heap[left], heap[best], symbols) { best = left }
                if right < heap.count, outranks(heap[right], heap[best], symbols) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
