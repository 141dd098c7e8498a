// The merge ranks of a BPE model as an integer table: (left id, right id) → (rank, merged id).
// Hugging Face tokenizers keeps `merges: HashMap<Pair, (u32, u32)>` the same way; we pack the
// pair into one UInt64 key and keep an open-addressing table of our own, because this lookup
// is the inner loop of encoding and a Dictionary's SipHash costs more than the rest of it.

/// Merge ranks by packed id pair. Immutable once built, so it is shared freely.
///
/// ```swift
/// let table = MergeTable(merges: [(left: 104, right: 105, merged: 300)])   // "h" + "i" → "hi"
/// table.lookup(104, 105)   // rank 0, merged 300, packed as 0 << 32 | 300
/// table.lookup(105, 104)   // MergeTable.none
/// ```
final class MergeTable: @unchecked Sendable {
    /// What ``lookup(_:_:)`` returns for a pair that is not a merge.
    static let none = UInt64.max

    private let keys: UnsafeMutablePointer<UInt64>
    /// rank << 32 | merged id: comparing two values compares ranks first.
    private let values: UnsafeMutablePointer<UInt64>
    private let mask: Int
    private let capacity: Int

    /// A table of `merges`, ranked by their position (the first merge has rank 0). A pair
    /// listed twice keeps its first (best) rank, as in a merges file read top to bottom.
    init(merges: [(left: Int, right: Int, merged: Int)]) {
        var capacity = 16
        while capacity < merges.count * 2 { capacity *= 2 }
        self.capacity = capacity
        mask = capacity - 1
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: MergeTable.none, count: capacity)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: MergeTable.none, count: capacity)
        for (rank, merge) in merges.enumerated() {
            let key = UInt64(UInt32(merge.left)) << 32 | UInt64(UInt32(merge.right))
            var slot = MergeTable.slot(key, mask)
            while keys[slot] != MergeTable.none, keys[slot] != key { slot = (slot + 1) & mask }
            if keys[slot] == key { continue }
            keys[slot] = key
            values[slot] = UInt64(rank) << 32 | UInt64(UInt32(merge.merged))
        }
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// rank << 32 | merged id for the pair, or ``none``.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        var slot = MergeTable.slot(key, mask)
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == MergeTable.none { return MergeTable.none }
            slot = (slot + 1) & mask
        }
    }
}
