// Applying learnt classic-BPE merges to new text: subword-nmt's apply_bpe.py (`encode`,
// `segment_tokens`, `process_line`; Sennrich et al. 2016, §3.2). A word is split into
// scalars ("</w>" glued to the last one under the subword-nmt convention); then, over and
// over, the adjacent pair with the lowest merge rank is merged at every place it occurs, left
// to right ("x x x" → "xx x"), until no adjacent pair is a merge. The end-of-word marker is
// dropped, and every piece but the last gets the separator "@@": "lower" → "low@@ er".
//
// Words repeat (Zipf), so each word's segmentation is cached, as apply_bpe.py does.
import Foundation

/// Segments words and lines with a merge table, as `subword-nmt apply-bpe` does.
///
/// Thread-safe: the cache is guarded by a lock, so one segmenter can be shared between tasks.
///
/// ```swift
/// let merges = try BPEMerges(fileText: "#version: 0.2\nl o\nlo w\ne r</w>\n")
/// let segmenter = BPESegmenter(merges: merges)
/// segmenter.segment(word: "lower")        // ["low", "er"]
/// segmenter.segment(line: "lower low\n")   // "low@@ er lo@@ w\n" (no "w</w>" merge)
/// ```
public final class BPESegmenter: @unchecked Sendable {
    /// The merge table.
    ///
    /// ```swift
    /// BPESegmenter(merges: merges).merges.count   // 3
    /// ```
    public let merges: BPEMerges
    /// Appended to every piece of a word but the last: "@@" as in subword-nmt.
    ///
    /// ```swift
    /// BPESegmenter(merges: merges, separator: "##").segment(line: "lowest")   // "low## e## s## t"
    /// ```
    public let separator: String

    private var symbols = SymbolTable()
    /// (left, right) → (rank, merged symbol). A pair listed twice keeps its first (lowest)
    /// rank, as apply_bpe.py does.
    private var ranks: [UInt64: (rank: Int32, merged: Int32)] = [:]
    private let endOfWord: [UInt8]?
    private let lock = NSLock()
    private var cache: [[UInt8]: [String]] = [:]

    /// A segmenter for `merges`, marking word-internal pieces with `separator`.
    ///
    /// ```swift
    /// BPESegmenter(merges: merges, separator: "@@").separator   // "@@"
    /// ```
    public init(merges: BPEMerges, separator: String = "@@") {
        self.merges = merges
        self.separator = separator
        endOfWord = merges.convention.endOfWord.map { Array($0.utf8) }
        for (rank, merge) in merges.merges.enumerated() {
            let left = symbols.intern(Array(merge.left.utf8)), right = symbols.intern(Array(merge.right.utf8))
            let key = SymbolTable.pairKey(left, right)
            if ranks[key] == nil { ranks[key] = (Int32(rank), symbols.intern(Array(merge.merged.utf8))) }
        }
    }

    /// The number of distinct words segmented so far (the size of the cache).
    ///
    /// ```swift
    /// _ = segmenter.segment(word: "the"); _ = segmenter.segment(word: "the")
    /// segmenter.cachedWordCount   // 1
    /// ```
    public var cachedWordCount: Int {
        lock.lock(); defer { lock.unlock() }
        return cache.count
    }

    /// The pieces of `word` (no separator, no end-of-word marker). A word is anything without
    /// spaces; an empty word has no pieces.
    ///
    /// ```swift
    /// segmenter.segment(word: "lowest")   // ["low", "e", "s", "t"]
    /// ```
    public func segment(word: String) -> [String] {
        let key = Array(word.utf8)
        lock.lock()
        if let cached = cache[key] { lock.unlock(); return cached }
        lock.unlock()
        let pieces = encode(key)
        lock.lock()
        cache[key] = pieces
        lock.unlock()
        return pieces
    }

    /// Applies the merges by rank: lowest-ranked pair first, every occurrence of it left to
    /// right, until no adjacent pair is a merge.
    private func encode(_ word: [UInt8]) -> [String] {
        let initial = SymbolTable.initialSymbols(of: word, endOfWord: endOfWord)
        // Symbols no merge mentions get negative ids: they never merge, and their bytes are
        // kept aside for the output.
        var unknown: [[UInt8]] = []
        var ids: [Int32] = initial.map { bytes in
            if let id = symbols.id(of: bytes) { return id }
            unknown.append(bytes)
            return -Int32(unknown.count)
        }
        while ids.count > 1 {
            var best: (rank: Int32, merged: Int32)?
            for position in ids.indices.dropLast() {
                if let found = ranks[SymbolTable.pairKey(ids[position], ids[position + 1])], found.rank < (best?.rank ?? .max) {
                    best = found
                }
            }
            guard let (rank, merged) = best else { break }
            var next: [Int32] = []
            next.reserveCapacity(ids.count - 1)
            var position = 0
            while position < ids.count {
                if position + 1 < ids.count, ranks[SymbolTable.pairKey(ids[position], ids[position + 1])]?.rank == rank {
                    next.append(merged)
                    position += 2
                } else {
                    next.append(ids[position])
                    position += 1
                }
            }
            ids = next
        }
        var pieces = ids.map { id in id >= 0 ? symbols.bytes[Int(id)] : unknown[Int(-id) - 1] }
        if let marker = endOfWord, let last = pieces.last, last.count >= marker.count, last.suffix(marker.count).elementsEqual(marker) {
            pieces[pieces.count - 1].removeLast(marker.count)
        }
        return pieces.map { String(decoding: $0, as: UTF8.self) }
    }

    /// One line as `subword-nmt apply-bpe` writes it: words (separated by single spaces) are
    /// segmented and their pieces joined with "@@ "; runs of spaces inside the line become one;
    /// the spaces and line break at either end (the characters `strip('\r\n ')` removes) are
    /// kept as they were.
    ///
    /// ```swift
    /// segmenter.segment(line: "  lower  low\n")   // "  low@@ er lo@@ w\n"
    /// ```
    public func segment(line: String) -> String {
        let scalars = line.unicodeScalars
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\r" || $0 == "\n" }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }),
              let last = scalars.lastIndex(where: { !isBlank($0) }) else { return line }
        var out = String(scalars[..<first])
        var firstWord = true
        for word in scalars[first...last].split(separator: " ") {
            let pieces = segment(word: String(word))
            for (index, piece) in pieces.enumerated() {
                if !firstWord { out += " " }
                firstWord = false
                out += piece
                if index < pieces.count - 1 { out += separator }
            }
        }
        out += String(scalars[scalars.index(after: last)...])
        return out
    }

    /// Segments `text` line by line (lines end where subword-nmt's reader ends them: at \n,
    /// \r\n, \r, and the other breaks of Python's `str.splitlines`).
    ///
    /// ```swift
    /// segmenter.segment(text: "lower\nlow\n")   // "low@@ er\nlo@@ w\n"
    /// ```
    public func segment(text: String) -> String {
        var out = ""
        for line in BPESegmenter.lines(in: text) { out += segment(line: line) }
        return out
    }

    /// `text` cut into lines, each with its line break, as subword-nmt reads them (see
    /// ``segment(text:)``). The last line may lack a break.
    ///
    /// ```swift
    /// BPESegmenter.lines(in: "a\r\nb\u{0C}c")   // ["a\r\n", "b\u{0C}", "c"]
    /// ```
    public static func lines(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var start = 0, index = 0
            while index < bytes.count {
                let length = SubwordNMTText.lineBreakLength(bytes, at: index)
                if length > 0 {
                    index += length
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    start = index
                } else {
                    index += 1
                }
            }
            if start < bytes.count { lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
            return lines
        }
    }
}
