// Modules: PyTorch's dotted parameter names, state dicts, strict and non-strict loading with
// their errors, safetensors save/load round trips, loading a checkpoint written by PyTorch
// (Fixtures/tiny_model.safetensors and checkpoint.json, from Scripts/fixtures/nn_reference.py)
// and reproducing its output, train/eval, and tied weights.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

/// The Swift twin of nn_reference.py's TinyModel: Embedding → [Linear, ReLU] × 2 → LayerNorm →
/// Linear, with an `encoder` holding a list of layers and a norm.
final class TinyModel: Module {
    final class Encoder: Module {
        var training = true
        let layers: [Linear]
        let norm = LayerNorm(4)
        init(using rng: inout SeededGenerator) {
            layers = [Linear(inFeatures: 4, outFeatures: 4, using: &rng),
                      Linear(inFeatures: 4, outFeatures: 4, bias: false, using: &rng)]
        }
        var children: NamedModules { namedList("layers", layers) + [("norm", norm)] }
    }

    var training = true
    let embed: Embedding
    let encoder: Encoder
    let head: Linear
    let dropout = Dropout(p: 0.5)

    init(seed: UInt64 = 0) {
        var rng = SeededGenerator(seed: seed)
        embed = Embedding(numEmbeddings: 5, embeddingDim: 4, using: &rng)
        encoder = Encoder(using: &rng)
        head = Linear(inFeatures: 4, outFeatures: 3, using: &rng)
    }

    var children: NamedModules { [("embed", embed), ("encoder", encoder), ("head", head), ("dropout", dropout)] }

    func callAsFunction(_ ids: [[Int]]) -> Tensor {
        var h = dropout(embed(ids))                         // (B, T, 4)
        for layer in encoder.layers { h = relu(layer(h)) }  // (B, T, 4)
        return head(encoder.norm(h))                        // (B, T, 3)
    }
}

private struct CheckpointFixture: Decodable {
    let names: [String]
    let shapes: [String: [Int]]
    let parameterCount: Int
    let ids: [[Int]]
    let output: TensorFixture
    let safetensors: String
}

final class ModuleTests: XCTestCase {
    private var temporary: URL!

    override func setUpWithError() throws {
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-nn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporary)
    }

    func testParameterNamesAreThoseOfTheSamePyTorchModel() throws {
        let fixture = try Fixtures.load(CheckpointFixture.self, from: "checkpoint.json")
        let model = TinyModel()
        XCTAssertEqual(model.namedParameters().map(\.name), fixture.names, "same names, same order as state_dict()")
        XCTAssertEqual(model.stateDictNames(), fixture.names)
        for (name, parameter) in model.namedParameters() {
            XCTAssertEqual(parameter.shape, fixture.shapes[name], name)
        }
        XCTAssertEqual(model.parameterCount, fixture.parameterCount)
        XCTAssertEqual(model.namedModules().map(\.name),
                       ["", "embed", "encoder", "encoder.layers.0", "encoder.layers.1", "encoder.norm", "head", "dropout"])
    }

    func testLoadsAPyTorchCheckpointAndReproducesItsOutput() throws {
        let fixture = try Fixtures.load(CheckpointFixture.self, from: "checkpoint.json")
        let model = TinyModel(seed: 99)
        let result = try model.load(from: Fixtures.url(fixture.safetensors))
        XCTAssertEqual(result, LoadStateDictResult(missingKeys: [], unexpectedKeys: []))
        model.eval()  // dropout off, as PyTorch's model had no dropout
        let output = Tensor.withoutGradients { model(fixture.ids) }
        assertClose(output, fixture.output, absolute: 1e-5, "forward pass of the loaded PyTorch weights")
    }

    func testSaveThenLoadRoundTripsEveryParameter() throws {
        let url = temporary.appendingPathComponent("model.safetensors")
        let original = TinyModel(seed: 1)
        try original.save(to: url)
        // The file is an ordinary safetensors file with HF's metadata and the state-dict names.
        let file = try SafetensorsFile.open(url)
        XCTAssertEqual(file.names, original.stateDictNames().sorted())
        XCTAssertEqual(file.metadata["format"], "pt")
        XCTAssertEqual(try file.floats("head.weight"), original.head.weight.value.scalars)

        let copy = TinyModel(seed: 2)
        XCTAssertNotEqual(copy.head.weight.value.scalars, original.head.weight.value.scalars)
        try copy.load(from: url)
        let saved = original.stateDict(), loaded = copy.stateDict()
        XCTAssertEqual(Set(saved.keys), Set(loaded.keys))
        for (name, tensor) in saved {
            XCTAssertEqual(loaded[name]?.shape, tensor.shape, name)
            XCTAssertEqual(loaded[name]?.scalars, tensor.scalars, name)
        }
    }

    func testStrictLoadListsEveryProblemAndLoadsNothing() throws {
        let model = TinyModel(seed: 3)
        var weights = TinyModel(seed: 4).stateDict()
        weights["encoder.layers.0.weight"] = Tensor.zeros([4, 5])
        weights["head.bias"] = nil
        weights["pooler.dense.weight"] = Tensor.zeros([2, 2])
        let before = model.stateDict()
        XCTAssertThrowsError(try model.loadStateDict(weights)) { error in
            guard let error = error as? StateDictError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.missing, ["head.bias"])
            XCTAssertEqual(error.unexpected, ["pooler.dense.weight"])
            XCTAssertEqual(error.shapeMismatches,
                           [.init(name: "encoder.layers.0.weight", checkpointShape: [4, 5], modelShape: [4, 4])])
            XCTAssertEqual(error.description, """
                Error(s) in loading state dict:
                  encoder.layers.0.weight: checkpoint has [4, 5], model expects [4, 4]
                  missing (in the model, not in the checkpoint): head.bias
                  unexpected (in the checkpoint, not in the model): pooler.dense.weight
                """)
        }
        for (name, tensor) in model.stateDict() {
            XCTAssertEqual(tensor.scalars, before[name]!.scalars, "\(name) must be untouched by a failed load")
        }
        // Not strict: a shape mismatch still fails (as in PyTorch)…
        XCTAssertThrowsError(try model.loadStateDict(weights, strict: false))
        // …while missing and unexpected names are reported and the rest is loaded.
        weights["encoder.layers.0.weight"] = nil
        let result = try model.loadStateDict(weights, strict: false)
        XCTAssertEqual(result.missingKeys, ["encoder.layers.0.weight", "head.bias"])
        XCTAssertEqual(result.unexpectedKeys, ["pooler.dense.weight"])
        XCTAssertEqual(model.head.weight.value.scalars, weights["head.weight"]!.scalars)
        XCTAssertEqual(model.encoder.layers[0].weight.value.scalars, before["encoder.layers.0.weight"]!.scalars)
    }

    func testLoadingAFileWithTheWrongShapesFailsBeforeReading() throws {
        let url = temporary.appendingPathComponent("wrong.safetensors")
        var tensors: [String: (shape: [Int], floats: [Float])] = [:]
        for (name, tensor) in TinyModel().stateDict() { tensors[name] = (tensor.shape, tensor.scalars) }
        tensors["head.weight"] = (shape: [4, 3], floats: Array(repeating: 0, count: 12))
        try Safetensors.write(tensors, to: url)
        XCTAssertThrowsError(try TinyModel().load(from: url)) { error in
            XCTAssertEqual("\(error)", """
                Error(s) in loading state dict:
                  head.weight: checkpoint has [4, 3], model expects [3, 4]
                """)
        }
        XCTAssertThrowsError(try TinyModel().load(from: temporary.appendingPathComponent("absent.safetensors"))) { error in
            XCTAssertTrue(error is SafetensorsError, "\(error)")
        }
    }

    func testLoadingKeepsParameterIdentitySoOptimizersStillWork() throws {
        let model = TinyMLP(seed: 1)
        let optimizer = SGD(model.parameters(), lr: 1)
        try model.loadStateDict(TinyMLP(seed: 2).stateDict())
        let loaded = model.layers[0].bias!.value.scalars
        model.zeroGrad()
        model.layers[0].bias!.value.backward(Tensor.ones([4]))
        optimizer.step()
        assertClose(model.layers[0].bias!.value.scalars, loaded.map { $0 - 1 }, "the optimizer moved the model's own bias")
    }

    func testTrainAndEvalReachEveryDescendant() {
        let model = TinyModel()
        model.eval()
        XCTAssertTrue(model.namedModules().allSatisfy { !$0.module.training })
        XCTAssertFalse(model.dropout.training)
        model.train()
        XCTAssertTrue(model.namedModules().allSatisfy { $0.module.training })
        // In eval mode the output is deterministic; in train mode dropout makes it vary.
        model.eval()
        XCTAssertEqual(model([[1, 2]]).scalars, model([[1, 2]]).scalars)
        model.train()
        XCTAssertNotEqual(model([[1, 2, 3, 4]]).scalars, model([[1, 2, 3, 4]]).scalars)
    }

    func testTiedWeightsAreOneParameterUnderTwoNames() {
        final class TiedLM: Module {
            var training = true
            let wte: Embedding
            let lmHead: Linear
            init() {
                var rng = SeededGenerator(seed: 0)
                wte = Embedding(numEmbeddings: 6, embeddingDim: 3, using: &rng)
                lmHead = Linear(weight: wte.weight.value)
            }
            var children: NamedModules { [("wte", wte), ("lm_head", lmHead)] }
        }
        // Tie: the head's weight becomes the embedding's parameter.
        final class TiedHead: Module {
            var training = true
            let weight: Parameter
            init(_ weight: Parameter) { self.weight = weight }
            var ownParameters: NamedParameters { [("weight", weight)] }
        }
        final class Tied: Module {
            var training = true
            let base = TiedLM()
            lazy var head = TiedHead(base.wte.weight)
            var children: NamedModules { [("transformer", base.wte), ("lm_head", head)] }
        }
        let model = Tied()
        XCTAssertEqual(model.namedParameters().map(\.name), ["transformer.weight"], "listed once for optimizers")
        XCTAssertEqual(model.parameterCount, 18)
        XCTAssertEqual(Set(model.stateDict().keys), ["transformer.weight", "lm_head.weight"], "both names in the state dict")
        XCTAssertEqual(model.stateDictNames(), ["transformer.weight", "lm_head.weight"])
        // A checkpoint with the tied weight under one name only loads strictly (GPT-2's files
        // have no lm_head.weight), and the value reaches both names.
        let weights = Tensor(shape: [6, 3], scalars: (0..<18).map(Float.init))
        XCTAssertEqual(try model.loadStateDict(["transformer.weight": weights]), LoadStateDictResult(missingKeys: [], unexpectedKeys: []))
        XCTAssertEqual(model.head.weight.value.scalars, weights.scalars)
        XCTAssertEqual(try model.loadStateDict(["lm_head.weight": weights * 2]).missingKeys, [])
        XCTAssertEqual(model.base.wte.weight.value.scalars, (weights * 2).scalars)
    }

    func testParameterValueIsAlwaysATrainableLeaf() {
        let p = Parameter(Tensor.ones([2]))
        XCTAssertTrue(p.value.requiresGrad)
        XCTAssertTrue(p.value.isLeaf)
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        p.value = x * 3            // the result of an operation…
        XCTAssertTrue(p.value.isLeaf, "…is stored cut from its graph")
        XCTAssertTrue(p.value.requiresGrad)
        XCTAssertEqual(p.value.scalars, [3, 6])
        (p.value * p.value).sum().backward()
        XCTAssertEqual(p.grad?.scalars, [6, 12])
        XCTAssertNil(x.grad, "no gradient leaks into the old graph")
        p.zeroGrad()
        XCTAssertNil(p.grad)
    }
}

final class FreezingTests: XCTestCase {
    /// A frozen weight gets no gradient and an optimizer leaves it unchanged, while the bias
    /// beside it trains; unfreezing makes it train again.
    func testFrozenParameterGetsNoGradientAndIsNotUpdated() {
        var rng = SeededGenerator(seed: 1)
        let layer = Linear(inFeatures: 3, outFeatures: 2, using: &rng)
        let x = Tensor.randn([4, 3], using: &rng)
        layer.weight.requiresGrad = false
        let before = layer.weight.value.scalars
        let optimizer = SGD(layer.parameters(), lr: 0.5)
        layer(x).sum().backward()
        XCTAssertNil(layer.weight.grad, "a frozen parameter must get no gradient")
        XCTAssertNotNil(layer.bias?.grad, "the bias still trains")
        optimizer.step()
        XCTAssertEqual(layer.weight.value.scalars, before, "the optimizer must not move a frozen parameter")
        XCTAssertEqual(layer.trainableParameters().count, 1)

        layer.requiresGrad(true)
        optimizer.zeroGrad()
        layer(x).sum().backward()
        XCTAssertEqual(layer.weight.grad?.shape, [2, 3], "unfrozen, the weight trains again")
    }

    /// Freezing a whole module makes its output a constant: nothing requires gradients.
    func testFreezingAModuleMakesItsOutputConstant() {
        var rng = SeededGenerator(seed: 2)
        let layer = Linear(inFeatures: 3, outFeatures: 2, using: &rng)
        layer.requiresGrad(false)
        XCTAssertFalse(layer(Tensor.randn([1, 3], using: &rng)).requiresGrad)
        XCTAssertTrue(layer.trainableParameters().isEmpty)
    }
}
