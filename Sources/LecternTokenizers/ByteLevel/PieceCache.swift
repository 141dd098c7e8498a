// The per-pre-token cache: Hugging Face tokenizers' BPE `cache` (pre-token string → its merged
// word), kept here as an open-addressing table over byte arenas, looked up straight from the
// text's bytes so that a hit allocates nothing. In running text most pre-tokens are words seen
// before, so after a warm-up encoding is mostly scanning, hashing and copying ids.
//
// Raw storage rather than Swift arrays: this is the innermost loop of encoding, and the arrays'
// uniqueness checks and retain/release showed up as a fifth of the profile.
//
// Bounded: once it holds `limit` entries it is emptied and refilled, which keeps memory flat
// on an endless stream while still keeping the words in use. Not thread-safe: the model hands
// it to one encoding at a time.

/// Pre-token bytes → merged ids.
///
/// ```swift
/// let cache = PieceCache()
/// let hash = PieceCache.hash(piece)
/// if !cache.lookup(piece, hash: hash, into: &ids) { …merge…; cache.insert(piece, hash: hash, ids: merged) }
/// ```
final class PieceCache {
    /// Pieces longer than this are not cached (they rarely repeat).
    static let maxKeyLength = 64

    private struct Slot {
        var hash: UInt64 = 0   // 0: empty
        var keyStart: UInt32 = 0
        var keyLength: UInt32 = 0
        var valueStart: UInt32 = 0
        var valueCount: UInt32 = 0
    }

    // No dynamic exclusivity checks on these: the cache is used by one encoding at a time, and
    // the checks (swift_beginAccess on every lookup) cost more than the lookup.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var mask: Int
    @exclusivity(unchecked) private var keys: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var keyCount = 0
    @exclusivity(unchecked) private var keyCapacity: Int
    @exclusivity(unchecked) private var values: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var valueCount = 0
    @exclusivity(unchecked) private var valueCapacity: Int
    @exclusivity(unchecked) private var count = 0
    private let limit: Int

    /// An empty cache holding up to `limit` pieces.
    init(limit: Int = 1 << 17) {
        self.limit = limit
        let capacity = 1 << 12
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        mask = capacity - 1
        keyCapacity = 1 << 14
        keys = .allocate(capacity: keyCapacity)
        valueCapacity = 1 << 13
        values = .allocate(capacity: valueCapacity)
    }

    deinit {
        slots.deallocate()
        keys.deallocate()
        values.deallocate()
    }

    /// A 64-bit hash of `bytes`, never 0.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var index = 0
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while index + 8 <= bytes.count {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                tail |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
        }
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 31
        return hash == 0 ? 1 : hash
    }

    /// Appends the cached ids of `bytes` to `ids` and returns true, or returns false.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, into ids: inout [Int]) -> Bool {
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.hash == 0 { return false }
            if slot.hash == hash, Int(slot.keyLength) == bytes.count,
               memoryEqual(keys + Int(slot.keyStart), bytes.baseAddress!, bytes.count) {
                let start = values + Int(slot.valueStart)
                for offset in 0..<Int(slot.valueCount) { ids.append(Int(start[offset])) }
                return true
            }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for offset in 0..<count where a[offset] != b[offset] { return false }
        return true
    }

    /// Remembers `ids` for `bytes` (which must not be cached yet).
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, ids: ArraySlice<Int>) {
        guard bytes.count <= PieceCache.maxKeyLength else { return }
        if count >= limit { clear() }
        if (count + 1) * 2 > mask + 1 { grow() }
        if keyCount + bytes.count > keyCapacity { enlarge(&keys, count: keyCount, capacity: &keyCapacity, need: bytes.count) }
        if valueCount + ids.count > valueCapacity { enlarge(&values, count: valueCount, capacity: &valueCapacity, need: ids.count) }
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].hash != 0 { index = (index + 1) & mask }
        slots[index] = Slot(hash: hash, keyStart: UInt32(keyCount), keyLength: UInt32(bytes.count),
                            valueStart: UInt32(valueCount), valueCount: UInt32(ids.count))
        (keys + keyCount).update(from: bytes.baseAddress!, count: bytes.count)
        keyCount += bytes.count
        for id in ids {
            values[valueCount] = Int32(truncatingIfNeeded: id)
            valueCount += 1
        }
        count += 1
    }

    private func clear() {
        slots.update(repeating: Slot(), count: mask + 1)
        count = 0
        keyCount = 0
        valueCount = 0
    }

    /// Doubles the slot table, re-placing every entry by its stored hash.
    private func grow() {
        let old = slots, oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        mask = capacity - 1
        for index in 0..<oldCapacity where old[index].hash != 0 {
            var slot = Int(truncatingIfNeeded: old[index].hash) & mask
            while slots[slot].hash != 0 { slot = (slot + 1) & mask }
            slots[slot] = old[index]
        }
        old.deallocate()
    }

    private func enlarge<T>(_ storage: inout UnsafeMutablePointer<T>, count: Int, capacity: inout Int, need: Int) {
        var newCapacity = capacity * 2
        while count + need > newCapacity { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = newCapacity
    }
}
