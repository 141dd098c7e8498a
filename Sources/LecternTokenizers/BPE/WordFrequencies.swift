// The word-frequency table classic BPE trains on: the `vocab` Counter of subword-nmt's
// `get_vocabulary` (Sennrich et al. 2016, §3.2: "we represent each word as a sequence of
// characters … and count"). Keyed by UTF-8 bytes, not `String`: a Swift dictionary keyed by
// String would count "café" (U+00E9) and "café" (e + U+0301) as one word, where subword-nmt —
// and every tokenizer — sees two.

/// How often each word occurs, keyed by the word's UTF-8 bytes.
///
/// ```swift
/// let words = WordFrequencies(countingWordsIn: "the cat  the\nmat")
/// words["the"]       // 2
/// words.count        // 3 distinct words
/// ```
public struct WordFrequencies: Sendable, Equatable {
    private var counts: [[UInt8]: Int] = [:]

    /// An empty table.
    ///
    /// ```swift
    /// WordFrequencies().count   // 0
    /// ```
    public init() {}

    /// A table with these counts (as in the lecture: `["cat": 4, "mat": 5]`). Note that a
    /// Swift dictionary literal has already unified canonically equivalent keys; build the
    /// table with ``add(_:count:)`` or ``init(countingWordsIn:)`` when that matters.
    ///
    /// ```swift
    /// WordFrequencies(["cat": 4, "mat": 5])["mat"]   // 5
    /// ```
    public init(_ counts: [String: Int]) {
        for (word, count) in counts { add(word, count: count) }
    }

    /// Counts the words of `text` as `subword-nmt learn-bpe` does: words are separated by
    /// spaces and line breaks only (a tab belongs to the word it is in), empty words are
    /// skipped, and nothing is lower-cased or normalized.
    ///
    /// ```swift
    /// WordFrequencies(countingWordsIn: "a\tb a").count   // 2: "a\tb" and "a"
    /// ```
    public init(countingWordsIn text: String) {
        var text = text
        text.withUTF8 { bytes in
            SubwordNMTText.forEachWord(in: bytes) { range in
                counts[Array(bytes[range]), default: 0] += 1
            }
        }
    }

    /// Adds `count` occurrences of `word` (compared by its UTF-8 bytes).
    ///
    /// ```swift
    /// var words = WordFrequencies()
    /// words.add("é"); words.add("e\u{301}")
    /// words.count   // 2
    /// ```
    public mutating func add(_ word: String, count: Int = 1) {
        guard count >= 0 else { fatalError("WordFrequencies: negative count \(count) for \(word)") }   // fatalError: the message survives -O
        guard !word.isEmpty, count > 0 else { return }
        counts[Array(word.utf8), default: 0] += count
    }

    /// How many times `word` (its exact UTF-8 bytes) occurs; 0 if never.
    ///
    /// ```swift
    /// WordFrequencies(["cat": 4])["cat"]   // 4
    /// ```
    public subscript(word: String) -> Int { counts[Array(word.utf8)] ?? 0 }

    /// The number of distinct words.
    ///
    /// ```swift
    /// WordFrequencies(["cat": 4, "mat": 5]).count   // 2
    /// ```
    public var count: Int { counts.count }

    /// The total number of word occurrences.
    ///
    /// ```swift
    /// WordFrequencies(["cat": 4, "mat": 5]).total   // 9
    /// ```
    public var total: Int { counts.values.reduce(0, +) }

    /// Every (word bytes, count), sorted by bytes: a deterministic order, whatever the hash
    /// seed of this run.
    ///
    /// ```swift
    /// WordFrequencies(["b": 1, "a": 2]).entries.map(\.count)   // [2, 1]
    /// ```
    public var entries: [(bytes: [UInt8], count: Int)] {
        counts.map { ($0.key, $0.value) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }
}
