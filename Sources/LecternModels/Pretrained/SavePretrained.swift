// Writing a model directory that Hugging Face (and this library) loads back.
//
// Reference: transformers' `PreTrainedModel.save_pretrained(dir, safe_serialization=True)`:
// `config.json` with `architectures` set to the class, and `model.safetensors` holding every
// parameter once — a tied weight only under its first name (the masked-LM decoder is saved as
// the word embeddings), as Python removes the shared copies before writing.

import Foundation
import LecternCore
import LecternNN

extension PretrainedModel where Self: NamedForward {
    /// Writes `config.json` and `model.safetensors` into `directory` (created if needed), so
    /// that `Self.load(directory:)` here, or `AutoModel.from_pretrained(directory)` in Python,
    /// loads the model back. The weights file is written atomically.
    ///
    ///     try model.savePretrained(to: URL(fileURLWithPath: "my-tiny-bert"))
    ///     let again = try BertForMaskedLM.load(directory: URL(fileURLWithPath: "my-tiny-bert"))
    public func savePretrained(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard var object = try JSONSerialization.jsonObject(with: encoder.encode(config)) as? [String: Any] else {
            throw PretrainedModelError.invalidConfig("the configuration did not encode as a JSON object")
        }
        object["architectures"] = [Self.architecture]
        let json = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        var tensors: [String: Tensor] = [:]
        let transposed = Self.naming.isTransposed
        for (name, parameter) in namedParameters() {   // tied weights once
            let value = parameter.value.detached()
            tensors[name] = transposed(name) && value.rank == 2 ? value.transposed(0, 1) : value   // Conv1D: back to [in, out]
        }
        try Safetensors.write(tensors, metadata: ["format": "pt"], to: directory.appendingPathComponent("model.safetensors"))
    }
}
