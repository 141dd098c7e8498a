// Saving a byte-level BPE tokenizer in the layouts Hugging Face reads: `vocab.json` +
// `merges.txt` (GPT-2's folder, `BPE::save` / `GPT2Tokenizer`) and `tokenizer.json`
// (`Tokenizer::from_file`, written with the same fields as tokenizers 0.23 writes for a
// ByteLevel BPE). The JSON is written by hand so that the vocabulary keeps id order and every
// key its exact bytes (a Swift dictionary would merge canonically equivalent keys).
import Foundation

extension ByteLevelBPETokenizer {
    /// Writes `vocab.json`, `merges.txt` and `tokenizer.json` into `folder` (created if
    /// needed). Each loads back with ``TokenizerFile/load(_:)`` and with Hugging Face
    /// (`Tokenizer.from_file`, `GPT2TokenizerFast.from_pretrained`).
    ///
    /// ```swift
    /// try tokenizer.save(to: URL(fileURLWithPath: "out"))
    /// let again = try TokenizerFile.load(URL(fileURLWithPath: "out/tokenizer.json"))
    /// ```
    public func save(to folder: URL) throws(TokenizerError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(vocabJSON().utf8).write(to: folder.appendingPathComponent("vocab.json"))
            try Data(mergesText().utf8).write(to: folder.appendingPathComponent("merges.txt"))
            try Data(tokenizerJSON().utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        } catch {
            throw .unreadable(path: folder.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// `vocab.json`: {"token": id, …} in id order.
    ///
    /// ```swift
    /// tokenizer.vocabJSON()   // {"<|endoftext|>":0,"Ā":1,…}
    /// ```
    public func vocabJSON() -> String {
        "{" + vocabulary.entries.map { "\(JSONText.quote($0.bytes)):\($0.id)" }.joined(separator: ",") + "}\n"
    }

    /// `merges.txt`: "#version: 0.2", then one "left right" per line, best first.
    ///
    /// ```swift
    /// tokenizer.mergesText()   // "#version: 0.2\nĠ t\n…"
    /// ```
    public func mergesText() -> String {
        "#version: 0.2\n" + merges.map { "\($0.left) \($0.right)\n" }.joined()
    }

    /// `tokenizer.json` in Hugging Face's format: the model, the ByteLevel pre-tokenizer and
    /// decoder, and the added tokens.
    ///
    /// ```swift
    /// tokenizer.tokenizerJSON()   // {"version":"1.0",…,"model":{"type":"BPE",…}}
    /// ```
    public func tokenizerJSON() -> String {
        let added = addedTokens.map { token in
            "{\"id\":\(token.id),\"content\":\(JSONText.quote(Array(token.content.utf8))),\"single_word\":false,"
                + "\"lstrip\":false,\"rstrip\":false,\"normalized\":\(!token.special),\"special\":\(token.special)}"
        }.joined(separator: ",")
        let byteLevel = "\"trim_offsets\":true,\"use_regex\":true}"
        let vocab = vocabulary.entries.map { "\(JSONText.quote($0.bytes)):\($0.id)" }.joined(separator: ",")
        let mergeList = merges.map { JSONText.quote(Array("\($0.left) \($0.right)".utf8)) }.joined(separator: ",")
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[\(added)],\"normalizer\":null,"
            + "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":\(addPrefixSpace),\(byteLevel),"
            + "\"post_processor\":null,"
            + "\"decoder\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\(byteLevel),"
            + "\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":null,"
            + "\"end_of_word_suffix\":null,\"fuse_unk\":false,\"byte_fallback\":false,\"ignore_merges\":\(ignoreMerges),"
            + "\"vocab\":{\(vocab)},\"merges\":[\(mergeList)]}}\n"
    }
}

/// JSON string literals from raw UTF-8, byte for byte.
enum JSONText {
    /// `bytes` (valid UTF-8) as a quoted JSON string: quotes, backslashes and control
    /// characters escaped, everything else copied.
    ///
    /// ```swift
    /// JSONText.quote(Array("a\"b".utf8))   // "\"a\\\"b\""
    /// ```
    static func quote(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(bytes.count + 2)
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0..<0x20, 0x7F:
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
