// State dicts: every parameter of a model by its dotted name, and loading one back.
//
// Reference: `torch.nn.Module.state_dict()` and `load_state_dict(state_dict, strict=True)`
// (PyTorch 2.x). As in PyTorch, a tied weight is listed under each of its names; a strict load
// fails on missing or unexpected names; a shape mismatch fails even when not strict; a
// non-strict load returns the missing and unexpected names.
//
// Departures (safer than PyTorch): the whole dict is checked before anything is copied, so a
// load that fails leaves the model exactly as it was, and the error lists every problem at once
// rather than the first: loading a checkpoint into the wrong architecture usually has dozens.
// And a tied weight (one Parameter under two names) counts as present when the dict has it
// under either name, as Hugging Face's `_tied_weights_keys` arranges for GPT-2's lm_head.

/// Why a state dict could not be loaded: every missing name, unexpected name and shape mismatch.
///
///     do { try model.loadStateDict(weights) }
///     catch let error as StateDictError { print(error) }
///     // Error(s) in loading state dict:
///     //   encoder.layer.0.intermediate.dense.weight: checkpoint has [768, 768], model expects [3072, 768]
///     //   missing (in the model, not in the checkpoint): pooler.dense.bias
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    /// A parameter whose checkpoint tensor has the wrong shape.
    ///
    ///     for m in error.shapeMismatches { print(m.name, m.checkpointShape, m.modelShape) }
    public struct ShapeMismatch: Equatable, Sendable {
        /// The parameter's dotted name.
        ///
        ///     mismatch.name   // "encoder.layer.0.output.dense.weight"
        public var name: String
        /// The shape in the checkpoint.
        ///
        ///     mismatch.checkpointShape   // [768, 768]
        public var checkpointShape: [Int]
        /// The shape the model's parameter has.
        ///
        ///     mismatch.modelShape   // [768, 3072]
        public var modelShape: [Int]

        /// A mismatch for parameter `name`.
        ///
        ///     StateDictError.ShapeMismatch(name: "head.weight", checkpointShape: [4, 3], modelShape: [3, 4])
        public init(name: String, checkpointShape: [Int], modelShape: [Int]) {
            self.name = name
            self.checkpointShape = checkpointShape
            self.modelShape = modelShape
        }
    }

    /// Names the model has and the checkpoint lacks (sorted).
    ///
    ///     error.missing   // ["pooler.dense.bias", "pooler.dense.weight"]
    public var missing: [String]
    /// Names the checkpoint has and the model lacks (sorted).
    ///
    ///     error.unexpected   // ["cls.predictions.bias"]
    public var unexpected: [String]
    /// Names present in both with different shapes (sorted by name).
    ///
    ///     error.shapeMismatches.map(\.name)   // ["embeddings.word_embeddings.weight"]
    public var shapeMismatches: [ShapeMismatch]

    /// An error with the given problems (each list sorted).
    ///
    ///     StateDictError(missing: ["pooler.dense.bias"], unexpected: [], shapeMismatches: [])
    public init(missing: [String], unexpected: [String], shapeMismatches: [ShapeMismatch]) {
        self.missing = missing
        self.unexpected = unexpected
        self.shapeMismatches = shapeMismatches
    }

    /// One line per problem, shape mismatches first (they mean the wrong architecture or
    /// config), in the style `name: checkpoint has [a, b], model expects [c, d]`.
    ///
    ///     print(error)   // Error(s) in loading state dict: …
    public var description: String {
        var lines = ["Error(s) in loading state dict:"]
        for m in shapeMismatches {
            lines.append("  \(m.name): checkpoint has \(m.checkpointShape), model expects \(m.modelShape)")
        }
        if !missing.isEmpty {
            lines.append("  missing (in the model, not in the checkpoint): " + missing.joined(separator: ", "))
        }
        if !unexpected.isEmpty {
            lines.append("  unexpected (in the checkpoint, not in the model): " + unexpected.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// What a non-strict ``Module/loadStateDict(_:strict:)`` could not match (PyTorch's
/// `_IncompatibleKeys`).
///
///     let result = try model.loadStateDict(weights, strict: false)
///     result.missingKeys      // e.g. ["lm_head.weight"]
///     result.unexpectedKeys   // e.g. ["pooler.dense.weight", "pooler.dense.bias"]
public struct LoadStateDictResult: Equatable, Sendable {
    /// Model parameters the dict did not provide; they keep their current values (sorted).
    ///
    ///     try model.loadStateDict(weights, strict: false).missingKeys   // ["lm_head.weight"]
    public var missingKeys: [String]
    /// Dict entries that name no parameter of the model; ignored (sorted).
    ///
    ///     try model.loadStateDict(weights, strict: false).unexpectedKeys   // []
    public var unexpectedKeys: [String]

    /// A result with the given names (each list sorted).
    ///
    ///     LoadStateDictResult(missingKeys: [], unexpectedKeys: [])   // everything matched
    public init(missingKeys: [String], unexpectedKeys: [String]) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
    }
}

extension Module {
    /// Every parameter's current value by dotted name (PyTorch's `state_dict()`): the tensors
    /// to save. The tensors are detached copies (copy-on-write, so no data is copied now).
    ///
    ///     let weights = model.stateDict()
    ///     weights["layers.0.weight"]!.shape   // [8, 4]
    ///
    /// A tied weight appears under each of its names, as in PyTorch.
    public func stateDict() -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        for (name, parameter) in allNamedParameters() { dict[name] = parameter.value.detached() }
        return dict
    }

    /// The dotted names of ``stateDict()``, in the model's order (PyTorch's `state_dict().keys()`).
    ///
    ///     model.stateDictNames()   // ["layers.0.weight", "layers.0.bias", …]
    public func stateDictNames() -> [String] {
        allNamedParameters().map(\.name)
    }

    /// Copies the tensors of `stateDict` into the parameters with the same names
    /// (PyTorch's `load_state_dict`). Parameters keep their identity, so an optimizer built
    /// before the load keeps working.
    ///
    ///     try model.loadStateDict(weights)                       // every name must match
    ///     let r = try model.loadStateDict(weights, strict: false) // skip what does not match
    ///     print(r.missingKeys, r.unexpectedKeys)
    ///
    /// - Throws: ``StateDictError`` listing every problem, if a shape differs, or if `strict`
    ///   and a name is missing or unexpected. Nothing is loaded when it throws.
    @discardableResult
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError) -> LoadStateDictResult {
        let plan = try planLoad(shapes: stateDict.mapValues(\.shape), strict: strict)
        for (name, parameter) in plan.targets { parameter.copyIn(stateDict[name]!) }
        return plan.result
    }

    /// The checks behind ``loadStateDict(_:strict:)`` for a source described by its tensors'
    /// shapes: which parameters to fill, and what does not match. Throws without touching the
    /// model, so a source that materialises tensors lazily (a safetensors file) reads only the
    /// tensors the model needs, and only once every check has passed.
    func planLoad(shapes: [String: [Int]], strict: Bool) throws(StateDictError)
        -> (targets: NamedParameters, result: LoadStateDictResult) {
        let named = allNamedParameters()
        let modelNames = Set(named.map(\.name))
        // A tied weight saved under one of its names only (GPT-2 checkpoints have `wte.weight`
        // but no `lm_head.weight`) is loaded through that name: the other is not missing.
        let provided = Set(named.filter { shapes[$0.name] != nil }.map { ObjectIdentifier($0.parameter) })
        let missing = named.filter { !provided.contains(ObjectIdentifier($0.parameter)) }.map(\.name).sorted()
        let unexpected = shapes.keys.filter { !modelNames.contains($0) }.sorted()
        var mismatches: [StateDictError.ShapeMismatch] = []
        for (name, parameter) in named {
            if let shape = shapes[name], shape != parameter.shape {
                mismatches.append(.init(name: name, checkpointShape: shape, modelShape: parameter.shape))
            }
        }
        if !mismatches.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty)) {
            throw StateDictError(missing: missing, unexpected: unexpected,
                                 shapeMismatches: mismatches.sorted { $0.name < $1.name })
        }
        return (named.filter { shapes[$0.name] != nil }, LoadStateDictResult(missingKeys: missing, unexpectedKeys: unexpected))
    }
}

extension Parameter {
    /// Overwrites the value's scalars with `source`'s, in place: the gradient identity (and so
    /// an optimizer's hold on this parameter) is unchanged. Shapes must already match.
    func copyIn(_ source: Tensor) {
        require(source.shape == shape, "Parameter.copyIn: shape \(source.shape) for a parameter of shape \(shape)")
        source.withUnsafeScalars { src in
            value.withUnsafeMutableScalars { dst in
                _ = dst.update(fromContentsOf: src)
            }
        }
    }
}
