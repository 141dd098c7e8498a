// Layers against PyTorch: forward values and gradients (input and parameters) for fixed
// weights and a fixed upstream gradient, from Fixtures/layers.json
// (Scripts/fixtures/nn_reference.py). Also PyTorch's initialisation bounds, shape checks and
// dropout's train/eval behaviour.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct LayerFixtures: Decodable {
    struct LinearCase: Decodable {
        let name: String
        let inFeatures: Int, outFeatures: Int
        let input, weight, output, upstream, gradInput, gradWeight: TensorFixture
        let bias, gradBias: TensorFixture?
    }
    struct LayerNormCase: Decodable {
        let name: String
        let eps: Float
        let input, weight, bias, output, upstream, gradInput, gradWeight, gradBias: TensorFixture
    }
    struct RMSNormCase: Decodable {
        let name: String
        let eps: Float
        let input, weight, output, upstream, gradInput, gradWeight: TensorFixture
    }
    struct EmbeddingCase: Decodable {
        let name: String
        let weight: TensorFixture
        let ids: [[Int]]
        let output, upstream, gradWeight: TensorFixture
    }
    struct ActivationCase: Decodable {
        let name: String
        let input, output, upstream, gradInput: TensorFixture
    }
    let linear: [LinearCase]
    let layerNorm: [LayerNormCase]
    let rmsNorm: [RMSNormCase]
    let embedding: [EmbeddingCase]
    let activations: [ActivationCase]
}

final class LayerTests: XCTestCase {
    private var fixtures: LayerFixtures!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(LayerFixtures.self, from: "layers.json")
    }

    func testLinearMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.linear.count, 3)
        for c in fixtures.linear {
            let layer = Linear(weight: c.weight.tensor, bias: c.bias?.tensor)
            XCTAssertEqual(layer.inFeatures, c.inFeatures)
            XCTAssertEqual(layer.outFeatures, c.outFeatures)
            let x = c.input.leaf
            let y = layer(x)
            assertClose(y, c.output, c.name + " output")
            y.backward(c.upstream.tensor)
            assertClose(x.grad, c.gradInput, absolute: 1e-5, c.name + " grad input")
            assertClose(layer.weight.grad, c.gradWeight, absolute: 1e-5, c.name + " grad weight")
            if let gradBias = c.gradBias {
                assertClose(layer.bias?.grad, gradBias, absolute: 1e-5, c.name + " grad bias")
            } else {
                XCTAssertNil(layer.bias, c.name)
            }
        }
    }

    func testLayerNormMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.layerNorm.count, 3)
        for c in fixtures.layerNorm {
            let ln = LayerNorm(c.input.shape.last!, eps: c.eps)
            ln.weight.copyFrom(c.weight.tensor)
            ln.bias!.copyFrom(c.bias.tensor)
            let x = c.input.leaf
            let y = ln(x)
            // "offset_rows" normalises values 100 ± 0.01, where float32 rounding of the mean is
            // amplified ~10⁴ times. Its expected values are exact (float64, see the generator):
            // PyTorch's own float32 gradient is 3e-3 off them, a one-pass mean 1e-3 off, ours
            // (two-pass mean) 1e-6. A formula without mean subtraction is off by 100%.
            let tolerance: Float = 1e-5
            assertClose(y, c.output, absolute: tolerance, relative: tolerance, c.name + " output")
            y.backward(c.upstream.tensor)
            assertClose(x.grad, c.gradInput, absolute: 1e-5, relative: tolerance, c.name + " grad input")
            assertClose(ln.weight.grad, c.gradWeight, absolute: 1e-5, relative: tolerance, c.name + " grad weight")
            assertClose(ln.bias!.grad, c.gradBias, absolute: 1e-5, c.name + " grad bias")
        }
    }

    func testRMSNormMatchesHuggingFaceT5LayerNorm() throws {
        XCTAssertEqual(fixtures.rmsNorm.count, 2)
        for c in fixtures.rmsNorm {
            let norm = RMSNorm(dim: c.input.shape.last!, eps: c.eps)
            norm.weight.copyFrom(c.weight.tensor)
            let x = c.input.leaf
            let y = norm(x)
            assertClose(y, c.output, c.name + " output")
            y.backward(c.upstream.tensor)
            assertClose(x.grad, c.gradInput, absolute: 1e-5, c.name + " grad input")
            assertClose(norm.weight.grad, c.gradWeight, absolute: 1e-5, c.name + " grad weight")
        }
    }

    func testEmbeddingMatchesPyTorchIncludingRepeatedIDs() throws {
        let c = try XCTUnwrap(fixtures.embedding.first)
        let table = Embedding(weight: c.weight.tensor)
        let y = table(c.ids)
        assertClose(y, c.output, absolute: 0, relative: 0, "lookup is exact")
        y.backward(c.upstream.tensor)
        assertClose(table.weight.grad, c.gradWeight, "grad weight (repeated ids accumulate)")
        XCTAssertEqual(table([3, 1]).shape, [2, 3])
    }

    func testActivationsMatchHuggingFaceACT2FN() throws {
        XCTAssertEqual(fixtures.activations.count, 11)
        for c in fixtures.activations {
            let activation = try Activation(hfName: c.name)
            let x = c.input.leaf
            let y = activation(x)
            assertClose(y, c.output, c.name + " output")
            y.backward(c.upstream.tensor)
            assertClose(x.grad, c.gradInput, absolute: 1e-5, c.name + " grad")
        }
    }

    func testActivationNamesDecodeLikeHuggingFaceConfigs() throws {
        struct Config: Decodable { let hiddenAct: Activation }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        XCTAssertEqual(try decoder.decode(Config.self, from: Data(#"{"hidden_act": "gelu"}"#.utf8)).hiddenAct, .gelu)
        XCTAssertEqual(try decoder.decode(Config.self, from: Data(#"{"hidden_act": "gelu_new"}"#.utf8)).hiddenAct, .geluNew)
        XCTAssertEqual(try decoder.decode(Config.self, from: Data(#"{"hidden_act": "swish"}"#.utf8)).hiddenAct, .silu)
        XCTAssertEqual(try Activation(hfName: "gelu_pytorch_tanh"), .geluNew)
        XCTAssertThrowsError(try decoder.decode(Config.self, from: Data(#"{"hidden_act": "mish"}"#.utf8)))
        XCTAssertThrowsError(try Activation(hfName: "Gelu")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown activation \"Gelu\""), message)
            XCTAssertTrue(message.contains("gelu_new"), message)
        }
        // Encoding writes the canonical HF name.
        XCTAssertEqual(String(decoding: try JSONEncoder().encode([Activation.geluNew]), as: UTF8.self), #"["gelu_new"]"#)
    }

    func testLinearInitialisationFollowsPyTorchBounds() {
        var rng = SeededGenerator(seed: 3)
        let layer = Linear(inFeatures: 16, outFeatures: 200, using: &rng)
        XCTAssertEqual(layer.weight.shape, [200, 16])
        XCTAssertEqual(layer.bias?.shape, [200])
        let bound: Float = 1 / 4  // 1/√16
        let weights = layer.weight.value.scalars, biases = layer.bias!.value.scalars
        XCTAssertTrue(weights.allSatisfy { Swift.abs($0) <= bound }, "weights within ±1/√in")
        XCTAssertTrue(biases.allSatisfy { Swift.abs($0) <= bound }, "biases within ±1/√in")
        // Uniform on [−b, b]: the extremes are approached and the variance is b²/3.
        XCTAssertGreaterThan(weights.max()!, 0.24)
        XCTAssertLessThan(weights.min()!, -0.24)
        let variance = weights.map { $0 * $0 }.reduce(0, +) / Float(weights.count)
        XCTAssertEqual(variance, bound * bound / 3, accuracy: 0.002)
        // Seeded: the same seed gives the same layer, another seed another one.
        var again = SeededGenerator(seed: 3), other = SeededGenerator(seed: 4)
        XCTAssertEqual(Linear(inFeatures: 16, outFeatures: 200, using: &again).weight.value.scalars, weights)
        XCTAssertNotEqual(Linear(inFeatures: 16, outFeatures: 200, using: &other).weight.value.scalars, weights)
        XCTAssertNil(Linear(inFeatures: 2, outFeatures: 2, bias: false, using: &rng).bias)
    }

    func testEmbeddingAndNormInitialisation() {
        var rng = SeededGenerator(seed: 5)
        let table = Embedding(numEmbeddings: 100, embeddingDim: 50, using: &rng)
        let values = table.weight.value.scalars
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(variance, 1, accuracy: 0.08)  // N(0, 1), PyTorch's default
        let ln = LayerNorm(8, eps: 1e-12)
        XCTAssertEqual(ln.weight.value.scalars, Array(repeating: 1, count: 8))
        XCTAssertEqual(ln.bias?.value.scalars, Array(repeating: 0, count: 8))
        XCTAssertEqual(ln.eps, 1e-12)
        XCTAssertEqual(LayerNorm(4).eps, 1e-5)
        XCTAssertEqual(RMSNorm(dim: 4).eps, 1e-6)
        XCTAssertEqual(RMSNorm(dim: 4).namedParameters().map(\.name), ["weight"])
    }

    func testLayersApplyToTheLastAxisOfAnyRank() {
        var rng = SeededGenerator(seed: 6)
        let layer = Linear(inFeatures: 4, outFeatures: 3, using: &rng)
        let x = Tensor.randn([2, 5, 4], using: &rng)
        XCTAssertEqual(layer(x).shape, [2, 5, 3])
        // Row (1, 2) of the batched result equals the layer applied to that row alone.
        let row = x.index(axis: 0, 1).index(axis: 0, 2).reshaped([1, 4])
        assertClose(layer(x).index(axis: 0, 1).index(axis: 0, 2).scalars, layer(row).scalars, "row")
        XCTAssertEqual(LayerNorm(4)(x).shape, [2, 5, 4])
        XCTAssertEqual(RMSNorm(dim: 4)(x).shape, [2, 5, 4])
        XCTAssertEqual(LayerNorm(normalizedShape: [5, 4])(x).shape, [2, 5, 4])
    }

    func testDropoutIsActiveOnlyInTrainingMode() {
        let dropout = Dropout(p: 0.25, seed: 9)
        let x = Tensor.ones([100, 100])
        let y = dropout(x).scalars
        let zeros = y.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / Double(y.count), 0.25, accuracy: 0.02)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 }, "survivors scaled by 1/(1 − p)")
        XCTAssertNotEqual(dropout(x).scalars, y, "a new mask on every call")
        dropout.eval()
        XCTAssertFalse(dropout.training)
        XCTAssertEqual(dropout(x).scalars, x.scalars)
        dropout.train()
        XCTAssertTrue(dropout.training)
        // Seeded: two dropouts with the same seed draw the same masks.
        XCTAssertEqual(Dropout(p: 0.5, seed: 1)(x).scalars, Dropout(p: 0.5, seed: 1)(x).scalars)
    }
}

extension Parameter {
    /// Test helper: overwrite the value (keeps the parameter a leaf that requires gradients).
    func copyFrom(_ tensor: Tensor) {
        value = tensor
    }
}
