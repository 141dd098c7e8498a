// Reading Hugging Face `tokenizer.json` (the format of tokenizers' `Tokenizer::from_file`):
// the model (`model.type` "BPE" with the ByteLevel pre-tokenizer and decoder, as GPT-2 and our
// trainer write it; "WordPiece" is handed to `BertWordPieceTokenizer(tokenizerJSON:path:)`),
// the added tokens, and the pipeline around the model, which must be one we reproduce exactly —
// anything else is refused by name rather than tokenized differently from Hugging Face.
import Foundation

/// `tokenizer.json` → a tokenizer.
///
/// ```swift
/// let tokenizer = try HuggingFaceTokenizerJSON.load(data, path: "tokenizer.json")
/// ```
enum HuggingFaceTokenizerJSON {
    static func load(_ data: Data, path: String) throws(TokenizerError) -> any Tokenizer {
        var root = try JSONFields.parse(data, path: path)
        // model.vocab again, with its keys' exact bytes (JSONSerialization merges "é" and "e\u{301}").
        if var modelValues = root.values["model"] as? [String: Any], modelValues["vocab"] is [String: Any],
           let exact = ExactJSONVocabulary.read(data, at: ["model", "vocab"]) {
            modelValues["vocab"] = exact
            var values = root.values
            values["model"] = modelValues
            root = JSONFields(values: values, path: root.path, keyPath: root.keyPath)
        }
        let model = try root.object("model")
        // Old files have no `type`; serde then recognises a BPE model by its merges.
        let type = try model.optionalString("type") ?? (model.isNull("merges") ? "WordPiece" : "BPE")
        switch type {
        case "BPE":
            return try byteLevelBPE(root: root, model: model)
        case "WordPiece":
            return try BertWordPieceTokenizer(tokenizerJSON: root.values, path: path)
        default:
            throw .unsupportedModel(path: path, type: type)
        }
    }

    /// The type name of the component at `key` (nil when null), or of each step of a
    /// `Sequence`.
    private static func componentTypes(_ root: JSONFields, _ key: String, list: String) throws(TokenizerError) -> [String]? {
        guard let component = try root.optionalObject(key) else { return nil }
        let type = try component.string("type")
        guard type == "Sequence" else { return [type] }
        var types: [String] = []
        for step in try component.objects(list) { types.append(try step.string("type")) }
        return types
    }

    private static func byteLevelBPE(root: JSONFields, model: JSONFields) throws(TokenizerError) -> ByteLevelBPETokenizer {
        let path = root.path
        // The pipeline must be exactly ByteLevel around the model.
        if let normalizer = try componentTypes(root, "normalizer", list: "normalizers") {
            throw .unsupportedComponent(path: path, keyPath: "normalizer", type: normalizer.joined(separator: ", "))
        }
        guard let preTokenizer = try root.optionalObject("pre_tokenizer") else {
            throw .unsupportedComponent(path: path, keyPath: "pre_tokenizer", type: "null (a BPE model without the ByteLevel pre-tokenizer)")
        }
        let preType = try preTokenizer.string("type")
        guard preType == "ByteLevel" else {
            let steps = try componentTypes(root, "pre_tokenizer", list: "pretokenizers") ?? [preType]
            throw .unsupportedComponent(path: path, keyPath: "pre_tokenizer.type", type: steps.joined(separator: ", "))
        }
        guard try preTokenizer.bool("use_regex", default: true) else {
            throw .unsupportedComponent(path: path, keyPath: "pre_tokenizer.use_regex", type: "ByteLevel without the GPT-2 pattern (use_regex: false)")
        }
        let addPrefixSpace = try preTokenizer.bool("add_prefix_space", default: true)
        if let decoder = try componentTypes(root, "decoder", list: "decoders"), decoder != ["ByteLevel"] {
            throw .unsupportedComponent(path: path, keyPath: "decoder.type", type: decoder.joined(separator: ", "))
        }
        if let post = try componentTypes(root, "post_processor", list: "processors"), post != ["ByteLevel"] {
            throw .unsupportedComponent(path: path, keyPath: "post_processor.type", type: post.joined(separator: ", "))
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = try model.optionalString(key), !affix.isEmpty {
                throw .unsupportedComponent(path: path, keyPath: model.keyPath(key), type: "\"\(affix)\" (byte-level BPE has no subword affixes)")
            }
        }
        if try model.bool("byte_fallback", default: false) {
            throw .unsupportedComponent(path: path, keyPath: model.keyPath("byte_fallback"), type: "true (byte fallback is for BPE without a byte alphabet)")
        }

        let vocabulary = try model.vocabulary("vocab")
        guard !model.isNull("merges") else { throw .missingMerges(path: path) }
        var merges: [(left: String, right: String)] = []
        for (index, entry) in try model.array("merges").enumerated() {
            // Two spellings: "Ġ t" (tokenizers < 0.20) and ["Ġ", "t"].
            if let line = entry as? String, let pair = GPT2Files.mergePair(line) {
                merges.append(pair)
            } else if let pair = entry as? [Any], pair.count == 2, let left = pair[0] as? String, let right = pair[1] as? String {
                merges.append((left, right))
            } else {
                throw model.malformed("merges[\(index)]", "expected \"left right\" or [\"left\", \"right\"]")
            }
        }

        var addedTokens: [AddedToken] = []
        if !root.isNull("added_tokens") {
            for token in try root.objects("added_tokens") {
                let id = try token.int("id")
                guard id < JSONFields.idLimit else { throw token.malformed("id", "\(id) is beyond the largest id allowed (\(JSONFields.idLimit - 1))") }
                addedTokens.append(AddedToken(content: try token.string("content"), id: id,
                                              special: try token.bool("special", default: false)))
            }
        }
        return try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges, addedTokens: addedTokens,
                                         addPrefixSpace: addPrefixSpace,
                                         ignoreMerges: try model.bool("ignore_merges", default: false),
                                         unknownToken: try model.optionalString("unk_token"), source: path)
    }
}
