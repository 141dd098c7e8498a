// Interned BPE symbols: each distinct byte string gets a small integer id, so training and
// encoding compare and hash integers, not strings. Keys are the UTF-8 bytes (see the module
// header: `String ==` would unify "é" and "e\u{301}"). This is the `vocab` / `id_to_token`
// pair of Hugging Face `tokenizers`' BPE trainer, reduced to what BPE needs.

/// Symbol bytes ↔ dense ids.
struct SymbolTable {
    private(set) var bytes: [[UInt8]] = []
    private var ids: [[UInt8]: Int32] = [:]

    var count: Int { bytes.count }

    /// The id of `symbol`, adding it if new.
    mutating func intern(_ symbol: [UInt8]) -> Int32 {
        if let id = ids[symbol] { return id }
        let id = Int32(bytes.count)
        bytes.append(symbol)
        ids[symbol] = id
        return id
    }

    /// The id of `symbol`, or nil if it was never interned.
    func id(of symbol: [UInt8]) -> Int32? { ids[symbol] }

    /// Whether pair (a1, b1) sorts before (a2, b2) — symbol ids into `bytes` — by the first
    /// symbol's bytes, then the second's: Python's tuple-of-strings order, since UTF-8
    /// preserves code-point order.
    @inline(__always)
    static func pairPrecedes(_ a1: Int32, _ b1: Int32, _ a2: Int32, _ b2: Int32, in bytes: [[UInt8]]) -> Bool {
        if a1 != a2 { return bytes[Int(a1)].lexicographicallyPrecedes(bytes[Int(a2)]) }
        return bytes[Int(b1)].lexicographicallyPrecedes(bytes[Int(b2)])
    }

    /// Two symbol ids packed into one hashable integer: the key of a pair.
    @inline(__always)
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    /// The two symbol ids of a packed pair.
    @inline(__always)
    static func pairParts(_ key: UInt64) -> (Int32, Int32) {
        (Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: key)))
    }

    /// The UTF-8 bytes of each Unicode scalar of `word` (valid UTF-8), one symbol per scalar,
    /// with `endOfWord` glued to the last — the initial split of classic BPE. Scalars, never
    /// `Character`s: "e" + U+0301 is two symbols, as in subword-nmt (Python iterates code
    /// points). A scalar's length is read from its lead byte (0xxxxxxx: 1, 110xxxxx: 2,
    /// 1110xxxx: 3, 11110xxx: 4).
    static func initialSymbols(of word: [UInt8], endOfWord: [UInt8]?) -> [[UInt8]] {
        var symbols: [[UInt8]] = []
        symbols.reserveCapacity(word.count)
        var index = 0
        while index < word.count {
            let lead = word[index]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let end = min(index + length, word.count)
            symbols.append(Array(word[index..<end]))
            index = end
        }
        if let marker = endOfWord, !symbols.isEmpty { symbols[symbols.count - 1] += marker }
        return symbols
    }
}
