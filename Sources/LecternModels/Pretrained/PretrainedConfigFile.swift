// Reading a model's `config.json`: errors that name the file and the field, and the fields
// every Hugging Face config shares.
//
// Reference: transformers' `PretrainedConfig.from_json_file` and its handling of `id2label` /
// `num_labels` (configuration_utils.py): `id2label` maps "0", "1", … to names; when a file has
// only `num_labels`, the names are LABEL_0 … LABEL_{n−1}.

import Foundation

/// Helpers shared by every model's configuration decoder.
///
///     let config = try PretrainedConfigFile.decode(BertConfig.self, from: directory.appendingPathComponent("config.json"))
public enum PretrainedConfigFile {
    /// Decodes `url` as `type`, turning JSON and type errors into a message with the file and key.
    ///
    ///     try PretrainedConfigFile.decode(BertConfig.self, from: url)
    public static func decode<C: Decodable>(_ type: C.Type, from url: URL) throws(PretrainedModelError) -> C {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .missingFile(url.path, "a model directory needs config.json (Hugging Face's save_pretrained writes it)")
        }
        do {
            return try JSONDecoder().decode(C.self, from: data)
        } catch let error as DecodingError {
            throw .invalidConfig("\(url.path): \(describe(error))")
        } catch let error as PretrainedModelError {
            throw error
        } catch {
            throw .invalidConfig("\(url.path): \(error)")
        }
    }

    /// The `model_type` and `architectures` of a config file, to pick the class that loads it.
    ///
    ///     let (type, architectures) = try PretrainedConfigFile.identity(of: url)   // ("bert", ["BertModel"])
    public static func identity(of url: URL) throws(PretrainedModelError) -> (modelType: String?, architectures: [String]) {
        struct Identity: Decodable {
            var model_type: String?
            var architectures: [String]?
        }
        let identity = try decode(Identity.self, from: url)
        return (identity.model_type, identity.architectures ?? [])
    }

    /// Label names in id order from `id2label`, else `num_labels` generic names, else nil.
    static func labels<K: CodingKey>(_ c: KeyedDecodingContainer<K>, id2label: K, numLabels: K) throws -> [String]? {
        if let map = try c.decodeIfPresent([String: String].self, forKey: id2label) {
            var labels = [String](repeating: "", count: map.count)
            for (key, name) in map {
                guard let id = Int(key), labels.indices.contains(id) else {
                    throw DecodingError.dataCorruptedError(forKey: id2label, in: c,
                        debugDescription: "id2label must map \"0\" … \"\(map.count - 1)\" to names; found key \"\(key)\"")
                }
                labels[id] = name
            }
            return labels
        }
        if let n = try c.decodeIfPresent(Int.self, forKey: numLabels) {
            guard n >= 1 else {
                throw DecodingError.dataCorruptedError(forKey: numLabels, in: c, debugDescription: "num_labels must be at least 1")
            }
            return (0..<n).map { "LABEL_\($0)" }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : "field \"\(p)\": "
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context))expected \(type); \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "\(path(context))expected \(type), found null"
        case .keyNotFound(let key, let context): return "\(path(context))missing key \"\(key.stringValue)\""
        case .dataCorrupted(let context): return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
