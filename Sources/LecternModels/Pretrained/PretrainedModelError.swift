// Why a pre-trained model could not be loaded, in words that say what to do.

import Foundation
import LecternNN

/// An error while finding, reading or building a pre-trained model.
///
///     do { _ = try BertModel.fromPretrained("missing/model") }
///     catch { print(error) }   // no model directory or cached model named 'missing/model' …
public enum PretrainedModelError: Error, CustomStringConvertible {
    /// A file the model needs is absent: the path, and what to do.
    case missingFile(String, String)
    /// `config.json` cannot be decoded or describes a model that cannot be built.
    case invalidConfig(String)
    /// The checkpoint's tensors do not fit the model (every problem listed).
    case weights(directory: String, StateDictError)
    /// A tensor could not be read from the checkpoint files.
    case unreadable(directory: String, String)
    /// The directory holds an architecture this library does not build.
    case unsupportedArchitecture(String, supported: [String])
    /// The model could not be found by name or path.
    case notFound(String)
    /// The inputs given to a model are malformed (ragged rows, ids out of range, unknown names).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .missingFile(let path, let hint): "\(path) is missing: \(hint)"
        case .invalidConfig(let message): "invalid model configuration: \(message)"
        case .weights(let directory, let error): "the weights in \(directory) do not match the model.\n\(error)"
        case .unreadable(let directory, let message): "cannot read the weights in \(directory): \(message)"
        case .unsupportedArchitecture(let name, let supported):
            "architecture \"\(name)\" is not supported; supported: \(supported.joined(separator: ", "))"
        case .notFound(let message): message
        case .invalidInput(let message): "invalid model input: \(message)"
        }
    }
}
