// Writing a BERT tokenizer the way Hugging Face `tokenizers` saves one: `vocab.txt` (the
// model's `save`: one token per line in id order) and `tokenizer.json` (`Tokenizer::save`:
// the serde layout BertWordPieceTokenizer+Loading.swift reads back), so that both our loader
// and `tokenizers.Tokenizer.from_file` / `transformers.BertTokenizerFast` can open the result.
import Foundation

extension BertWordPieceTokenizer {
    /// Writes `vocab.txt` and `tokenizer.json` into `folder` (created if needed).
    ///
    /// ```swift
    /// try WordPieceTrainer(vocabularySize: 8000).train(texts: lines).tokenizer().save(to: URL(fileURLWithPath: "my-bert"))
    /// ```
    public func save(to folder: URL) throws(TokenizerError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(vocabTXT().utf8).write(to: folder.appendingPathComponent("vocab.txt"))
            try Data(tokenizerJSON().utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        } catch {
            throw .unreadable(path: folder.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The model's vocabulary as `vocab.txt`: one token per line, line n is id n (an id
    /// without a token gets an empty line, so the later ids stay on their lines).
    ///
    /// ```swift
    /// tokenizer.vocabTXT().hasPrefix("[PAD]\n")   // true
    /// ```
    public func vocabTXT() -> String {
        var text = ""
        for id in 0..<model.vocabulary.idLimit { text += (model.vocabulary.token(of: id) ?? "") + "\n" }
        return text
    }

    /// The whole tokenizer as Hugging Face's `tokenizer.json`.
    ///
    /// ```swift
    /// try tokenizer.tokenizerJSON().write(toFile: "tokenizer.json", atomically: true, encoding: .utf8)
    /// ```
    public func tokenizerJSON() -> String {
        func string(_ text: String) -> String { Self.jsonString(text) }
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        var parts: [String] = []
        parts.append("\"version\": \"1.0\"")
        parts.append("\"truncation\": " + (truncation.map { truncation in
            "{\"direction\": \"\(truncation.fromLeft ? "Left" : "Right")\", \"max_length\": \(truncation.maxLength), "
                + "\"strategy\": \"\(truncation.strategy.rawValue)\", \"stride\": 0}"
        } ?? "null"))
        parts.append("\"padding\": " + (padding.map { padding in
            "{\"strategy\": \(padding.length.map { "{\"Fixed\": \($0)}" } ?? "\"BatchLongest\""), "
                + "\"direction\": \"\(padding.fromLeft ? "Left" : "Right")\", \"pad_to_multiple_of\": \(optional(padding.padToMultipleOf)), "
                + "\"pad_id\": \(padding.padID), \"pad_type_id\": \(padding.padTypeID), \"pad_token\": \(string(token(of: padding.padID) ?? "[PAD]"))}"
        } ?? "null"))
        let added = addedTokens.map { token in
            "    {\"id\": \(token.id), \"content\": \(string(token.content)), \"single_word\": false, \"lstrip\": false, "
                + "\"rstrip\": false, \"normalized\": false, \"special\": \(token.special)}"
        }
        parts.append("\"added_tokens\": [\n" + added.joined(separator: ",\n") + "\n  ]")
        parts.append("\"normalizer\": {\"type\": \"BertNormalizer\", \"clean_text\": \(normalizer.cleanText), "
                     + "\"handle_chinese_chars\": \(normalizer.handleChineseChars), "
                     + "\"strip_accents\": \(normalizer.stripAccents.map { "\($0)" } ?? "null"), \"lowercase\": \(normalizer.lowercase)}")
        parts.append("\"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}")
        parts.append("\"post_processor\": " + (template == .plain ? "null" : templateJSON()))
        parts.append("\"decoder\": " + (decoder.map { "{\"type\": \"WordPiece\", \"prefix\": \(string($0.prefix)), \"cleanup\": \($0.cleanup)}" } ?? "null"))
        let vocab = model.vocabulary.entries.map { "      \(string(String(decoding: $0.bytes, as: UTF8.self))): \($0.id)" }
        parts.append("\"model\": {\n    \"type\": \"WordPiece\", \"unk_token\": \(string(model.unknownToken)), "
                     + "\"continuing_subword_prefix\": \(string(model.continuingSubwordPrefix)), "
                     + "\"max_input_chars_per_word\": \(model.maxInputCharsPerWord),\n    \"vocab\": {\n"
                     + vocab.joined(separator: ",\n") + "\n    }\n  }")
        return "{\n  " + parts.joined(separator: ",\n  ") + "\n}\n"
    }

    /// The template as HF's TemplateProcessing, its special tokens named by their tokens.
    private func templateJSON() -> String {
        var specials: [(name: String, ids: [Int])] = []
        func pieces(_ layout: [Template.Piece]) -> String {
            let items = layout.map { piece -> String in
                switch piece {
                case let .special(ids, typeID):
                    let name = ids.compactMap { token(of: $0) }.joined()
                    if !specials.contains(where: { $0.name == name }) { specials.append((name, ids)) }
                    return "{\"SpecialToken\": {\"id\": \(Self.jsonString(name)), \"type_id\": \(typeID)}}"
                case let .sequence(isPair, typeID):
                    return "{\"Sequence\": {\"id\": \"\(isPair ? "B" : "A")\", \"type_id\": \(typeID)}}"
                }
            }
            return "[" + items.joined(separator: ", ") + "]"
        }
        let single = pieces(template.single), pair = pieces(template.pair)
        let table = specials.map { special in
            "\(Self.jsonString(special.name)): {\"id\": \(Self.jsonString(special.name)), \"ids\": [\(special.ids.map(String.init).joined(separator: ", "))], "
                + "\"tokens\": [\(special.ids.map { Self.jsonString(token(of: $0) ?? "") }.joined(separator: ", "))]}"
        }
        return "{\"type\": \"TemplateProcessing\", \"single\": \(single), \"pair\": \(pair), \"special_tokens\": {"
            + table.joined(separator: ", ") + "}}"
    }

    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
