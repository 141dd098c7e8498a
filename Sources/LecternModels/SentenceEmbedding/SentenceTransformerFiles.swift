// The files of a sentence-transformers model folder, read and checked.
//
// Reference: sentence-transformers' saved layout: `modules.json` lists the pipeline
// ({"idx", "name", "path", "type"}); the longest input is `max_seq_length` in
// `sentence_bert_config.json` (older versions) or the tokenizer's `model_max_length` in
// `tokenizer_config.json` (sentence-transformers 4 and later), else the model's
// `max_position_embeddings`; and
// each module keeps its config in its folder (`1_Pooling/config.json`). The Transformer
// module's files (config.json, model.safetensors, tokenizer.json) sit at the top level.

import Foundation
import LecternTokenizers

/// The pipeline a sentence-transformers folder describes.
struct SentenceTransformerFiles {
    let directory: URL
    let pooling: SentencePooling
    let normalizes: Bool
    let maxSeqLength: Int

    init(directory: URL) throws(PretrainedModelError) {
        self.directory = directory
        struct Module: Decodable { var path: String; var type: String }
        let modulesURL = directory.appendingPathComponent("modules.json")
        guard FileManager.default.fileExists(atPath: modulesURL.path) else {
            throw .missingFile(modulesURL.path, "a sentence-transformers model folder lists its pipeline in modules.json; is this a plain BERT? load it with BertModel.load(directory:)")
        }
        let modules = try PretrainedConfigFile.decode([Module].self, from: modulesURL)
        let types = modules.map { $0.type.split(separator: ".").last.map(String.init) ?? $0.type }
        guard types.count >= 2, types[0] == "Transformer", types[1] == "Pooling",
              types.dropFirst(2).allSatisfy({ $0 == "Normalize" }) else {
            throw .invalidConfig("\(modulesURL.path): the pipeline is \(types.joined(separator: " → ")); only Transformer → Pooling (→ Normalize) is supported")
        }
        pooling = try SentencePooling.load(from: directory.appendingPathComponent(modules[1].path).appendingPathComponent("config.json"))
        normalizes = types.count == 3
        struct Settings: Decodable { var max_seq_length: Int?; var model_max_length: Double?; var max_position_embeddings: Int? }
        func read(_ name: String) throws(PretrainedModelError) -> Settings {
            let url = directory.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? try PretrainedConfigFile.decode(Settings.self, from: url) : Settings()
        }
        // model_max_length is a huge sentinel (1e30) when a tokenizer has no limit.
        let fromTokenizer = try read("tokenizer_config.json").model_max_length.flatMap { $0 < 1e6 ? Int($0) : nil }
        let fromSettings = try read("sentence_bert_config.json").max_seq_length
        let fromModel = try read("config.json").max_position_embeddings
        maxSeqLength = fromSettings ?? fromTokenizer ?? fromModel ?? 512
        guard maxSeqLength >= 2 else { throw .invalidConfig("\(directory.path): max_seq_length must be at least 2") }
    }

    func tokenizer() throws(PretrainedModelError) -> BertWordPieceTokenizer {
        let url = directory.appendingPathComponent("tokenizer.json")
        do {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
            guard let dictionary = object as? [String: Any] else {
                throw PretrainedModelError.invalidConfig("\(url.path) is not a JSON object")
            }
            return try BertWordPieceTokenizer(tokenizerJSON: dictionary, path: url.path)
        } catch let error as PretrainedModelError {
            throw error
        } catch let error as TokenizerError {
            throw .invalidConfig("\(error)")
        } catch {
            throw .missingFile(url.path, "the model's WordPiece tokenizer (tokenizers' tokenizer.json) is needed: \(error.localizedDescription)")
        }
    }
}
