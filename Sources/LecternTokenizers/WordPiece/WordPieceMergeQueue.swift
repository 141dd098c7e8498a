// The candidate merges of WordPiece training, best first: a binary max-heap of (score, pair)
// entries. A pair's score changes whenever its count or either part's count changes, and it
// can rise as well as fall (merging (a, b) makes a and b rarer, which raises every other pair
// with a or b in it), so stale entries cannot simply be re-checked when popped: every change
// pushes a fresh entry with a new version, and popped entries whose version is not the pair's
// current one are thrown away (lazy deletion).

/// One candidate: a pair of symbols with its score when pushed.
struct WordPieceCandidate {
    var score: WordPieceScore
    var left: Int32
    var right: Int32
    var version: UInt32

    /// Best first: the higher score; on a tie the more frequent pair; then the pair whose parts
    /// entered the symbol table first (the alphabet is interned in byte order), so that the
    /// result never depends on hashing.
    @inline(__always)
    func isBetter(than other: WordPieceCandidate) -> Bool {
        if score != other.score { return score > other.score }
        if score.pairCount != other.score.pairCount { return score.pairCount > other.score.pairCount }
        if left != other.left { return left < other.left }
        return right < other.right
    }
}

/// A max-heap of candidates.
struct WordPieceMergeQueue {
    private var heap: [WordPieceCandidate] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ candidate: WordPieceCandidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].isBetter(than: heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> WordPieceCandidate? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count, heap[left].isBetter(than: heap[best]) { best = left }
                if right < heap.count, heap[right].isBetter(than: heap[best]) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
