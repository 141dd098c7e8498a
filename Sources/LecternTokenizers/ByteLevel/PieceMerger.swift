// Applying BPE merges to one pre-token: Hugging Face tokenizers' `Word::merge_all` (and
// karpathy/minbpe's `encode` loop) — repeatedly merge the adjacent pair with the lowest rank,
// the leftmost one when the same pair occurs more than once, until no adjacent pair is a
// merge. Merges never cross pre-token boundaries, because each pre-token is merged on its own.
//
// Two implementations of the same rule: a flat array with a rank per adjacent pair, scanned
// for the minimum (fastest for the short pieces that are nearly all of real text), and a
// linked list with a priority queue, O(n log n), for long pieces (a run of 100 000 "a"s would
// take minutes with the quadratic scan).

/// Merges the ids of one pre-token in place.
///
/// ```swift
/// var ids: [Int32] = [104, 105]                  // "h", "i"
/// PieceMerger.merge(&ids, table: table)          // [300] when "h i" is a merge → "hi"
/// ```
enum PieceMerger {
    /// Pieces longer than this use the priority queue.
    static let longPiece = 48

    static func merge(_ parts: inout [Int32], table: MergeTable) {
        if parts.count < 2 { return }
        if parts.count > longPiece { mergeLong(&parts, table: table) } else { mergeShort(&parts, table: table) }
    }

    /// The quadratic scan, on a flat array.
    static func mergeShort(_ parts: inout [Int32], table: MergeTable) {
        var count = parts.count
        parts.withUnsafeMutableBufferPointer { parts in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { ranks in
                for index in 0..<(count - 1) { ranks[index] = table.lookup(parts[index], parts[index + 1]) }
                while count > 1 {
                    var best = MergeTable.none
                    var at = -1
                    for index in 0..<(count - 1) where ranks[index] < best {
                        best = ranks[index]
                        at = index
                    }
                    if at < 0 { break }
                    parts[at] = Int32(truncatingIfNeeded: best)
                    // Drop parts[at + 1] and the rank of the pair that began at `at`.
                    var index = at + 1
                    while index < count - 1 {
                        parts[index] = parts[index + 1]
                        ranks[index - 1] = ranks[index]
                        index += 1
                    }
                    count -= 1
                    if at > 0 { ranks[at - 1] = table.lookup(parts[at - 1], parts[at]) }
                    if at < count - 1 { ranks[at] = table.lookup(parts[at], parts[at + 1]) }
                }
            }
        }
        parts.removeLast(parts.count - count)
    }

    /// The priority-queue version: entries rank << 32 | position, stale ones skipped on pop.
    static func mergeLong(_ parts: inout [Int32], table: MergeTable) {
        let count = parts.count
        var next = Array(1...count).map(Int32.init)   // count = end
        var previous = Array(-1..<(count - 1)).map(Int32.init)
        var alive = [Bool](repeating: true, count: count)
        var heap = BinaryHeap()
        for index in 0..<(count - 1) {
            let value = table.lookup(parts[index], parts[index + 1])
            if value != MergeTable.none { heap.push((value & ~0xFFFF_FFFF) | UInt64(index)) }
        }
        while let entry = heap.pop() {
            let rank = entry >> 32
            let at = Int(entry & 0xFFFF_FFFF)
            let right = Int(next[at])
            guard alive[at], right < count else { continue }
            let value = table.lookup(parts[at], parts[right])
            guard value != MergeTable.none, value >> 32 == rank else { continue }
            parts[at] = Int32(truncatingIfNeeded: value)
            alive[right] = false
            next[at] = next[right]
            if Int(next[right]) < count { previous[Int(next[right])] = Int32(at) }
            let before = Int(previous[at])
            if before >= 0 {
                let left = table.lookup(parts[before], parts[at])
                if left != MergeTable.none { heap.push((left & ~0xFFFF_FFFF) | UInt64(before)) }
            }
            let after = Int(next[at])
            if after < count {
                let pair = table.lookup(parts[at], parts[after])
                if pair != MergeTable.none { heap.push((pair & ~0xFFFF_FFFF) | UInt64(at)) }
            }
        }
        var merged: [Int32] = []
        var index = 0
        while index < count {
            merged.append(parts[index])
            index = Int(next[index])
        }
        parts = merged
    }
}

/// A min-heap of UInt64.
struct BinaryHeap {
    private var items: [UInt64] = []

    mutating func push(_ item: UInt64) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            if left >= items.count { break }
            let right = left + 1
            let child = right < items.count && items[right] < items[left] ? right : left
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            parent = child
        }
        return top
    }
}
