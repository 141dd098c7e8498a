// How subword-nmt 0.3.x cuts text into lines and words, so that counting words for training
// and segmenting text for `apply` see exactly what `subword-nmt learn-bpe` / `apply-bpe` see.
//
// subword-nmt reads through `codecs.open(…, encoding='utf-8')`, whose readline splits where
// Python's `str.splitlines` does — at \n, \r, \r\n, and also \v, \f, \x1c–\x1e, U+0085, U+2028
// and U+2029 — keeping the break at the end of the line. Each line is then
// `line.strip('\r\n ').split(' ')`: only spaces separate words (a tab is part of a word), and
// a form feed that ended a line stays glued to the last word ("form\f" in "form\ffeed").

/// subword-nmt's line and word boundaries, on UTF-8 bytes.
enum SubwordNMTText {
    /// The length in bytes of the line break at `index` in `bytes` (0 if there is none there):
    /// 2 for \r\n and U+0085, 3 for U+2028 / U+2029, 1 for the single-byte ones. A \r at the
    /// very end of `bytes` counts as a break of 1 — callers that stream hold it back until
    /// they know whether \n follows.
    static func lineBreakLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        switch byte {
        case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: return 1
        case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE2:
            return index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// Whether `byte` is one of the characters `strip('\r\n ')` removes.
    @inline(__always)
    static func isStripped(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D
    }

    /// Calls `body` with each word of `bytes` (a range into it), as subword-nmt's
    /// `get_vocabulary` finds them: split into lines, strip '\r\n ', split on ' ', skip empties.
    static func forEachWord(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D {
                // A space, or the \r / \n that strip() removes: the word ends before it.
                if index > start { body(start..<index) }
                index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                start = index
            } else if byte < 0x20 || byte == 0xC2 || byte == 0xE2, case let length = lineBreakLength(bytes, at: index), length > 0 {
                // Another line break: kept (strip() does not remove it), and the word ends after it.
                index += length
                body(start..<index)
                start = index
            } else {
                index += 1
            }
        }
        if index > start { body(start..<index) }
    }
}
