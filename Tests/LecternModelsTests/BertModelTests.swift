// BERT's structure: names, parameter counts from the paper and the lecture, config decoding,
// masks, and the heads' shapes — independent of any checkpoint.
import Foundation
import LecternCore
import LecternNN
import LecternTestSupport
import XCTest
@testable import LecternModels

final class BertModelTests: XCTestCase {
    let tiny = BertConfig(vocabSize: 50, hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2,
                          intermediateSize: 12, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, maxPositionEmbeddings: 16)

    func testParameterCountsOfBertBaseAndLarge() throws {
        // Devlin et al. 2019 and the lecture's diagram: 109,482,240 and 335,141,888 with the pooler.
        let base = try BertModel(config: .base, parameters: ParameterStore.zeros().root)
        XCTAssertEqual(base.parameterCount, 109_482_240)
        XCTAssertEqual(base.encoder.layers[0].parameterCount, 7_087_872)
        XCTAssertEqual(base.encoder.layers[0].attention.selfAttention.query.parameterCount, 590_592)
        XCTAssertEqual(base.encoder.layers[0].intermediate.parameterCount, 2_362_368)
        XCTAssertEqual(base.encoder.layers[0].output.dense.parameterCount, 2_360_064)
        XCTAssertEqual(base.embeddings.wordEmbeddings.parameterCount, 30_522 * 768)
        let large = try BertModel(config: .large, parameters: ParameterStore.zeros().root)
        XCTAssertEqual(large.parameterCount, 335_141_888)
    }

    func testEveryArchitectureAsksForExactlyTheNamesItReports() throws {
        let builders: [(String, (ParameterScope) throws -> any Module)] = [
            ("BertModel", { try BertModel(config: self.tiny, parameters: $0) }),
            ("BertForPreTraining", { try BertForPreTraining(config: self.tiny, parameters: $0) }),
            ("BertForMaskedLM", { try BertForMaskedLM(config: self.tiny, parameters: $0) }),
            ("BertForSequenceClassification", { try BertForSequenceClassification(config: self.tiny, parameters: $0) }),
            ("BertForTokenClassification", { try BertForTokenClassification(config: self.tiny, parameters: $0) }),
            ("BertForQuestionAnswering", { try BertForQuestionAnswering(config: self.tiny, parameters: $0) }),
        ]
        for (name, build) in builders {
            let store = ParameterStore(generator: SeededGenerator(seed: 1))
            let model = try build(store.root)
            XCTAssertEqual(store.requestedNames.sorted(), model.stateDictNames().sorted(), name)
        }
    }

    func testHuggingFaceNamesOfALayer() throws {
        var rng = SeededGenerator(seed: 0)
        let names = try BertForPreTraining(config: tiny, using: &rng).stateDictNames()
        for expected in ["bert.embeddings.word_embeddings.weight", "bert.embeddings.LayerNorm.bias",
                         "bert.encoder.layer.1.attention.self.query.weight", "bert.encoder.layer.0.attention.output.LayerNorm.weight",
                         "bert.encoder.layer.0.intermediate.dense.weight", "bert.encoder.layer.0.output.dense.bias",
                         "bert.pooler.dense.weight", "cls.predictions.bias", "cls.predictions.transform.LayerNorm.weight",
                         "cls.predictions.decoder.weight", "cls.seq_relationship.weight"] {
            XCTAssertTrue(names.contains(expected), expected)
        }
    }

    func testConfigDefaultsMissingKeysIgnoresUnknownOnes() throws {
        let json = #"{"hidden_size": 384, "num_hidden_layers": 6, "hidden_act": "gelu_new", "num_labels": 3, "some_future_key": [1, 2]}"#
        let config = try JSONDecoder().decode(BertConfig.self, from: Data(json.utf8))
        XCTAssertEqual(config.hiddenSize, 384)
        XCTAssertEqual(config.numHiddenLayers, 6)
        XCTAssertEqual(config.vocabSize, 30_522)
        XCTAssertEqual(config.layerNormEps, 1e-12)
        XCTAssertEqual(config.hiddenAct, .geluNew)
        XCTAssertEqual(config.numLabels, 3)
        let roundTrip = try JSONDecoder().decode(BertConfig.self, from: JSONEncoder().encode(config))
        XCTAssertEqual(roundTrip, config)
        let labelled = try JSONDecoder().decode(BertConfig.self, from: Data(#"{"id2label": {"1": "pos", "0": "neg"}}"#.utf8))
        XCTAssertEqual(labelled.labels, ["neg", "pos"])
    }

    func testConfigErrorsNameTheField() throws {
        XCTAssertThrowsError(try JSONDecoder().decode(BertConfig.self, from: Data(#"{"hidden_act": "swiglu9"}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("swiglu9"), "\($0)")
        }
        var bad = tiny
        bad.numAttentionHeads = 3
        var rng = SeededGenerator(seed: 0)
        XCTAssertThrowsError(try BertModel(config: bad, using: &rng)) { XCTAssertTrue("\($0)".contains("multiple of num_attention_heads"), "\($0)") }
    }

    func testPaddingDoesNotChangeTheRealTokensStates() throws {
        var rng = SeededGenerator(seed: 3)
        var config = tiny
        config.initializerRange = 0.5   // large weights: attending to padding would show
        let model = try BertModel(config: config, using: &rng)
        model.eval()
        let alone = model(inputIDs: [[1, 7, 9, 2]]).lastHiddenState                                   // (1, 4, H)
        let padded = model(inputIDs: [[1, 7, 9, 2, 5, 5]], attentionMask: [[1, 1, 1, 1, 0, 0]]).lastHiddenState   // (1, 6, H)
        assertClose(Array(padded.scalars.prefix(4 * 8)), alone.scalars, absolute: 1e-5, "padded vs alone")
        let unmasked = model(inputIDs: [[1, 7, 9, 2, 5, 5]]).lastHiddenState
        XCTAssertGreaterThan(zip(unmasked.scalars.prefix(32), alone.scalars).map { abs($0 - $1) }.max()!, 1e-2,
                             "without the mask the padding is attended to")
    }

    func testHeadsShapesAndQuestionAnsweringNeedsTwoLabels() throws {
        var rng = SeededGenerator(seed: 4)
        let ids = [[1, 5, 6, 2], [1, 8, 2, 0]]
        XCTAssertEqual(try BertForTokenClassification(config: BertConfig(vocabSize: 50, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 12, numLabels: 5), using: &rng)(inputIDs: ids).logits.shape, [2, 4, 5])
        let qa = try BertForQuestionAnswering(config: tiny, using: &rng)
        XCTAssertEqual(qa(inputIDs: ids).startLogits.shape, [2, 4])
        var three = tiny
        three.labels = ["a", "b", "c"]
        XCTAssertThrowsError(try BertForQuestionAnswering(config: three, using: &rng))
    }

    func testAMaskedLMLearnsToFillInAMask() throws {
        // Training through the whole model: a 2-layer BERT learns that token 5 follows 4.
        var rng = SeededGenerator(seed: 5)
        let model = try BertForMaskedLM(config: tiny, using: &rng)
        let optimizer = AdamW(model.parameters(), lr: 1e-2, weightDecay: 0)
        let mask = 3
        var last: Float = .infinity
        for _ in 0..<100 {
            let loss = model(inputIDs: [[1, 4, mask, 2], [1, 6, mask, 2]], labels: [[-100, -100, 5, -100], [-100, -100, 7, -100]]).loss!
            model.zeroGrad()
            loss.backward()
            optimizer.step()
            last = loss.scalar
        }
        XCTAssertLessThan(last, 0.1)
        model.eval()
        let logits = model(inputIDs: [[1, 4, mask, 2]]).logits.scalars   // (1, 4, 50)
        let row = Array(logits[(2 * 50)..<(3 * 50)])
        XCTAssertEqual(row.firstIndex(of: row.max()!), 5)
    }

    func testSavePretrainedRoundTripsWithTiedWeightsOnce() throws {
        var rng = SeededGenerator(seed: 6)
        var config = tiny
        config.labels = ["no", "yes", "maybe"]
        let model = try BertForPreTraining(config: config, using: &rng)
        model.eval()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bert-save-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.savePretrained(to: folder)
        let names = try SafetensorsFile.open(folder.appendingPathComponent("model.safetensors")).names
        XCTAssertFalse(names.contains("cls.predictions.decoder.weight"), "a tied weight is saved once")
        XCTAssertTrue(names.contains("bert.embeddings.word_embeddings.weight"))
        let loaded = try BertForPreTraining.load(directory: folder)
        config.architectures = ["BertForPreTraining"]
        XCTAssertEqual(loaded.config, config)
        XCTAssertEqual(try PretrainedConfigFile.identity(of: folder.appendingPathComponent("config.json")).architectures, ["BertForPreTraining"])
        let ids = [[1, 9, 8, 2]]
        XCTAssertEqual(loaded(inputIDs: ids).predictionLogits.scalars, model(inputIDs: ids).predictionLogits.scalars)
    }
}
