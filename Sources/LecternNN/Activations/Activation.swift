// An activation chosen by name, as model configs choose it.
//
// Reference: Hugging Face's `ACT2FN` table (transformers/activations.py) and the config fields
// that index it (`hidden_act` in BERT, `activation_function` in GPT-2, `dense_act_fn` in T5).
// Decoding a config gives an `Activation`, and calling it applies the function, so a model
// never switches over strings in its forward pass. Aliases decode to one case when HF
// computes the same function under several names ("gelu_new", "gelu_pytorch_tanh" and
// "gelu_fast" are all the tanh approximation; "silu" and "swish" are the same).

/// An activation function named as in Hugging Face configs; decodable from those strings.
///
///     let act = try Activation(hfName: "gelu_new")   // GPT-2's activation_function
///     let h = act(x)                                 // same shape as x
///
///     struct Config: Decodable { let hiddenAct: Activation }   // "hidden_act": "gelu"
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// max(0, x): "relu".
    case relu
    /// Exact erf GELU: "gelu" (BERT).
    case gelu
    /// Tanh-approximated GELU: "gelu_new", also "gelu_pytorch_tanh" and "gelu_fast" (GPT-2).
    case geluNew = "gelu_new"
    /// x·σ(1.702x): "quick_gelu".
    case quickGelu = "quick_gelu"
    /// x·σ(x): "silu", also "swish".
    case silu
    /// tanh(x): "tanh".
    case tanh
    /// σ(x): "sigmoid".
    case sigmoid
    /// The identity: "linear".
    case linear

    /// HF names that compute the same function as one of the cases above.
    private static let aliases: [String: Activation] = [
        "gelu_pytorch_tanh": .geluNew, "gelu_fast": .geluNew, "gelu_python": .gelu, "swish": .silu,
    ]

    /// The activation HF calls `hfName`, or an error listing the names this library knows.
    ///
    ///     try Activation(hfName: "gelu")              // .gelu
    ///     try Activation(hfName: "gelu_pytorch_tanh") // .geluNew
    ///     try Activation(hfName: "mish")              // throws UnknownActivationError
    public init(hfName: String) throws(UnknownActivationError) {
        if let known = Activation(rawValue: hfName) ?? Activation.aliases[hfName] {
            self = known
        } else {
            throw UnknownActivationError(name: hfName,
                                         supported: (Activation.allCases.map(\.rawValue) + Activation.aliases.keys).sorted())
        }
    }

    /// Decodes the HF name from a single string value, accepting the aliases.
    ///
    ///     try JSONDecoder().decode(Activation.self, from: Data(#""swish""#.utf8))   // .silu
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = try Activation(hfName: name)
    }

    /// Applies the function elementwise.
    ///
    ///     Activation.relu(Tensor(shape: [2], scalars: [-1, 1])).scalars   // [0, 1]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: LecternNN.relu(x)
        case .gelu: LecternNN.gelu(x)
        case .geluNew: LecternNN.geluNew(x)
        case .quickGelu: LecternNN.quickGelu(x)
        case .silu: LecternNN.silu(x)
        case .tanh: LecternNN.tanh(x)
        case .sigmoid: LecternNN.sigmoid(x)
        case .linear: x
        }
    }
}

/// A config named an activation this library does not implement.
///
///     do { _ = try Activation(hfName: "mish") }
///     catch { print(error) }   // unknown activation "mish"; supported: gelu, gelu_fast, …
public struct UnknownActivationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The name found in the config.
    ///
    ///     error.name   // "mish"
    public let name: String
    /// Every name that decodes, sorted.
    ///
    ///     error.supported.contains("gelu_new")   // true
    public let supported: [String]

    /// The message, naming the unknown activation and the supported ones.
    ///
    ///     print(error)   // unknown activation "mish"; supported: …
    public var description: String {
        "unknown activation \"\(name)\"; supported: \(supported.joined(separator: ", "))"
    }
}
