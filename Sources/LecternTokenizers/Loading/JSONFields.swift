// Typed access to a parsed JSON object (JSONSerialization's [String: Any]) that reports the
// full key path of whatever is missing or of the wrong kind — "model.vocab: expected an
// object of token → id" — the way serde reports the field it failed on in Hugging Face
// tokenizers, so a broken file says where it is broken.
import Foundation

/// A JSON object and where it sits in its file, for error messages.
///
/// ```swift
/// let root = try JSONFields.parse(data, path: "tokenizer.json")
/// let model = try root.object("model")          // key path "model"
/// let type = try model.optionalString("type")   // key path "model.type"
/// ```
struct JSONFields {
    let values: [String: Any]
    /// The file, for messages.
    let path: String
    /// Where this object is: "" for the root, "model", "added_tokens[2]"…
    let keyPath: String

    /// The top-level object of `data`.
    static func parse(_ data: Data, path: String) throws(TokenizerError) -> JSONFields {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw .malformed(path: path, keyPath: "", reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = parsed as? [String: Any] else {
            throw .malformed(path: path, keyPath: "", reason: "expected a JSON object at the top level")
        }
        return JSONFields(values: object, path: path, keyPath: "")
    }

    func keyPath(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }

    func malformed(_ key: String, _ reason: String) -> TokenizerError {
        .malformed(path: path, keyPath: keyPath(key), reason: reason)
    }

    /// True when `key` is absent or JSON null.
    func isNull(_ key: String) -> Bool { values[key] == nil || values[key] is NSNull }

    func object(_ key: String) throws(TokenizerError) -> JSONFields {
        guard let value = values[key] else { throw malformed(key, "missing") }
        guard let object = value as? [String: Any] else { throw malformed(key, "expected an object") }
        return JSONFields(values: object, path: path, keyPath: keyPath(key))
    }

    func optionalObject(_ key: String) throws(TokenizerError) -> JSONFields? {
        isNull(key) ? nil : try object(key)
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        if isNull(key) { return nil }
        guard let text = values[key] as? String else { throw malformed(key, "expected a string") }
        return text
    }

    func string(_ key: String) throws(TokenizerError) -> String {
        guard let text = try optionalString(key) else { throw malformed(key, "missing") }
        return text
    }

    func bool(_ key: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        if isNull(key) { return fallback }
        guard let flag = values[key] as? Bool else { throw malformed(key, "expected true or false") }
        return flag
    }

    func int(_ key: String) throws(TokenizerError) -> Int {
        guard let value = values[key] else { throw malformed(key, "missing") }
        guard let id = JSONFields.integer(value) else { throw malformed(key, "expected a non-negative integer") }
        return id
    }

    func array(_ key: String) throws(TokenizerError) -> [Any] {
        guard let value = values[key] else { throw malformed(key, "missing") }
        guard let array = value as? [Any] else { throw malformed(key, "expected an array") }
        return array
    }

    /// The objects of the array at `key`, each with its own key path ("added_tokens[3]").
    func objects(_ key: String) throws(TokenizerError) -> [JSONFields] {
        var result: [JSONFields] = []
        for (index, element) in try array(key).enumerated() {
            guard let object = element as? [String: Any] else { throw malformed("\(key)[\(index)]", "expected an object") }
            result.append(JSONFields(values: object, path: path, keyPath: keyPath("\(key)[\(index)]")))
        }
        return result
    }

    /// An object of token → id, such as `model.vocab` (or a whole vocab.json). When the loader
    /// has already read it byte for byte (ExactJSONVocabulary.swift), the value at `key` is that
    /// `Vocabulary`, and it is returned as is.
    func vocabulary(_ key: String?) throws(TokenizerError) -> Vocabulary {
        if let key, let exact = values[key] as? Vocabulary { return exact }
        let map: [String: Any]
        let location = key.map(keyPath) ?? keyPath
        if let key {
            guard let value = values[key] else { throw malformed(key, "missing") }
            guard let object = value as? [String: Any] else { throw malformed(key, "expected an object of token → id") }
            map = object
        } else {
            map = values
        }
        var vocabulary = Vocabulary()
        for (token, value) in map {
            guard let id = JSONFields.integer(value) else {
                throw .malformed(path: path, keyPath: location, reason: "the id of \"\(token)\" is not a non-negative integer")
            }
            // Ids index dense tables: a stray 10^12 must be an error, not a terabyte allocation.
            guard id < JSONFields.idLimit else {
                throw .malformed(path: path, keyPath: location, reason: "the id of \"\(token)\" is \(id), beyond the largest id allowed (\(JSONFields.idLimit - 1))")
            }
            vocabulary.insert(token, id: id)
        }
        return vocabulary
    }

    /// Token ids must be below this (16,777,216: far above any real vocabulary).
    static let idLimit = 1 << 24

    /// A non-negative integer (not a boolean, not a fraction), or nil.
    static func integer(_ value: Any) -> Int? {
        // JSON true and false are NSNumbers too, of Objective-C type "c" (char), on both platforms.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let double = number.doubleValue
        guard double >= 0, double == double.rounded(), double < 1e15 else { return nil }
        return number.intValue
    }
}
