// Reading BERT tokenizers from the two files models ship: `vocab.txt` (one token per line, the
// line number is the id — Hugging Face `tokenizers`' `WordPiece::read_file`, which trims the
// end of each line), and `tokenizer.json` with a WordPiece model, BertNormalizer,
// BertPreTokenizer, a TemplateProcessing or BertProcessing post-processor and the WordPiece
// decoder (the serde layout of tokenizers' `Tokenizer::from_file`). Any other component is
// refused by name rather than tokenized differently from Hugging Face.
import Foundation

extension BertWordPieceTokenizer {
    /// The tokenizer of a `vocab.txt`, with BERT's special tokens and template.
    ///
    /// Options left nil are read from a `tokenizer_config.json` next to the file if there is
    /// one (`do_lower_case`, `strip_accents`, `tokenize_chinese_chars`, as `transformers`
    /// writes it), else take HF's defaults: lowercase, strip accents with it, pad CJK.
    ///
    /// ```swift
    /// let uncased = try BertWordPieceTokenizer(vocabTXT: URL(fileURLWithPath: "bert-base-uncased/vocab.txt"))
    /// let cased = try BertWordPieceTokenizer(vocabTXT: URL(fileURLWithPath: "bert-base-cased/vocab.txt"), lowercase: false)
    /// ```
    public init(vocabTXT url: URL, lowercase: Bool? = nil, stripAccents: Bool? = nil, handleChineseChars: Bool? = nil,
                unknownToken: String = "[UNK]") throws(TokenizerError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            if !FileManager.default.fileExists(atPath: url.path) { throw .fileNotFound(path: url.path) }
            throw .unreadable(path: url.path, reason: error.localizedDescription)
        }
        var config: [String: Any] = [:]
        let configURL = url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        if lowercase == nil || stripAccents == nil || handleChineseChars == nil, let configData = try? Data(contentsOf: configURL),
           let object = (try? JSONSerialization.jsonObject(with: configData)) as? [String: Any] {
            config = object
        }
        let lowercase = lowercase ?? config["do_lower_case"] as? Bool ?? true
        let normalizer = BertNormalizer(handleChineseChars: handleChineseChars ?? config["tokenize_chinese_chars"] as? Bool ?? true,
                                        stripAccents: stripAccents ?? config["strip_accents"] as? Bool, lowercase: lowercase)
        try self.init(vocabTXT: data, path: url.path, normalizer: normalizer, unknownToken: unknownToken)
    }

    /// The tokenizer of a `vocab.txt`'s contents (`path` is for error messages).
    ///
    /// ```swift
    /// let tokenizer = try BertWordPieceTokenizer(vocabTXT: Data("[PAD]\n[UNK]\nhi\n".utf8), path: "vocab.txt")
    /// tokenizer.encode("hi").ids   // [2]: no [CLS] or [SEP] in this vocabulary, so no template
    /// ```
    public init(vocabTXT data: Data, path: String, normalizer: BertNormalizer = BertNormalizer(),
                unknownToken: String = "[UNK]") throws(TokenizerError) {
        guard String(data: data, encoding: .utf8) != nil else {
            throw .malformed(path: path, keyPath: "", reason: "not UTF-8 text")
        }
        // Lines split at LF bytes: as Swift Characters, "\r\n" is one grapheme, not "\r" + "\n".
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }   // the final newline ends a line, it does not start one
        guard !lines.isEmpty else { throw .malformed(path: path, keyPath: "", reason: "no tokens (an empty vocab.txt)") }
        // Rust's `trim_end` on each line: drops trailing Unicode whitespace (and so the \r of \r\n).
        let tokens = lines.map { line -> String in
            var scalars = String(decoding: line, as: UTF8.self).unicodeScalars
            while let last = scalars.last, BertCharacterClass.of(last).contains(.whitespace) { scalars.removeLast() }
            return String(scalars)
        }
        let vocabulary = Vocabulary(tokens: tokens)
        guard vocabulary.id(of: unknownToken) != nil else {
            throw .malformed(path: path, keyPath: "", reason: "the unknown token \"\(unknownToken)\" is not in the vocabulary")
        }
        self.init(normalizer: normalizer, model: WordPiece(vocabulary: vocabulary, unknownToken: unknownToken))
    }

    /// The tokenizer a parsed Hugging Face `tokenizer.json` describes (`path` is for messages).
    ///
    /// ```swift
    /// let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    /// let tokenizer = try BertWordPieceTokenizer(tokenizerJSON: object, path: url.path)
    /// ```
    public init(tokenizerJSON object: [String: Any], path: String = "tokenizer.json") throws(TokenizerError) {
        let root = JSONFields(values: object, path: path, keyPath: "")
        let model = try root.object("model")
        let type = try model.optionalString("type") ?? "WordPiece"
        guard type == "WordPiece" else { throw .unsupportedModel(path: path, type: type) }
        let vocabulary = try model.vocabulary("vocab")
        let unknownToken = try model.optionalString("unk_token") ?? "[UNK]"
        guard vocabulary.id(of: unknownToken) != nil else {
            throw model.malformed("unk_token", "\"\(unknownToken)\" is not in model.vocab")
        }
        let wordPiece = WordPiece(vocabulary: vocabulary, unknownToken: unknownToken,
                                  continuingSubwordPrefix: try model.optionalString("continuing_subword_prefix") ?? "##",
                                  maxInputCharsPerWord: try Self.optionalInt(model, "max_input_chars_per_word") ?? 100)

        var normalizer = BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false)
        if let node = try root.optionalObject("normalizer") {
            let kind = try node.string("type")
            guard kind == "BertNormalizer" else { throw .unsupportedComponent(path: path, keyPath: "normalizer.type", type: kind) }
            let strip: Bool?
            if node.isNull("strip_accents") { strip = nil } else { strip = try node.bool("strip_accents", default: false) }
            normalizer = BertNormalizer(cleanText: try node.bool("clean_text", default: true),
                                        handleChineseChars: try node.bool("handle_chinese_chars", default: true),
                                        stripAccents: strip, lowercase: try node.bool("lowercase", default: true))
        }
        guard let preTokenizer = try root.optionalObject("pre_tokenizer") else {
            throw .unsupportedComponent(path: path, keyPath: "pre_tokenizer", type: "null (WordPiece without BertPreTokenizer)")
        }
        let preType = try preTokenizer.string("type")
        guard preType == "BertPreTokenizer" else { throw .unsupportedComponent(path: path, keyPath: "pre_tokenizer.type", type: preType) }

        var decoder: WordPieceDecoder?
        if let node = try root.optionalObject("decoder") {
            let kind = try node.string("type")
            guard kind == "WordPiece" else { throw .unsupportedComponent(path: path, keyPath: "decoder.type", type: kind) }
            decoder = WordPieceDecoder(prefix: try node.optionalString("prefix") ?? "##", cleanup: try node.bool("cleanup", default: true))
        }

        var addedTokens: [AddedToken] = []
        if !root.isNull("added_tokens") {
            for token in try root.objects("added_tokens") {
                addedTokens.append(AddedToken(content: try token.string("content"), id: try token.int("id"),
                                              special: try token.bool("special", default: false)))
            }
        }
        let ids = { (token: String) -> Int? in
            addedTokens.first { Array($0.content.utf8) == Array(token.utf8) }?.id ?? vocabulary.id(of: token)
        }
        self.init(normalizer: normalizer, model: wordPiece, addedTokens: addedTokens,
                  template: try Self.template(root.optionalObject("post_processor"), ids: ids),
                  truncation: try Self.truncation(root.optionalObject("truncation")),
                  padding: try Self.padding(root.optionalObject("padding")), decoder: decoder)
    }

    /// The post-processor: TemplateProcessing, BertProcessing, or none (`.plain`).
    private static func template(_ node: JSONFields?, ids: (String) -> Int?) throws(TokenizerError) -> Template {
        guard let node else { return .plain }
        let kind = try node.string("type")
        switch kind {
        case "BertProcessing":
            // {"sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}
            func id(_ key: String) throws(TokenizerError) -> Int {
                let pair = try node.array(key)
                guard pair.count == 2, let id = JSONFields.integer(pair[1]) else { throw node.malformed(key, "expected [token, id]") }
                return id
            }
            return .bert(cls: try id("cls"), sep: try id("sep"))
        case "TemplateProcessing":
            var specials: [String: [Int]] = [:]
            if let table = try node.optionalObject("special_tokens") {
                for (name, value) in table.values {
                    guard let entry = value as? [String: Any], let list = entry["ids"] as? [Any] else {
                        throw table.malformed(name, "expected {\"id\", \"ids\", \"tokens\"}")
                    }
                    specials[name] = list.compactMap(JSONFields.integer)
                }
            }
            func pieces(_ key: String) throws(TokenizerError) -> [Template.Piece] {
                var result: [Template.Piece] = []
                for (index, element) in try node.array(key).enumerated() {
                    let place = "\(key)[\(index)]"
                    if let special = (element as? [String: Any])?["SpecialToken"] as? [String: Any], let name = special["id"] as? String {
                        guard let pieceIDs = specials[name] ?? ids(name).map({ [$0] }) else {
                            throw node.malformed(place, "special token \"\(name)\" is neither in special_tokens nor in the vocabulary")
                        }
                        result.append(.special(ids: pieceIDs, typeID: (special["type_id"]).flatMap(JSONFields.integer) ?? 0))
                    } else if let sequence = (element as? [String: Any])?["Sequence"] as? [String: Any], let which = sequence["id"] as? String {
                        result.append(.sequence(isPair: which == "B", typeID: (sequence["type_id"]).flatMap(JSONFields.integer) ?? 0))
                    } else {
                        throw node.malformed(place, "expected {\"SpecialToken\": …} or {\"Sequence\": …}")
                    }
                }
                return result
            }
            return Template(single: try pieces("single"), pair: try pieces("pair"))
        default:
            throw .unsupportedComponent(path: node.path, keyPath: "post_processor.type", type: kind)
        }
    }

    /// The `truncation` block, or nil.
    private static func truncation(_ node: JSONFields?) throws(TokenizerError) -> Truncation? {
        guard let node else { return nil }
        let name = try node.optionalString("strategy") ?? "LongestFirst"
        guard let strategy = Truncation.Strategy(rawValue: name) else { throw node.malformed("strategy", "unknown strategy \"\(name)\"") }
        return Truncation(maxLength: try node.int("max_length"), strategy: strategy,
                          fromLeft: try node.optionalString("direction") == "Left")
    }

    /// The `padding` block, or nil: {"strategy": "BatchLongest" | {"Fixed": n}, "direction", …}.
    private static func padding(_ node: JSONFields?) throws(TokenizerError) -> Padding? {
        guard let node else { return nil }
        var length: Int?
        if let fixed = try node.optionalObject("strategy") {
            length = try fixed.int("Fixed")
        } else if let name = try? node.optionalString("strategy"), name != "BatchLongest" {
            throw node.malformed("strategy", "unknown strategy \"\(name)\"")
        }
        return Padding(length: length, padToMultipleOf: try optionalInt(node, "pad_to_multiple_of"),
                       padID: try optionalInt(node, "pad_id") ?? 0, padTypeID: try optionalInt(node, "pad_type_id") ?? 0,
                       fromLeft: try node.optionalString("direction") == "Left")
    }

    /// A non-negative integer at `key`, or nil when absent or null.
    private static func optionalInt(_ node: JSONFields, _ key: String) throws(TokenizerError) -> Int? {
        node.isNull(key) ? nil : try node.int(key)
    }
}
