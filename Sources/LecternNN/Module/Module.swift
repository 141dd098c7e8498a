// Modules: layers and models that own parameters and child modules, with PyTorch's names.
//
// Reference: `torch.nn.Module` (PyTorch 2.x): `named_parameters()`, `named_children()`,
// `named_modules()`, `train()` / `eval()`. A parameter's name is the dotted path from the root
// module, `encoder.layer.0.attention.self.query.weight`, exactly as Hugging Face checkpoints
// name their tensors, so a checkpoint loads by name with no renaming table.
//
// Swift has no `__setattr__` hook to register members automatically, so a conformer lists them:
// its own parameters (`ownParameters`) and its named children (`children`), each with the name
// that PyTorch gives the attribute. Everything else — the recursive walk, the dotted paths,
// lists of layers numbered `.0`, `.1`, …, the train/eval switch — is written once, here.

/// Named parameters, in a fixed order: `[("weight", weight), ("bias", bias)]`.
///
///     var ownParameters: NamedParameters { [("weight", weight), ("bias", bias)] }
public typealias NamedParameters = [(name: String, parameter: Parameter)]

/// Named child modules, in a fixed order: `[("embeddings", embeddings), ("encoder", encoder)]`.
/// Build lists of layers with ``namedList(_:_:)``.
///
///     var children: NamedModules { [("wte", wte)] + namedList("h", blocks) }
public typealias NamedModules = [(name: String, module: any Module)]

/// A layer or a model: it owns parameters and child modules, and names them like PyTorch.
///
/// A conformer lists its own parameters and its children with the attribute names PyTorch
/// uses; parameter paths, counts, state dicts and the train/eval switch come for free:
///
///     final class MLP: Module {
///         var training = true
///         let layers: [Linear]
///         init(using rng: inout SeededGenerator) {
///             layers = [Linear(inFeatures: 4, outFeatures: 8, using: &rng),
///                       Linear(inFeatures: 8, outFeatures: 2, using: &rng)]
///         }
///         var children: NamedModules { namedList("layers", layers) }
///         func callAsFunction(_ x: Tensor) -> Tensor { layers[1](relu(layers[0](x))) }
///     }
///     MLP(using: &rng).namedParameters().map(\.name)
///     // ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
///
/// Declare the two lists with the type aliases ``NamedParameters`` and ``NamedModules``: a
/// property of another type would not replace the empty default.
public protocol Module: AnyObject {
    /// Whether the module is in training mode (dropout active). Set it for a whole tree with
    /// ``train(_:)`` and ``eval()``; store it as `var training = true`, PyTorch's default.
    ///
    ///     model.eval()
    ///     model.training   // false
    var training: Bool { get set }

    /// The parameters this module owns directly (not its children's), with their attribute
    /// names, in the order PyTorch registers them. Default: none.
    ///
    ///     var ownParameters: NamedParameters { [("weight", weight), ("bias", bias)] }
    var ownParameters: NamedParameters { get }

    /// The direct child modules with their attribute names. Default: none.
    ///
    ///     var children: NamedModules { [("embeddings", embeddings)] + namedList("layer", layers) }
    var children: NamedModules { get }
}

extension Module {
    /// No parameters of its own (a container, or a layer such as ``Dropout``).
    ///
    ///     Dropout(p: 0.1).ownParameters.isEmpty   // true
    public var ownParameters: NamedParameters { [] }

    /// No children (a leaf layer).
    ///
    ///     LayerNorm(8).children.isEmpty   // true
    public var children: NamedModules { [] }

    /// Every module in the tree, this one first (named ""), then each child's subtree in order,
    /// with dotted paths: PyTorch's `named_modules()`. A module reachable twice is listed once.
    ///
    ///     mlp.namedModules().map(\.name)   // ["", "layers.0", "layers.1"]
    public func namedModules() -> NamedModules {
        var seen = Set<ObjectIdentifier>()
        var result: NamedModules = []
        func visit(_ module: any Module, _ path: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            result.append((path, module))
            for child in module.children {
                visit(child.module, path.isEmpty ? child.name : path + "." + child.name)
            }
        }
        visit(self, "")
        return result
    }

    /// Every parameter in the tree with its dotted path (`encoder.layer.0.output.dense.weight`):
    /// PyTorch's `named_parameters()`. A parameter shared by two modules (tied weights) is
    /// listed once, under its first name, so an optimizer never updates it twice.
    ///
    ///     for (name, p) in model.namedParameters() { print(name, p.shape) }
    public func namedParameters() -> NamedParameters {
        var seen = Set<ObjectIdentifier>()
        return allNamedParameters().filter { seen.insert(ObjectIdentifier($0.parameter)).inserted }
    }

    /// Every parameter of the tree, without names, for an optimizer: PyTorch's `parameters()`.
    ///
    ///     let optimizer = AdamW(model.parameters(), lr: 1e-3)
    public func parameters() -> [Parameter] {
        namedParameters().map(\.parameter)
    }

    /// The number of trainable scalars (shared parameters counted once).
    ///
    ///     Linear(inFeatures: 768, outFeatures: 3072, using: &rng).parameterCount   // 2_362_368
    public var parameterCount: Int {
        parameters().reduce(0) { $0 + $1.count }
    }

    /// Every (path, parameter) pair including the repeats of shared parameters, as PyTorch's
    /// `state_dict()` lists them: a tied weight appears under each of its names.
    func allNamedParameters() -> NamedParameters {
        var result: NamedParameters = []
        for (path, module) in namedModulesAllowingRepeats() {
            for own in module.ownParameters {
                result.append((path.isEmpty ? own.name : path + "." + own.name, own.parameter))
            }
        }
        return result
    }

    /// Like ``namedModules()``, but a module reachable under two names is listed under both
    /// (to name both copies of a tied weight). A cycle would be a bug in a model: stopped by
    /// tracking the modules on the current path.
    private func namedModulesAllowingRepeats() -> NamedModules {
        var result: NamedModules = []
        var onPath = Set<ObjectIdentifier>()
        func visit(_ module: any Module, _ path: String) {
            let id = ObjectIdentifier(module)
            require(onPath.insert(id).inserted, "Module: '\(path)' contains itself; modules must form a tree")
            result.append((path, module))
            for child in module.children {
                visit(child.module, path.isEmpty ? child.name : path + "." + child.name)
            }
            onPath.remove(id)
        }
        visit(self, "")
        return result
    }

    /// Sets training mode on this module and every descendant (PyTorch's `train(mode)`):
    /// dropout is active in training mode and the identity otherwise.
    ///
    ///     model.train()          // before a training loop
    ///     model.train(false)     // the same as eval()
    public func train(_ mode: Bool = true) {
        for (_, module) in namedModules() { module.training = mode }
    }

    /// Sets evaluation mode on the whole tree: `train(false)`. Dropout becomes the identity.
    ///
    ///     model.eval()
    ///     let logits = Tensor.withoutGradients { model(inputIDs) }
    public func eval() {
        train(false)
    }

    /// Clears the gradient of every parameter (PyTorch's `module.zero_grad()`).
    ///
    ///     model.zeroGrad()
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// Sets ``Parameter/requiresGrad`` on every parameter of the tree (PyTorch's
    /// `module.requires_grad_(flag)`): false freezes them (constants to the graph, skipped by
    /// optimizers), true makes them trainable again.
    ///
    ///     bert.requiresGrad(false)                  // freeze the encoder…
    ///     let optimizer = AdamW(head.parameters())  // …and train only the head
    public func requiresGrad(_ flag: Bool) {
        for p in parameters() { p.requiresGrad = flag }
    }

    /// The parameters that train (``Parameter/requiresGrad`` true), for an optimizer.
    ///
    ///     let optimizer = AdamW(model.trainableParameters(), lr: 1e-4)
    public func trainableParameters() -> [Parameter] {
        parameters().filter(\.requiresGrad)
    }
}

/// Children for a list of layers, named `name.0`, `name.1`, …, the paths PyTorch gives an
/// `nn.ModuleList` attribute (`encoder.layer.3.attention…` in BERT, `h.11.mlp…` in GPT-2).
///
///     var children: NamedModules { [("embeddings", embeddings)] + namedList("layer", layers) }
///
/// Parameter names are PyTorch's exactly. The list itself is not a module here, so
/// ``Module/namedModules()`` lists `layer.0`, `layer.1`, … but not PyTorch's `layer` entry.
public func namedList<M: Module>(_ name: String, _ modules: [M]) -> NamedModules {
    modules.enumerated().map { (name + "." + String($0.offset), $0.element as any Module) }
}

/// ``namedList(_:_:)`` for a list of modules of different types.
///
///     var children: NamedModules { namedList("blocks", [attention, feedForward] as [any Module]) }
public func namedList(_ name: String, _ modules: [any Module]) -> NamedModules {
    modules.enumerated().map { (name + "." + String($0.offset), $0.element) }
}
