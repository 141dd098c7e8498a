// The weights of a model directory: `model.safetensors`, or the shards that
// `model.safetensors.index.json` lists, read by name without loading everything first.
//
// Reference: Hugging Face's `save_pretrained(safe_serialization=True)`: one file, or, above
// `max_shard_size`, `model-00001-of-0000N.safetensors` files and an index whose `weight_map`
// says which file holds each tensor. Files are memory-mapped (SafetensorsFile.swift), so
// opening a 400 MB checkpoint reads only its headers; a tensor is converted to Float when the
// model asks for it. F32, F16 and BF16 tensors load.
//
// Departures: PyTorch's pickle files (`pytorch_model.bin`) are not read — unpickling runs
// arbitrary code, which is why the hub moved to safetensors; the error says how to convert one.

import Foundation
import LecternCore

/// The tensors of one checkpoint (one file or several shards), by their stored names.
///
///     let weights = try SafetensorsCheckpoint(directory: URL(fileURLWithPath: "bert-tiny"))
///     weights.names.count          // 39
///     try weights.tensor("embeddings.word_embeddings.weight").shape   // [99, 32]
public final class SafetensorsCheckpoint {
    private var files: [SafetensorsFile] = []
    private var fileOf: [String: Int] = [:]
    /// Every stored name, sorted.
    public let names: [String]

    /// Opens `model.safetensors`, or the shards listed by `model.safetensors.index.json`, in `directory`.
    ///
    ///     let weights = try SafetensorsCheckpoint(directory: modelDirectory)
    public init(directory: URL) throws(PretrainedModelError) {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        let manager = FileManager.default
        var paths: [URL] = []
        var expected: [String: String] = [:]   // name → shard file name, from the index
        if manager.fileExists(atPath: single.path) {
            paths = [single]
        } else if manager.fileExists(atPath: index.path) {
            expected = try Self.weightMap(index)
            paths = Set(expected.values).sorted().map { directory.appendingPathComponent($0) }
        } else {
            let pickle = manager.fileExists(atPath: directory.appendingPathComponent("pytorch_model.bin").path)
            throw .missingFile(single.path, pickle
                ? "this directory has only pytorch_model.bin (a pickle, which this library does not run); convert it in Python with `AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)`"
                : "a model directory needs model.safetensors or model.safetensors.index.json")
        }
        for (i, url) in paths.enumerated() {
            let file: SafetensorsFile
            do { file = try SafetensorsFile.open(url) } catch {
                throw .unreadable(directory: directory.path, "\(url.lastPathComponent): \(error)")
            }
            for name in file.names {
                if let other = fileOf[name] {
                    throw .unreadable(directory: directory.path, "tensor \(name) is stored twice, in \(paths[other].lastPathComponent) and \(url.lastPathComponent)")
                }
                if let listed = expected[name], listed != url.lastPathComponent {
                    throw .unreadable(directory: directory.path, "the index puts \(name) in \(listed), but it is in \(url.lastPathComponent)")
                }
                fileOf[name] = i
            }
            files.append(file)
        }
        let found = fileOf
        if let absent = expected.keys.sorted().first(where: { found[$0] == nil }) {
            throw .unreadable(directory: directory.path, "the index lists \(absent) in \(expected[absent]!), which does not hold it")
        }
        names = fileOf.keys.sorted()
    }

    /// The shape stored under `name`, or nil.
    ///
    ///     weights.shape(of: "pooler.dense.weight")   // [32, 32]
    public func shape(of name: String) -> [Int]? {
        fileOf[name].flatMap { files[$0].info(name)?.shape }
    }

    /// The tensor stored under `name`, widened to Float.
    ///
    ///     let table = try weights.tensor("embeddings.word_embeddings.weight")
    public func tensor(_ name: String) throws -> Tensor {
        guard let i = fileOf[name] else { throw SafetensorsError.tensorNotFound(name: name, suggestions: []) }
        return try files[i].tensor(name)
    }

    private static func weightMap(_ url: URL) throws(PretrainedModelError) -> [String: String] {
        struct Index: Decodable { var weight_map: [String: String] }
        do {
            return try JSONDecoder().decode(Index.self, from: Data(contentsOf: url)).weight_map
        } catch {
            throw .unreadable(directory: url.deletingLastPathComponent().path,
                              "\(url.lastPathComponent) is not a safetensors index (a JSON object with \"weight_map\"): \(error)")
        }
    }
}
