// Finding special tokens ([CLS], [SEP], [MASK], …) in raw text before anything else happens,
// following Hugging Face `tokenizers` (tokenizer/added_vocabulary.rs, `split_with_indices`,
// an Aho-Corasick search with MatchKind::LeftmostLongest over the tokens that are not
// normalized): the text between matches is normalized and split as usual, each match becomes
// its token's id untouched — so "[MASK]" is never cut into "[", "mask", "]", while "[mask]"
// (no such token: matching is exact, by bytes) is.

/// Splits raw UTF-8 text into plain stretches and added tokens, leftmost-longest.
struct BertAddedTokenMatcher: Sendable {
    /// Token bytes and id, longest first within each first byte.
    private let candidates: [[(bytes: [UInt8], id: Int)]]
    /// Whether any token starts with this byte.
    private let starts: [Bool]
    /// Whether there are tokens at all.
    let isEmpty: Bool

    /// A matcher for `tokens` (content and id); empty contents are ignored.
    init(tokens: [(content: String, id: Int)]) {
        var candidates = [[(bytes: [UInt8], id: Int)]](repeating: [], count: 256)
        for (content, id) in tokens where !content.isEmpty {
            let bytes = Array(content.utf8)
            candidates[Int(bytes[0])].append((bytes, id))
        }
        for index in candidates.indices { candidates[index].sort { $0.bytes.count > $1.bytes.count } }
        self.candidates = candidates
        starts = candidates.map { !$0.isEmpty }
        isEmpty = candidates.allSatisfy(\.isEmpty)
    }

    /// The first added token in `text` at or after `start` (leftmost, then longest), as its
    /// position, byte length and id; nil when there is none.
    @inline(__always)
    func nextMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> (start: Int, length: Int, id: Int)? {
        guard !isEmpty else { return nil }
        var index = start
        while index < text.count {
            if starts[Int(text[index])], let (length, id) = longestMatch(text, at: index) { return (index, length, id) }
            index += 1
        }
        return nil
    }

    /// The longest token spelled at `index`, as its byte length and id.
    private func longestMatch(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int)? {
        for (bytes, id) in candidates[Int(text[index])] where index + bytes.count <= text.count {
            if UnsafeBufferPointer(rebasing: text[index..<index + bytes.count]).elementsEqual(bytes) { return (bytes.count, id) }
        }
        return nil
    }
}
