// Which of a repository's files a pull downloads. A model repository often holds the same
// weights several times — PyTorch's pytorch_model.bin, safetensors, ONNX, TensorFlow, Flax —
// and only safetensors is read here, so by default a pull takes exactly what a model folder
// needs: the configuration, safetensors weights (one file, or the index and every shard it
// lists), the tokenizer files, and sentence-transformers' module files. With --include
// patterns, the user chooses instead (huggingface_hub's `allow_patterns`, fnmatch rules: Glob).
//
// Departures from the reference: `snapshot_download` takes every file unless told otherwise;
// the default here is a list, because the other formats can be several times the size of the
// weights Lectern reads.
import Foundation

/// The files of a repository to download.
///
/// ```swift
/// let files = ["config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json", "onnx/model.onnx"]
/// HubFileSelection.modelFolder.files(in: files)      // ["config.json", "model.safetensors", "tokenizer.json"]
/// HubFileSelection.matching(["*.json"]).files(in: files)   // ["config.json", "tokenizer.json"]
/// ```
public enum HubFileSelection: Sendable, Equatable {
    /// What a model folder needs: `config.json`, `generation_config.json`,
    /// `model.safetensors` (or `model.safetensors.index.json` and every shard it lists), the
    /// tokenizer files (`tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`,
    /// `vocab.txt`, `vocab.json`, `merges.txt`, `spiece.model`, `added_tokens.json`) and
    /// sentence-transformers' files (`modules.json`, `sentence_bert_config.json`,
    /// `config_sentence_transformers.json`, and each module folder's `config.json` such as
    /// `1_Pooling/config.json`). Never `pytorch_model.bin`, ONNX, TensorFlow or Flax files.
    ///
    /// ```swift
    /// try HubDownloader.standard().download("sentence-transformers/all-MiniLM-L6-v2", files: .modelFolder)
    /// ```
    case modelFolder
    /// Every file matching one of these fnmatch patterns ("*" also matches "/"; a pattern
    /// ending in "/" is a whole folder), as huggingface_hub's `allow_patterns`.
    ///
    /// ```swift
    /// try HubDownloader.standard().download("acme/tiny-bert", files: .matching(["*.json", "*.safetensors"]))
    /// ```
    case matching([String])

    /// The top-level files of a model folder, besides the weights.
    static let modelFolderFiles: Set<String> = [
        "config.json", "generation_config.json",
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt",
        "spiece.model", "added_tokens.json",
        "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
    ]

    /// The single-file weights, and the index of sharded weights.
    static let weights = "model.safetensors", weightIndex = "model.safetensors.index.json"

    /// The files of `repositoryFiles` this selection takes, in the repository's order. For
    /// `.modelFolder` the shards of a sharded checkpoint are not known yet: they are listed in
    /// the index (see `shards(inIndex:)`), which is selected instead.
    ///
    /// ```swift
    /// HubFileSelection.modelFolder.files(in: ["model.safetensors.index.json", "model-00001-of-00002.safetensors"])
    /// // ["model.safetensors.index.json"]
    /// ```
    public func files(in repositoryFiles: [String]) -> [String] {
        switch self {
        case .matching(let patterns):
            let globs = patterns.map(Glob.init)
            return repositoryFiles.filter { file in globs.contains { $0.matches(file) } }
        case .modelFolder:
            let available = Set(repositoryFiles)
            // One checkpoint: the single file if there is one, else the index of the shards.
            let weights = available.contains(Self.weights) ? Self.weights : Self.weightIndex
            // sentence-transformers keeps each module's settings in a folder ("1_Pooling/config.json")
            // that modules.json lists; the folders are one level deep.
            let hasModules = available.contains("modules.json")
            return repositoryFiles.filter { file in
                if Self.modelFolderFiles.contains(file) || file == weights { return true }
                let parts = file.split(separator: "/", omittingEmptySubsequences: false)
                return hasModules && parts.count == 2 && parts[1] == "config.json" && !parts[0].isEmpty
            }
        }
    }

    /// The shard files a `model.safetensors.index.json` lists in its `weight_map`, each once,
    /// sorted (shard names are numbered); nil when the data is not such an index.
    ///
    /// ```swift
    /// let index = Data(#"{"weight_map": {"a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors"}}"#.utf8)
    /// HubFileSelection.shards(inIndex: index)   // ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    /// ```
    static func shards(inIndex data: Data) -> [String]? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let map = object["weight_map"] as? [String: Any] else { return nil }
        let files = map.values.compactMap { $0 as? String }
        guard files.count == map.count else { return nil }
        return Array(Set(files)).sorted()
    }
}
