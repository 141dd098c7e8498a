// Picking the model class from a directory's `config.json`, and running it on named inputs
// to get named outputs: what `lectern lab forward` does for any supported architecture.
//
// Reference: transformers' Auto classes (`AutoModel`, `AutoModelForMaskedLM`, …), which read
// `architectures` and `model_type` from the config; and the `ModelOutput` field names each
// architecture returns (`last_hidden_state`, `pooler_output`, `logits`, …).

import Foundation
import LecternCore
import LecternNN

/// A loaded model that takes named integer inputs and returns named output tensors.
///
///     let model = try AutoModel.load(directory: dir)
///     let outputs = try model.forward(ModelInputs(["input_ids": [[101, 102]]]))
///     outputs.map(\.name)   // ["last_hidden_state", "pooler_output"]
public protocol NamedForward: AnyObject {
    /// The architecture's class name ("BertForMaskedLM").
    static var architecture: String { get }
    /// Runs the model (inference, no gradients) and returns its output fields in Hugging Face's order.
    func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)]
}

/// Loads whichever supported architecture a model directory holds.
///
///     let model = try AutoModel.load(directory: URL(fileURLWithPath: "tiny-bert-for-pretraining"))
///     type(of: model).architecture   // "BertForPreTraining"
public enum AutoModel {
    typealias Loader = @Sendable (URL, PretrainedLoadOptions) throws(PretrainedModelError) -> any NamedForward

    /// Every architecture name this library loads.
    ///
    ///     AutoModel.supported.contains("BertForMaskedLM")   // true
    public static var supported: [String] { loaders.keys.sorted() }

    static let loaders: [String: Loader] = Dictionary(uniqueKeysWithValues: [
        entry(BertModel.self), entry(BertForPreTraining.self), entry(BertForMaskedLM.self),
        entry(BertForSequenceClassification.self), entry(BertForTokenClassification.self),
        entry(BertForQuestionAnswering.self), entry(GPT2Model.self), entry(GPT2LMHeadModel.self),
    ])

    /// The registry entry of one class: its architecture name and its loader.
    private static func entry<M: PretrainedModel & NamedForward & SendableMetatype>(_ type: M.Type) -> (String, Loader) {
        (M.architecture, { directory, options throws(PretrainedModelError) in try M.load(directory: directory, options: options) })
    }

    /// Loads the first of the config's `architectures` (or the base model of its `model_type`).
    ///
    ///     let model = try AutoModel.load(directory: dir)
    public static func load(directory: URL, options: PretrainedLoadOptions = PretrainedLoadOptions()) throws(PretrainedModelError) -> any NamedForward {
        let (modelType, architectures) = try PretrainedConfigFile.identity(of: directory.appendingPathComponent("config.json"))
        let baseModels = ["bert": BertModel.architecture, "gpt2": GPT2Model.architecture]
        guard let name = architectures.first ?? modelType.flatMap({ baseModels[$0] }) else {
            throw .invalidConfig("\(directory.appendingPathComponent("config.json").path) names no \"architectures\" and no known \"model_type\"; add \"architectures\": [\"BertModel\"] (or the class it was saved from)")
        }
        guard let loader = loaders[name] else { throw .unsupportedArchitecture(name, supported: supported) }
        return try loader(directory, options)
    }
}
