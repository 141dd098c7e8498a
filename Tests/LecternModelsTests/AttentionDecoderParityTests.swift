// AttentionSeq2SeqModel (Bahdanau et al. 2015; Luong et al. 2015) against an independent
// PyTorch implementation: for each case of Fixtures/attention_decoders.json the model is built
// from the fixture's configs, its parameters are loaded strictly from the case's .safetensors
// (PyTorch's state dict: every name must match, which pins the PyTorch parameter names), and
// the teacher-forced logits (B, T, V), the attention weights of every step (B, T, S), the mean
// cross-entropy loss (pad targets ignored) and the gradient of that loss for every parameter
// are compared with PyTorch's. The cases cover Bahdanau and Luong steps; the additive, general,
// concat and dot scores; global, local-p and hard alignment; GRU and LSTM; uni- and
// bidirectional encoders, one and two layers; input feeding; a ragged, padded source and
// padded targets. For hard attention the score function must get no gradient.
//
// The fixtures are written by (from the package root):
//
//     .venv-oracle/bin/python Scripts/fixtures/attention_decoders.py
//
// which implements the model from the equations in AttentionSeq2SeqModel.swift's header with
// nn.GRU / nn.LSTM (batch_first, pack_padded_sequence for the ragged source).
import Foundation
import LecternModels
import LecternTestSupport
import XCTest

/// attention_decoders.json, decoded with snake_case → camelCase keys.
private struct AttentionDecoderFixtures: Decodable {
    struct Named: Decodable {
        let name: String
        let value: TensorFixture
    }
    struct ModelConfig: Decodable {
        let vocabSize, embeddingDim, hiddenSize, numLayers: Int
        let cell: String
        let bidirectionalEncoder: Bool
        let padTokenId, bosTokenId, eosTokenId: Int
    }
    struct Attention: Decodable {
        let style, score, alignment: String
        let attentionSize, window: Int
        let inputFeeding: Bool
    }
    struct Case: Decodable {
        let name: String
        let config: ModelConfig
        let attention: Attention
        let parametersFile: String
        let parameterNames: [String]
        let source, target, decoderInput: [[Int]]
        let sourceLengths: [Int]
        let logits, weights: TensorFixture
        let loss: Float
        let gradients: [Named]
    }
    let cases: [Case]
}

/// The same file decoded with no key strategy, through the library's own Codable configs
/// (whose JSON keys are snake_case, like the fixture's).
private struct CodableConfigs: Decodable {
    struct Case: Decodable {
        let config: Seq2SeqConfig
        let attention: AttentionConfig
    }
    let cases: [Case]
}

final class AttentionDecoderParityTests: XCTestCase {
    private var fixtures: AttentionDecoderFixtures!
    private var codable: CodableConfigs!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(AttentionDecoderFixtures.self, from: "attention_decoders.json")
        codable = try JSONDecoder().decode(CodableConfigs.self, from: Data(contentsOf: Fixtures.url("attention_decoders.json")))
    }

    func testFixtureCoversEveryStyleScoreAndAlignment() {
        let cases = fixtures.cases
        XCTAssertEqual(Set(cases.map(\.attention.style)), Set(AttentionStyle.allCases.map(\.rawValue)))
        XCTAssertEqual(Set(cases.map(\.attention.score)), Set(AttentionScoreKind.allCases.map(\.rawValue)))
        XCTAssertEqual(Set(cases.map(\.attention.alignment)), Set(AttentionAlignment.allCases.map(\.rawValue)))
        XCTAssertEqual(Set(cases.map(\.config.cell)), Set(Seq2SeqCellKind.allCases.map(\.rawValue)))
    }

    func testBahdanauAdditiveGlobalGRUBidirectional() throws {
        try checkCase("bahdanau_additive_global_gru_bi")
    }

    func testLuongGeneralGlobalLSTMBidirectionalWithInputFeeding() throws {
        try checkCase("luong_general_global_lstm_bi_feeding")
    }

    func testLuongConcatLocalWindow1GRUBidirectional() throws {
        try checkCase("luong_concat_local1_gru_bi")
    }

    func testLuongDotGlobalGRUUnidirectionalTwoLayers() throws {
        try checkCase("luong_dot_global_gru_uni_2layers")
    }

    func testBahdanauAdditiveHardGRUBidirectional() throws {
        let model = try checkCase("bahdanau_additive_hard_gru_bi")
        // Arg-max is piecewise constant: nothing reaches the score function.
        let scoreParameters = model.namedParameters().filter { $0.name.hasPrefix("attention.") }
        XCTAssertEqual(scoreParameters.map(\.name), ["attention.W.weight", "attention.U.weight", "attention.v.weight"])
        for (name, parameter) in scoreParameters {
            if let grad = parameter.grad {
                XCTAssertTrue(grad.scalars.allSatisfy { $0 == 0 }, "hard attention: \(name) has a nonzero gradient")
            }
        }
        // …while the rest of the model does learn.
        XCTAssertTrue(model.output.weight.grad?.scalars.contains { $0 != 0 } ?? false)
    }

    func testBahdanauGeneralLocalWindow2LSTMBidirectionalTwoLayers() throws {
        try checkCase("bahdanau_general_local2_lstm_bi_2layers")
    }

    /// Builds the case's model, loads PyTorch's parameters, and compares logits, weights, loss
    /// and gradients; returns the model after `backward()` for extra checks.
    @discardableResult
    private func checkCase(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> AttentionSeq2SeqModel {
        let index = try XCTUnwrap(fixtures.cases.firstIndex { $0.name == name }, "no fixture case \(name)", file: file, line: line)
        let c = fixtures.cases[index]
        let config = Seq2SeqConfig(vocabSize: c.config.vocabSize, embeddingDim: c.config.embeddingDim,
                                   hiddenSize: c.config.hiddenSize, numLayers: c.config.numLayers,
                                   cell: try XCTUnwrap(Seq2SeqCellKind(rawValue: c.config.cell)),
                                   bidirectionalEncoder: c.config.bidirectionalEncoder,
                                   padID: c.config.padTokenId, bosID: c.config.bosTokenId, eosID: c.config.eosTokenId)
        let attention = AttentionConfig(style: try XCTUnwrap(AttentionStyle(rawValue: c.attention.style)),
                                        score: try XCTUnwrap(AttentionScoreKind(rawValue: c.attention.score)),
                                        attentionSize: c.attention.attentionSize,
                                        alignment: try XCTUnwrap(AttentionAlignment(rawValue: c.attention.alignment)),
                                        window: c.attention.window, inputFeeding: c.attention.inputFeeding)
        // The library's Codable configs read the same JSON objects.
        XCTAssertEqual(codable.cases[index].config, config, name, file: file, line: line)
        XCTAssertEqual(codable.cases[index].attention, attention, name, file: file, line: line)

        var rng = SeededGenerator(seed: 99)
        let model = AttentionSeq2SeqModel(config, attention: attention, using: &rng)
        // PyTorch's named_parameters(), names and order; then a strict load of its state dict.
        XCTAssertEqual(model.namedParameters().map(\.name), c.parameterNames, "\(name): parameter names", file: file, line: line)
        let loaded = try model.load(from: Fixtures.url(c.parametersFile), strict: true)
        XCTAssertEqual(loaded.missingKeys, [], name, file: file, line: line)
        XCTAssertEqual(loaded.unexpectedKeys, [], name, file: file, line: line)

        XCTAssertEqual(model.sourceLengths(c.source), c.sourceLengths, name, file: file, line: line)
        XCTAssertEqual(model.shiftedRight(c.target), c.decoderInput, name, file: file, line: line)
        let (logits, weights) = model.forward(source: c.source, decoderInput: c.decoderInput)   // (B, T, V), (B, T, S)
        assertClose(logits, c.logits, absolute: 1e-5, relative: 1e-4, "\(name): logits", file: file, line: line)
        assertClose(weights, c.weights, absolute: 1e-5, relative: 1e-4, "\(name): attention weights", file: file, line: line)

        let loss = model.loss(source: c.source, target: c.target)                               // scalar
        assertClose([loss.scalar], [c.loss], absolute: 1e-5, relative: 1e-5, "\(name): loss", file: file, line: line)
        loss.backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter) })
        XCTAssertEqual(c.gradients.map(\.name).sorted(), parameters.keys.sorted(), name, file: file, line: line)
        for g in c.gradients {
            guard let parameter = parameters[g.name] else { continue }
            // No gradient (nil) counts as zeros, as PyTorch's None is written as zeros.
            assertClose(parameter.grad ?? Tensor.zeros(parameter.shape), g.value, absolute: 1e-5, relative: 1e-4,
                        "\(name): grad \(g.name)", file: file, line: line)
        }
        return model
    }
}
