/// WordPiece encoding of one word (BERT's tokenizer, after the text was split into words):
/// greedy longest-match-first over the word's Unicode scalars. A piece that does not start the
/// word is looked up with the continuation prefix "##". If some position has no match at all,
/// or the word has more than 100 scalars, the whole word becomes the single token "[UNK]".
func wordPieceEncode(_ word: String, vocabulary: Set<String>) -> [String] {
    let characters = word.unicodeScalars.map { String($0) }
    if characters.count > 100 { return ["[UNK]"] }
    var pieces: [String] = []
    var start = 0
    while start < characters.count {
        // The longest piece starting here that the vocabulary knows: try the rest of the word
        // first, then one character shorter, and so on.
        var end = characters.count
        var found: String? = nil
        while end > start {
            let piece = (start > 0 ? "##" : "") + characters[start..<end].joined()
            if vocabulary.contains(piece) {
                found = piece
                break
            }
            end -= 1
        }
        // Nothing matches, not even one character: the word cannot be spelled at all.
        guard let piece = found else { return ["[UNK]"] }
        pieces.append(piece)
        start = end
    }
    return pieces
}
