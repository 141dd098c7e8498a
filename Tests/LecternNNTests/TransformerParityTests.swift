// The Transformer layers against PyTorch's own modules (Fixtures/transformer.json, written by
// Scripts/fixtures/transformer_reference.py): nn.MultiheadAttention (self- and cross-attention,
// query length ≠ key length, padding masks, square and bottom-right causal masks, with and
// without biases), nn.TransformerEncoderLayer and nn.TransformerDecoderLayer (post- and pre-LN,
// ReLU and GELU, padded batches, causal masks) and nn.Transformer (2 + 2 layers with final
// norms). For every case the Swift module loads torch's state dict strictly (so its parameter
// names are torch's, in torch's order), and the output, the per-head attention weights, and the
// gradients of Σ output ⊙ R with respect to the inputs and every parameter agree to 1e-4.
//
// Regenerate the fixtures (from the package root):
//
//     .venv-oracle/bin/python Scripts/fixtures/transformer_reference.py
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

/// transformer.json, decoded with snake_case → camelCase keys.
private struct TransformerFixtures: Decodable {
    struct Named: Decodable {
        let name: String
        let value: TensorFixture
    }
    struct Case: Decodable {
        let name, kind: String
        let selfAttention, bias: Bool?
        let lengths: [Int]?
        let causal: Bool
        let parametersFile: String
        let parameterNames, stateDictNames: [String]
        let query, memory, input, target: TensorFixture?
        let projection, output: TensorFixture
        let weights: TensorFixture?
        let queryGrad, memoryGrad, inputGrad, targetGrad: TensorFixture?
        let gradients: [Named]
    }
    let cases: [Case]
    let positionalEncoding: TensorFixture
    let baseTransformerParameters: Int
}

/// The layer configs of the same file, decoded by the library's own Codable types (whose JSON
/// keys are torch's argument names, like the fixture's).
private struct CodableConfigs: Decodable {
    struct Case: Decodable {
        let name: String
        let config: TransformerConfig?
    }
    let cases: [Case]
}

final class TransformerParityTests: XCTestCase {
    private var fixtures: TransformerFixtures!
    private var configs: [String: TransformerConfig] = [:]

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(TransformerFixtures.self, from: "transformer.json")
        let codable = try JSONDecoder().decode(CodableConfigs.self, from: Data(contentsOf: Fixtures.url("transformer.json")))
        for c in codable.cases { configs[c.name] = c.config }
    }

    // MARK: nn.MultiheadAttention

    func testMultiheadSelfAttention() throws { try checkAttention("mha_self") }

    func testMultiheadSelfAttentionWithPaddingAndCausalMasks() throws { try checkAttention("mha_self_padded_causal") }

    func testMultiheadCrossAttentionWithPaddingAndQueryShorterThanKeys() throws { try checkAttention("mha_cross_padded") }

    func testMultiheadAttentionBottomRightCausalMaskWithoutBiases() throws {
        try checkAttention("mha_cross_causal_bottom_right_no_bias")
    }

    // MARK: Layers and the whole stack

    func testEncoderLayerPostLNReLU() throws { try checkEncoderLayer("encoder_post_relu") }

    func testEncoderLayerPreLNGELU() throws { try checkEncoderLayer("encoder_pre_gelu") }

    func testEncoderLayerCausalAsADecoderOnlyBlock() throws { try checkEncoderLayer("encoder_post_gelu_causal") }

    func testDecoderLayerPostLNReLU() throws { try checkDecoderLayer("decoder_post_relu") }

    func testDecoderLayerPreLNGELU() throws { try checkDecoderLayer("decoder_pre_gelu") }

    func testTransformerPostLNReLU() throws { try checkTransformer("transformer_post_relu") }

    func testTransformerPreLNGELU() throws { try checkTransformer("transformer_pre_gelu") }

    func testBaseModelHasTorchsParameterCount() {
        var rng = SeededGenerator(seed: 0)
        XCTAssertEqual(Transformer(TransformerConfig(), using: &rng).parameterCount, fixtures.baseTransformerParameters)
    }

    func testFixtureCoversBothOrdersBothActivationsAndEveryMaskKind() {
        let configs = self.configs.values
        XCTAssertEqual(Set(configs.map(\.normFirst)), [false, true])
        XCTAssertEqual(Set(configs.map(\.activation)), [.relu, .gelu])
        let attention = fixtures.cases.filter { $0.kind == "mha" }
        XCTAssertTrue(attention.contains { $0.causal && $0.lengths != nil }, "padding and causal together")
        XCTAssertTrue(attention.contains { $0.causal && $0.query!.shape[1] < $0.memory!.shape[1] }, "bottom-right causal")
        XCTAssertTrue(attention.contains { $0.bias == false })
    }

    // MARK: Checks

    /// Loads the case's state dict into `module` strictly after checking the names.
    private func load(_ c: TransformerFixtures.Case, into module: some Module, file: StaticString, line: UInt) throws {
        XCTAssertEqual(module.namedParameters().map(\.name), c.parameterNames, "\(c.name): parameter names", file: file, line: line)
        XCTAssertEqual(module.stateDictNames(), c.stateDictNames, "\(c.name): state dict names", file: file, line: line)
        let loaded = try module.load(from: Fixtures.url(c.parametersFile), strict: true)
        XCTAssertEqual(loaded.missingKeys + loaded.unexpectedKeys, [], c.name, file: file, line: line)
    }

    /// Compares every parameter's gradient with torch's.
    private func checkParameterGradients(_ c: TransformerFixtures.Case, _ module: some Module, file: StaticString, line: UInt) {
        let parameters = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter) })
        XCTAssertEqual(c.gradients.map(\.name).sorted(), parameters.keys.sorted(), c.name, file: file, line: line)
        for g in c.gradients {
            guard let parameter = parameters[g.name] else { continue }
            assertClose(parameter.grad ?? Tensor.zeros(parameter.shape), g.value, absolute: 1e-5, relative: 1e-4,
                        "\(c.name): grad \(g.name)", file: file, line: line)
        }
    }

    private func fixtureCase(_ name: String, file: StaticString, line: UInt) throws -> TransformerFixtures.Case {
        try XCTUnwrap(fixtures.cases.first { $0.name == name }, "no fixture case \(name)", file: file, line: line)
    }

    private func mask(_ c: TransformerFixtures.Case, width: Int) -> Tensor? {
        c.lengths.map { attentionMask(lengths: $0, maxLength: width) }   // (B, S): 1 = attend
    }

    private func checkAttention(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try fixtureCase(name, file: file, line: line)
        var rng = SeededGenerator(seed: 1)
        let attention = MultiheadAttention(embedDim: 8, numHeads: 2, bias: c.bias!, using: &rng)
        try load(c, into: attention, file: file, line: line)
        let query = c.query!.leaf                                             // (B, T, E)
        let output: Tensor, weights: Tensor, memory: Tensor
        if c.selfAttention! {
            memory = query
            output = attention(query, attentionMask: mask(c, width: query.shape[1]), isCausal: c.causal)   // (B, T, E)
            attention.keepsWeights = true
            weights = Tensor.withoutGradients {
                attention.forward(query: query, key: query, value: query, attentionMask: mask(c, width: query.shape[1]),
                                  isCausal: c.causal).weights
            }
            XCTAssertEqual(attention.lastWeights?.scalars, weights.scalars, "\(name): lastWeights", file: file, line: line)
        } else {
            memory = c.memory!.leaf                                            // (B, S, E)
            (output, weights) = attention.forward(query: query, key: memory, value: memory,
                                                  attentionMask: mask(c, width: memory.shape[1]), isCausal: c.causal)
        }
        assertClose(output, c.output, absolute: 1e-5, relative: 1e-4, "\(name): output", file: file, line: line)
        assertClose(weights, c.weights!, absolute: 1e-6, relative: 1e-4, "\(name): per-head weights", file: file, line: line)
        (output * c.projection.tensor).sum().backward()
        assertClose(query.grad, c.queryGrad!, absolute: 1e-5, relative: 1e-4, "\(name): query grad", file: file, line: line)
        if !c.selfAttention! {
            assertClose(memory.grad, c.memoryGrad!, absolute: 1e-5, relative: 1e-4, "\(name): key/value grad", file: file, line: line)
        }
        checkParameterGradients(c, attention, file: file, line: line)
    }

    private func checkEncoderLayer(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try fixtureCase(name, file: file, line: line)
        var rng = SeededGenerator(seed: 2)
        let layer = TransformerEncoderLayer(try XCTUnwrap(configs[name], file: file, line: line).layer, using: &rng)
        try checkForward(c, layer, inputs: [(c.input!, c.inputGrad!, "input")], file: file, line: line) { x in
            layer(x[0], attentionMask: self.mask(c, width: x[0].shape[1]), isCausal: c.causal)     // (B, T, E)
        }
    }

    private func checkDecoderLayer(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try fixtureCase(name, file: file, line: line)
        var rng = SeededGenerator(seed: 3)
        let layer = TransformerDecoderLayer(try XCTUnwrap(configs[name], file: file, line: line).layer, using: &rng)
        try checkForward(c, layer, inputs: [(c.input!, c.inputGrad!, "target"), (c.memory!, c.memoryGrad!, "memory")],
                         file: file, line: line) { x in
            layer(x[0], memory: x[1], memoryMask: self.mask(c, width: x[1].shape[1]))               // (B, T, E)
        }
    }

    private func checkTransformer(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try fixtureCase(name, file: file, line: line)
        var rng = SeededGenerator(seed: 4)
        let transformer = Transformer(try XCTUnwrap(configs[name], file: file, line: line), using: &rng)
        try checkForward(c, transformer, inputs: [(c.input!, c.inputGrad!, "source"), (c.target!, c.targetGrad!, "target")],
                         file: file, line: line) { x in
            transformer(source: x[0], target: x[1], sourceMask: self.mask(c, width: x[0].shape[1]))   // (B, T, E)
        }
    }

    /// Loads the case's state dict into `module`, runs `forward` on leaves made from the
    /// inputs, and compares the output, the inputs' gradients and every parameter's gradient
    /// with torch's.
    private func checkForward(_ c: TransformerFixtures.Case, _ module: some Module,
                              inputs: [(value: TensorFixture, grad: TensorFixture, name: String)],
                              file: StaticString, line: UInt, _ forward: ([Tensor]) -> Tensor) throws {
        try load(c, into: module, file: file, line: line)
        let leaves = inputs.map(\.value.leaf)
        let y = forward(leaves)
        assertClose(y, c.output, absolute: 1e-5, relative: 1e-4, "\(c.name): output", file: file, line: line)
        (y * c.projection.tensor).sum().backward()
        for (leaf, input) in zip(leaves, inputs) {
            assertClose(leaf.grad, input.grad, absolute: 1e-5, relative: 1e-4, "\(c.name): \(input.name) grad", file: file, line: line)
        }
        checkParameterGradients(c, module, file: file, line: line)
    }
}
