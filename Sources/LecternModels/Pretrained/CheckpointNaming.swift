// From the names a checkpoint stores to the names a model asks for.
//
// Reference: transformers' `PreTrainedModel._load_pretrained_model` and
// `_fix_state_dict_key_on_load` (modeling_utils.py):
//   - legacy TensorFlow-era names: `LayerNorm.gamma` → `LayerNorm.weight`, `LayerNorm.beta` →
//     `LayerNorm.bias`;
//   - the base-model prefix (`bert.`, `transformer.`): a task model (BertForMaskedLM, whose
//     names start with `bert.`) loads a base checkpoint by adding it, and a base model
//     (BertModel) loads a task checkpoint by removing it — the task's head weights (`cls.…`)
//     are then not used, as in Python;
//   - GPT-2's Conv1D weights, stored [in, out], are transposed to the [out, in] of `Linear` as
//     they are read (and back when saved), so every layer here keeps one layout;
//   - buffers that old checkpoints saved but that are not parameters (`position_ids`, GPT-2's
//     causal-mask `attn.bias` / `attn.masked_bias`) are dropped.
// Everything else must match exactly: ParameterStore.finish() lists every name the model
// wanted and did not find, and every stored name nobody used.

import LecternCore
import LecternNN

/// The renaming rules of one model family.
///
///     let naming = CheckpointNaming(basePrefix: "bert", buffers: { $0.hasSuffix("position_ids") })
public struct CheckpointNaming: Sendable {
    /// The attribute under which task models keep the base model ("bert", "transformer").
    public var basePrefix: String
    /// Stored names that are buffers, not parameters, and are dropped.
    public var isBuffer: @Sendable (String) -> Bool
    /// Suffix renames applied to every stored name, in order: `(old, new)`.
    public var suffixRenames: [(String, String)]
    /// Model-side names whose 2-D checkpoint tensor is stored transposed, [in, out] (GPT-2's Conv1D).
    public var isTransposed: @Sendable (String) -> Bool = { _ in false }

    /// Rules for a family with base prefix `basePrefix`; legacy LayerNorm names are renamed.
    ///
    ///     CheckpointNaming(basePrefix: "bert", buffers: { $0.hasSuffix(".position_ids") })
    public init(basePrefix: String, buffers: @escaping @Sendable (String) -> Bool) {
        self.basePrefix = basePrefix
        isBuffer = buffers
        suffixRenames = [("LayerNorm.gamma", "LayerNorm.weight"), ("LayerNorm.beta", "LayerNorm.bias")]
    }
}

/// A checkpoint seen through a family's naming rules, for a base model (names without the
/// prefix) or a task model (names with it).
///
///     let source = RenamedCheckpoint(checkpoint, naming: naming, expectsPrefix: false)
///     source.ignored   // ["cls.predictions.bias", …] when BertModel loads a BertForPreTraining file
public final class RenamedCheckpoint: ParameterSource {
    let checkpoint: SafetensorsCheckpoint
    private let isTransposed: @Sendable (String) -> Bool
    private var storedName: [String: String] = [:]   // model name → stored name
    /// Model-side names available.
    public let names: [String]
    /// Stored names deliberately not used: buffers, and a task head's weights when a base model loads.
    public let ignored: [String]

    /// Maps `checkpoint`'s names for a model whose names start with the base prefix
    /// (`expectsPrefix`, a task model) or not (the base model).
    public init(_ checkpoint: SafetensorsCheckpoint, naming: CheckpointNaming, expectsPrefix: Bool) {
        self.checkpoint = checkpoint
        isTransposed = naming.isTransposed
        let prefix = naming.basePrefix + "."
        let stored = checkpoint.names
        let hasPrefix = stored.contains { $0.hasPrefix(prefix) }
        var ignored: [String] = []
        for original in stored {
            if naming.isBuffer(original) { ignored.append(original); continue }
            var name = original
            for (old, new) in naming.suffixRenames where name.hasSuffix(old) {
                name = String(name.dropLast(old.count)) + new
            }
            if hasPrefix && !expectsPrefix {
                // A base model from a task checkpoint: keep the encoder, leave the head.
                guard name.hasPrefix(prefix) else { ignored.append(original); continue }
                name.removeFirst(prefix.count)
            } else if !hasPrefix && expectsPrefix {
                // A task model from a base checkpoint: everything stored is the encoder.
                name = prefix + name
            }
            storedName[name] = original
        }
        names = storedName.keys.sorted()
        self.ignored = ignored.sorted()
    }

    public func shape(of name: String) -> [Int]? {
        guard let shape = storedName[name].flatMap({ checkpoint.shape(of: $0) }) else { return nil }
        return isTransposed(name) && shape.count == 2 ? shape.reversed() : shape
    }

    public func tensor(_ name: String) throws -> Tensor {
        let stored = try checkpoint.tensor(storedName[name] ?? name)
        return isTransposed(name) && stored.rank == 2 ? stored.transposed(0, 1) : stored   // [in, out] → [out, in]
    }
}
