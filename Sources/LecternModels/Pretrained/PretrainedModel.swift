// Loading a model from a Hugging Face model directory, for every family (BERT, GPT-2, T5).
//
// Reference: transformers' `PreTrainedModel.from_pretrained` (modeling_utils.py). A model
// directory holds `config.json` and `model.safetensors` (or shards and an index); it is found
// by path, or by hub name ("sentence-transformers/all-MiniLM-L6-v2") in the local hub cache
// that Python's `huggingface_hub` fills (LecternHub.ModelLocator), so a model downloaded with
// Python, or with `lectern lab pull`, is used as is.
//
// How a model is built (ParameterStore.swift): each class's `init(config:parameters:)` asks a
// scope for its tensors by name. `fromPretrained` gives it a scope over the checkpoint, so no
// random weights are drawn and then overwritten, and then checks that the checkpoint and the
// model agree name for name.
//
// Departures: a task head that the checkpoint lacks (a classifier on top of a base encoder) is
// an error unless `initializingNewHeads` is set, where Python only warns: a silently random
// head is the classic fine-tuning bug.

import Foundation
import LecternCore
import LecternHub
import LecternNN

/// A model class that can be built from a configuration and loaded from a Hugging Face directory.
///
///     let bert = try BertModel.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")
///     let tiny = BertForMaskedLM(config: tinyConfig, using: &rng)
public protocol PretrainedModel: Module {
    /// The family's configuration (`BertConfig`).
    associatedtype Configuration: Codable
    /// The family's checkpoint naming rules (base prefix, buffers).
    static var naming: CheckpointNaming { get }
    /// Whether this class is the base model (its names lack the base prefix: `BertModel`), or a
    /// task model (`BertForMaskedLM`, names under `bert.`).
    static var isBaseModel: Bool { get }
    /// Builds the model, asking `parameters` for every tensor.
    init(config: Configuration, parameters: ParameterScope) throws(PretrainedModelError)
    /// The configuration the model was built from.
    var config: Configuration { get }
}

/// Options for ``PretrainedModel/fromPretrained(_:revision:options:)``.
///
///     var options = PretrainedLoadOptions()
///     options.initializingNewHeads = true   // fine-tune a classifier on a base checkpoint
public struct PretrainedLoadOptions: Sendable {
    /// Create a missing task head (names outside the base prefix) with its initialiser instead
    /// of failing: a classifier on top of a pre-trained encoder. Default false.
    public var initializingNewHeads = false
    /// The seed of new heads' weights.
    public var seed: UInt64 = 0
    /// Where hub names are looked up (default: `$HF_HUB_CACHE`, `$HF_HOME/hub`, ~/.cache/huggingface/hub).
    public var cache: HubCache = .standard()

    /// Default options: strict, the standard cache.
    ///
    ///     PretrainedLoadOptions()
    public init() {}
}

/// Where a model named by path or hub name lives on disk, with LecternHub's error turned into
/// this module's: the one lookup behind every `fromPretrained` and the `lectern lab` commands.
///
///     let folder = try ModelFolder.resolve("sentence-transformers/all-MiniLM-L6-v2")
public enum ModelFolder {
    /// A folder path as is, or a hub name found in `cache` (see LecternHub's `ModelLocator`).
    ///
    ///     try ModelFolder.resolve("./tiny-bert").lastPathComponent   // "tiny-bert"
    public static func resolve(_ nameOrPath: String, revision: String = "main",
                               cache: HubCache = .standard()) throws(PretrainedModelError) -> URL {
        do { return try ModelLocator.resolve(nameOrPath, revision: revision, cache: cache) }
        catch { throw .notFound(error.description) }
    }
}

extension PretrainedModel {
    /// Builds a new model with random weights (each family's `_init_weights`), drawn from `generator`.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let bert = try BertModel(config: .base, using: &rng)
    public init(config: Configuration, using generator: inout SeededGenerator) throws(PretrainedModelError) {
        let store = ParameterStore(generator: generator)
        try self.init(config: config, parameters: store.root)
        generator = SeededGenerator(seed: generator.next())
    }

    /// Loads the model in `nameOrPath`: a directory, or a hub name found in the local cache.
    ///
    ///     let model = try BertForMaskedLM.fromPretrained("/models/bert-base-uncased")
    ///     model.eval()
    public static func fromPretrained(_ nameOrPath: String, revision: String = "main",
                                      options: PretrainedLoadOptions = PretrainedLoadOptions()) throws(PretrainedModelError) -> Self {
        try load(directory: ModelFolder.resolve(nameOrPath, revision: revision, cache: options.cache), options: options)
    }

    /// Loads the model in `directory` (config.json and safetensors weights).
    ///
    ///     let model = try BertModel.load(directory: URL(fileURLWithPath: "tiny-bert"))
    public static func load(directory: URL, options: PretrainedLoadOptions = PretrainedLoadOptions()) throws(PretrainedModelError) -> Self {
        let config = try PretrainedConfigFile.decode(Configuration.self, from: directory.appendingPathComponent("config.json"))
        return try load(directory: directory, config: config, options: options)
    }

    /// Loads the weights in `directory` into a model built from `config` (for a config changed in code).
    ///
    ///     var config = try BertConfig.load(from: dir.appendingPathComponent("config.json"))
    ///     config.labels = ["negative", "positive"]
    ///     let model = try BertForSequenceClassification.load(directory: dir, config: config)
    public static func load(directory: URL, config: Configuration,
                            options: PretrainedLoadOptions = PretrainedLoadOptions()) throws(PretrainedModelError) -> Self {
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        let source = RenamedCheckpoint(checkpoint, naming: naming, expectsPrefix: !isBaseModel)
        let prefix = naming.basePrefix + "."
        let store = options.initializingNewHeads && !isBaseModel
            ? ParameterStore(source: source, initializingMissing: { !$0.hasPrefix(prefix) }, generator: SeededGenerator(seed: options.seed))
            : ParameterStore(source: source)
        let model = try Self(config: config, parameters: store.root)
        do { try store.finish() }
        catch let error as StateDictError { throw .weights(directory: directory.path, error) }
        catch { throw .unreadable(directory: directory.path, "\(error)") }
        model.eval()   // as from_pretrained: a loaded model is ready for inference
        return model
    }
}
