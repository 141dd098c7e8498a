// The files of a sentence-transformers model folder, read and checked.
//
// Reference: sentence-transformers' saved layout: `modules.json` lists the pipeline
// ({"idx", "name", "path", "type"}), `sentence_bert_config.json` holds `max_seq_length`, and
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
        struct BertSettings: Decodable { var max_seq_length: Int? }
        let settingsURL = directory.appendingPathComponent("sentence_bert_config.json")
        let settings = FileManager.default.fileExists(atPath: settingsURL.path)
            ? try PretrainedConfigFile.decode(BertSettings.self, from: settingsURL) : BertSettings()
        maxSeqLength = settings.max_seq_length ?? 512
        guard maxSeqLength >= 2 else { throw .invalidConfig("\(settingsURL.path): max_seq_length must be at least 2") }
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
