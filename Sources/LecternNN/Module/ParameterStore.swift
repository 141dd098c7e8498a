// Where a model's parameters come from while it is being built: fresh random values, or a
// checkpoint read by name.
//
// Reference: Hugging Face's `PreTrainedModel.from_pretrained`, which builds the model on the
// "meta" device (no memory, no random numbers) and then fills every parameter from the
// checkpoint, and `_init_weights`, which a model runs instead when it is created from a config.
//
// Why a store instead of "build randomly, then `loadStateDict`": a BERT-base built at random
// draws 110 M normal numbers only to throw them away, and needs twice the memory while the
// checkpoint is copied in. Here each layer asks its `ParameterScope` for a tensor by its dotted
// name (`encoder.layer.0.attention.self.query.weight`) and a shape, with the initialiser it
// would use for a new model. A random store runs the initialiser; a checkpoint store reads the
// tensor under that name and never runs it. The checkpoint store records what went wrong —
// missing names, wrong shapes — and ``ParameterStore/finish()`` reports it all at once, in the
// same ``StateDictError`` as `loadStateDict`, together with the names nobody asked for.
//
// The names a layer asks for are the names `namedParameters()` later reports, so a model that
// builds through a scope saves and loads under the same names (a test checks both lists agree
// for every architecture).

/// How a new parameter is initialised when it does not come from a checkpoint.
///
///     scope.parameter("weight", shape: [768, 768], initial: .normal(std: 0.02))
public enum ParameterInitializer {
    /// All zeros (biases).
    case zeros
    /// All ones (LayerNorm's gain).
    case ones
    /// N(0, std²) (BERT's and GPT-2's `_init_weights`: std = `initializer_range`).
    case normal(std: Float)
    /// U(−bound, bound) (PyTorch's default for `nn.Linear`: bound = 1/√in_features).
    case uniform(bound: Float)
    /// Anything else: a function of the generator and the shape.
    case custom(@Sendable (inout SeededGenerator, [Int]) -> Tensor)

    func make(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
        switch self {
        case .zeros: Tensor.zeros(shape)
        case .ones: Tensor.ones(shape)
        case .normal(let std): Tensor.randn(shape, std: std, using: &generator)
        case .uniform(let bound): Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
        case .custom(let make): make(&generator, shape)
        }
    }
}

/// Tensors by name, as a checkpoint offers them: only the names and shapes are read up front,
/// and each tensor is read when a layer asks for it.
///
///     final class Weights: ParameterSource {
///         let tensors: [String: Tensor]
///         init(_ t: [String: Tensor]) { tensors = t }
///         var names: [String] { Array(tensors.keys) }
///         func shape(of name: String) -> [Int]? { tensors[name]?.shape }
///         func tensor(_ name: String) throws -> Tensor { tensors[name]! }
///     }
public protocol ParameterSource: AnyObject {
    /// Every name the source holds.
    var names: [String] { get }
    /// The shape stored under `name`, or nil when there is no such name.
    func shape(of name: String) -> [Int]?
    /// The tensor stored under `name` (called only for names that exist, with a matching shape).
    func tensor(_ name: String) throws -> Tensor
}

/// Builds the parameters of one model, from a generator or from a ``ParameterSource``.
///
///     var rng = SeededGenerator(seed: 0)
///     let store = ParameterStore(generator: rng)
///     let layer = Linear(store.root("classifier"), inFeatures: 4, outFeatures: 2)
///     layer.weight.shape   // [2, 4]
public final class ParameterStore {
    enum Origin {
        case zeros
        case random(SeededGenerator)
        case source(any ParameterSource)
    }

    var origin: Origin
    private var fallback: SeededGenerator?
    private var initializesMissing: (String) -> Bool = { _ in false }
    private(set) var requested: [String] = []
    private var requestedSet = Set<String>()
    private var missing: [String] = []
    private var mismatches: [StateDictError.ShapeMismatch] = []
    private var readErrors: [String] = []

    /// A store that initialises every parameter with its initialiser, drawing from `generator`.
    ///
    ///     let store = ParameterStore(generator: SeededGenerator(seed: 42))
    public init(generator: SeededGenerator) {
        origin = .random(generator)
    }

    /// A store that makes every parameter zero, without drawing random numbers: for counting
    /// parameters and checking shapes of a big configuration quickly.
    ///
    ///     let large = try BertModel(config: .large, parameters: ParameterStore.zeros().root)
    ///     large.parameterCount   // 335_141_888
    public static func zeros() -> ParameterStore {
        let store = ParameterStore(generator: SeededGenerator(seed: 0))
        store.origin = .zeros
        return store
    }

    /// A store that reads every parameter from `source` by its dotted name.
    ///
    ///     let store = ParameterStore(source: checkpoint)
    public init(source: any ParameterSource) {
        origin = .source(source)
    }

    /// A store that reads from `source`, but makes new parameters with their initialisers
    /// (drawing from `generator`) for the missing names that `initializingMissing` accepts:
    /// a classification head on top of a pre-trained encoder, as Hugging Face's
    /// `from_pretrained` creates one (and warns). The names made are in ``newlyInitialized``.
    ///
    ///     let store = ParameterStore(source: checkpoint, initializingMissing: { $0.hasPrefix("classifier.") },
    ///                                generator: SeededGenerator(seed: 0))
    public init(source: any ParameterSource, initializingMissing: @escaping (String) -> Bool, generator: SeededGenerator) {
        origin = .source(source)
        fallback = generator
        initializesMissing = initializingMissing
    }

    /// The names a checkpoint lacked that were initialised instead (see
    /// ``init(source:initializingMissing:generator:)``).
    ///
    ///     store.newlyInitialized   // ["classifier.bias", "classifier.weight"]
    public private(set) var newlyInitialized: [String] = []

    /// The scope of the whole model: its children are named from here.
    ///
    ///     store.root("embeddings")("word_embeddings").path   // "embeddings.word_embeddings"
    public var root: ParameterScope { ParameterScope(store: self, path: "") }

    /// Every name asked for so far, in order.
    ///
    ///     store.requestedNames.first   // "embeddings.word_embeddings.weight"
    public var requestedNames: [String] { requested }

    /// Checks that the checkpoint matched the model: throws a ``StateDictError`` listing every
    /// name the model asked for that the source lacks or holds with another shape, and every
    /// name of the source that nobody asked for, except those `ignoring` accepts (buffers such
    /// as `position_ids`, a head the model does not have). A random store never throws.
    ///
    ///     let model = BertModel(config, parameters: store.root)
    ///     try store.finish(ignoring: { $0.hasSuffix("position_ids") })
    public func finish(ignoring ignored: (String) -> Bool = { _ in false }) throws {
        guard case .source(let source) = origin else { return }
        let unexpected = source.names.filter { !requestedSet.contains($0) && !ignored($0) }.sorted()
        if !readErrors.isEmpty {
            throw ParameterReadError(messages: readErrors)
        }
        if !missing.isEmpty || !unexpected.isEmpty || !mismatches.isEmpty {
            throw StateDictError(missing: missing.sorted(), unexpected: unexpected,
                                 shapeMismatches: mismatches.sorted { $0.name < $1.name })
        }
    }

    func parameter(_ name: String, shape: [Int], initial: ParameterInitializer) -> Parameter {
        require(requestedSet.insert(name).inserted,
                "ParameterStore: the parameter '\(name)' was asked for twice; tie a shared weight with ParameterScope.tied(_:to:)")
        requested.append(name)
        switch origin {
        case .zeros:
            return Parameter(Tensor.zeros(shape))
        case .random(var generator):
            let value = initial.make(shape, using: &generator)
            origin = .random(generator)
            return Parameter(value)
        case .source(let source):
            guard let stored = source.shape(of: name) else {
                if var generator = fallback, initializesMissing(name) {
                    newlyInitialized.append(name)
                    let value = initial.make(shape, using: &generator)
                    fallback = generator
                    return Parameter(value)
                }
                missing.append(name)
                return Parameter(Tensor.zeros(shape))
            }
            guard stored == shape else {
                mismatches.append(.init(name: name, checkpointShape: stored, modelShape: shape))
                return Parameter(Tensor.zeros(shape))
            }
            do {
                return Parameter(try source.tensor(name))
            } catch {
                readErrors.append("\(name): \(error)")
                return Parameter(Tensor.zeros(shape))
            }
        }
    }

    func tie(_ name: String, to parameter: Parameter) -> Parameter {
        // A tied name is the same Parameter under a second path. A checkpoint may or may not
        // store it (Hugging Face drops tied copies when it saves), so it is never "missing";
        // when it is stored, it is consumed, and its shape must agree.
        require(requestedSet.insert(name).inserted, "ParameterStore: the parameter '\(name)' was asked for twice")
        requested.append(name)
        if case .source(let source) = origin, let stored = source.shape(of: name), stored != parameter.shape {
            mismatches.append(.init(name: name, checkpointShape: stored, modelShape: parameter.shape))
        }
        return parameter
    }

    func drawSeed() -> UInt64 {
        guard case .random(var generator) = origin else { return fallback?.next() ?? 0 }
        let seed = generator.next()
        origin = .random(generator)
        return seed
    }
}

/// A dotted path inside a model under construction: what a layer uses to ask for its own
/// parameters and to name its children's.
///
///     let attention = scope("encoder")("layer")(0)("attention")
///     attention.path   // "encoder.layer.0.attention"
public struct ParameterScope {
    let store: ParameterStore
    /// The dotted path of this scope ("" for the model itself).
    public let path: String

    init(store: ParameterStore, path: String) {
        self.store = store
        self.path = path
    }

    /// The scope of the child named `name`.
    ///
    ///     scope("embeddings").path   // "embeddings"
    public func callAsFunction(_ name: String) -> ParameterScope {
        ParameterScope(store: store, path: qualified(name))
    }

    /// The scope of item `index` of a list of children (`layer.0`, `layer.1`, …).
    ///
    ///     scope("layer")(3).path   // "layer.3"
    public func callAsFunction(_ index: Int) -> ParameterScope {
        self(String(index))
    }

    /// A parameter of this scope: read from the checkpoint, or made by `initial`.
    ///
    ///     let bias = scope.parameter("bias", shape: [768], initial: .zeros)
    public func parameter(_ name: String, shape: [Int], initial: ParameterInitializer) -> Parameter {
        store.parameter(qualified(name), shape: shape, initial: initial)
    }

    /// Registers `parameter` (owned elsewhere) under this scope's `name` too: a tied weight,
    /// such as the masked-LM decoder that reuses the word embeddings.
    ///
    ///     let decoderWeight = scope.tied("weight", to: wordEmbeddings.weight)
    public func tied(_ name: String, to parameter: Parameter) -> Parameter {
        store.tie(qualified(name), to: parameter)
    }

    /// A seed for a layer's own generator (dropout): drawn from the store's generator, or 0
    /// when loading (dropout is off in eval mode, and reproducible either way).
    ///
    ///     Dropout(p: 0.1, seed: scope.seed())
    public func seed() -> UInt64 { store.drawSeed() }

    private func qualified(_ name: String) -> String { path.isEmpty ? name : path + "." + name }
}

/// A checkpoint tensor that exists with the right shape but could not be read (a damaged file,
/// an integer dtype where floats are needed).
///
///     catch let error as ParameterReadError { print(error) }
public struct ParameterReadError: Error, CustomStringConvertible {
    /// One line per tensor: `name: reason`.
    public let messages: [String]
    /// All the lines, under a heading.
    public var description: String {
        (["Could not read these tensors:"] + messages.map { "  " + $0 }).joined(separator: "\n")
    }
}
