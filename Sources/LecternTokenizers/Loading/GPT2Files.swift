// Reading the GPT-2 folder layout: `vocab.json` (token → id, in GPT-2's byte alphabet) and
// `merges.txt` (one merge per line, "left right", best first, after an optional
// "#version: 0.2" line) — the files of openai/gpt-2 (encoder.json + vocab.bpe) and of
// Hugging Face's `BPE::from_file` / `GPT2Tokenizer`. The layout has no place for the
// pre-tokenizer's options or added tokens: as `GPT2Tokenizer` does, we use GPT-2's defaults
// (no prefix space) and treat "<|endoftext|>", when the vocabulary has it, as special.
import Foundation

/// `vocab.json` + `merges.txt` → a byte-level BPE tokenizer.
///
/// ```swift
/// let tokenizer = try GPT2Files.load(vocab: folder.appendingPathComponent("vocab.json"),
///                                    merges: folder.appendingPathComponent("merges.txt"))
/// ```
enum GPT2Files {
    static func load(vocab vocabURL: URL, merges mergesURL: URL) throws(TokenizerError) -> ByteLevelBPETokenizer {
        let data = try TokenizerFile.read(vocabURL)
        // Parsed as JSON first for the errors; the tokens themselves byte for byte.
        let parsed = try JSONFields.parse(data, path: vocabURL.path).vocabulary(nil)
        let vocabulary = ExactJSONVocabulary.read(data, at: []) ?? parsed
        guard FileManager.default.fileExists(atPath: mergesURL.path) else { throw .missingMerges(path: mergesURL.path) }
        let text = String(decoding: try TokenizerFile.read(mergesURL), as: UTF8.self)
        var merges: [(left: String, right: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || (number == 0 && line.hasPrefix("#version")) { continue }
            guard let pair = mergePair(String(line)) else {
                throw .malformed(path: mergesURL.path, keyPath: "line \(number + 1)", reason: "expected two tokens separated by one space, found \"\(line)\"")
            }
            merges.append(pair)
        }
        let addedTokens = ["<|endoftext|>"].compactMap { token in vocabulary.id(of: token).map { AddedToken(content: token, id: $0) } }
        return try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges, addedTokens: addedTokens, addPrefixSpace: false,
                                         ignoreMerges: false, unknownToken: nil, source: mergesURL.path)
    }

    /// "left right" → (left, right); nil unless there is exactly one space with text on both
    /// sides (byte-level tokens never contain a space: it is spelled "Ġ").
    static func mergePair(_ line: String) -> (left: String, right: String)? {
        let parts = line.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self))
    }
}
