// BertNormalizer and BertPreTokenizer fused into one pass over the text's UTF-8 bytes, the way
// the encoder and the trainer run them. Hugging Face `tokenizers` runs them one after the
// other (normalizers/bert.rs, then pre_tokenizers/bert.rs), keeping offsets for each step; the
// words that come out are the same, which the fixtures check.
//
// ASCII — most of most text — goes through a 128-entry table (keep, lowercase, drop, split,
// isolate). Anything else is gathered into a run of non-ASCII scalars and normalized as a
// whole by BertNormalizer (NFD reorders combining marks within such a run, never across an
// ASCII character), then classified scalar by scalar.

/// Receives the words of a text from ``BertWordSplitter``, one at a time.
///
/// A protocol rather than a closure: the splitter's inner loop then calls a method on an
/// `inout` value, with no captured mutable state — captured variables cost a dynamic
/// exclusivity check and reference counting on every word.
protocol BertWordSink {
    /// One word: normalized UTF-8 bytes, and its length in Unicode scalars (WordPiece gives
    /// up on words longer than `max_input_chars_per_word` scalars).
    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, scalarCount: Int)
}

/// Splits text into BERT words, normalizing on the way.
struct BertWordSplitter: Sendable {
    let normalizer: BertNormalizer

    /// What to do with an ASCII byte.
    enum Action: UInt8 {
        case keep, split, isolate, drop
    }

    /// Per ASCII byte: the action, and the byte to keep (lowercased when the normalizer lowercases).
    private let actions: [Action]
    private let keptBytes: [UInt8]

    /// A splitter that normalizes with `normalizer` first (an all-off normalizer: splitting only).
    init(normalizer: BertNormalizer) {
        self.normalizer = normalizer
        var actions = [Action](repeating: .keep, count: 128)
        var kept = [UInt8](repeating: 0, count: 128)
        for byte in 0..<128 {
            let classes = BertCharacterClass.of(UInt32(byte))
            kept[byte] = normalizer.lowercase && byte >= 0x41 && byte <= 0x5A ? UInt8(byte + 0x20) : UInt8(byte)
            if normalizer.cleanText, classes.contains(.removedByClean) {
                actions[byte] = .drop
            } else if classes.contains(.whitespace) {
                actions[byte] = .split
            } else if classes.contains(.punctuation) {
                actions[byte] = .isolate
            }
        }
        self.actions = actions
        keptBytes = kept
    }

    /// Hands each word of `text` (raw UTF-8, not yet normalized) to `sink`, in order.
    func split<Sink: BertWordSink>(_ text: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        // The word being built. Plain text needs no copy at all: while the word is a verbatim
        // stretch of `text` (no byte changed or dropped), it is handed over in place, and
        // bytes are copied into `word` only once something differs.
        var word: [UInt8] = []
        var wordStart = 0          // start of the verbatim stretch in `text`
        var verbatimCount = 0      // its length; -1 once the word lives in `word`
        var scalarCount = 0
        var run: [Unicode.Scalar] = []
        var normalized: [Unicode.Scalar] = []

        @inline(__always)
        func flush(_ sink: inout Sink, _ word: inout [UInt8], _ verbatimCount: inout Int, _ scalarCount: inout Int) {
            if scalarCount > 0 {
                if verbatimCount >= 0 {
                    sink.word(UnsafeBufferPointer(rebasing: text[wordStart..<wordStart + verbatimCount]), scalarCount: scalarCount)
                } else {
                    word.withUnsafeBufferPointer { sink.word($0, scalarCount: scalarCount) }
                    word.removeAll(keepingCapacity: true)
                }
            }
            verbatimCount = 0
            scalarCount = 0
        }
        /// Leaves the in-place mode: copies the verbatim stretch into `word`.
        @inline(__always)
        func materialize(_ word: inout [UInt8], _ verbatimCount: inout Int) {
            if verbatimCount >= 0 {
                word.append(contentsOf: UnsafeBufferPointer(rebasing: text[wordStart..<wordStart + verbatimCount]))
                verbatimCount = -1
            }
        }

        actions.withUnsafeBufferPointer { actions in
            keptBytes.withUnsafeBufferPointer { keptBytes in
                let count = text.count
                var index = 0
                while index < count {
                    let byte = text[index]
                    if byte < 0x80 {
                        switch actions[Int(byte)] {
                        case .keep:
                            let kept = keptBytes[Int(byte)]
                            if verbatimCount >= 0, kept == byte {
                                if scalarCount == 0 { wordStart = index }
                                verbatimCount += 1
                            } else {
                                if scalarCount == 0 { verbatimCount = -1 } else { materialize(&word, &verbatimCount) }
                                word.append(kept)
                            }
                            scalarCount += 1
                        case .split:
                            flush(&sink, &word, &verbatimCount, &scalarCount)
                        case .isolate:
                            flush(&sink, &word, &verbatimCount, &scalarCount)
                            sink.word(UnsafeBufferPointer(rebasing: text[index..<index + 1]), scalarCount: 1)
                        case .drop:
                            if scalarCount > 0 { materialize(&word, &verbatimCount) }
                        }
                        index += 1
                        continue
                    }
                    // A run of non-ASCII scalars, with the ASCII controls clean_text drops
                    // inside it (dropping them may bring two combining marks together).
                    run.removeAll(keepingCapacity: true)
                    while index < count {
                        let lead = text[index]
                        if lead < 0x80 {
                            guard actions[Int(lead)] == .drop else { break }
                            index += 1
                            continue
                        }
                        run.append(Self.decodeScalar(text, at: &index))
                    }
                    normalized.removeAll(keepingCapacity: true)
                    normalizer.normalize(run, into: &normalized)
                    if scalarCount > 0 { materialize(&word, &verbatimCount) } else { verbatimCount = -1 }
                    for scalar in normalized {
                        let classes = BertCharacterClass.of(scalar.value)
                        if classes.contains(.whitespace) {
                            flush(&sink, &word, &verbatimCount, &scalarCount)
                            verbatimCount = -1
                        } else if classes.contains(.punctuation) {
                            flush(&sink, &word, &verbatimCount, &scalarCount)
                            verbatimCount = -1
                            var single: [UInt8] = []
                            single.append(contentsOf: UTF8.encode(scalar)!)
                            single.withUnsafeBufferPointer { sink.word($0, scalarCount: 1) }
                        } else {
                            word.append(contentsOf: UTF8.encode(scalar)!)
                            scalarCount += 1
                        }
                    }
                    // Back to ASCII: a new word may start in place again.
                    if scalarCount == 0 { verbatimCount = 0 }
                }
            }
        }
        flush(&sink, &word, &verbatimCount, &scalarCount)
    }

    /// Calls `body` with each word of `text`: ``split(_:into:)`` for callers that want a closure.
    func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, _ scalarCount: Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            split(text, into: &sink)
        }
    }

    private struct ClosureSink: BertWordSink {
        let body: (UnsafeBufferPointer<UInt8>, Int) -> Void
        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, scalarCount: Int) { body(bytes, scalarCount) }
    }

    /// The scalar whose (valid) UTF-8 encoding starts at `index`; moves `index` past it.
    @inline(__always)
    static func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Unicode.Scalar {
        let lead = UInt32(text[index])
        var value: UInt32
        var length: Int
        if lead < 0xE0 { value = lead & 0x1F; length = 2 }
        else if lead < 0xF0 { value = lead & 0x0F; length = 3 }
        else { value = lead & 0x07; length = 4 }
        for offset in 1..<length where index + offset < text.count {
            value = value << 6 | UInt32(text[index + offset] & 0x3F)
        }
        index += length
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
