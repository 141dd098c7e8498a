// BERT against Hugging Face transformers: every architecture's outputs, losses and gradients
// for tiny random checkpoints written by Scripts/fixtures/bert_reference.py, and the loading
// rules (legacy names, buffers, shards, prefixes, tied weights, error lists).
import Foundation
import LecternCore
import LecternNN
import LecternTestSupport
import XCTest
@testable import LecternModels

final class BertParityTests: XCTestCase {
    nonisolated(unsafe) static let architectures: [(directory: String, type: any NamedForward.Type)] = [
        ("bert_model", BertModel.self), ("bert_for_pretraining", BertForPreTraining.self),
        ("bert_for_masked_lm", BertForMaskedLM.self), ("bert_for_sequence_classification", BertForSequenceClassification.self),
        ("bert_for_token_classification", BertForTokenClassification.self),
        ("bert_for_question_answering", BertForQuestionAnswering.self),
    ]

    func directory(_ name: String) throws -> URL {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/bert/\(name)")
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw XCTSkip("Fixtures/bert/\(name) is missing; run Scripts/fixtures/bert_reference.py")
        }
        return url
    }

    func expected(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile.open(directory(name).appendingPathComponent("expected.safetensors"))
    }

    func inputs(_ name: String) throws -> ModelInputs {
        try ModelInputs(json: Data(contentsOf: directory(name).appendingPathComponent("inputs.json")))
    }

    func assertMatches(_ outputs: [(name: String, tensor: Tensor)], _ expected: SafetensorsFile, case name: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let fields = expected.names.filter { !$0.hasPrefix("grad.") && $0 != "loss" }
        XCTAssertEqual(Set(outputs.map(\.name)), Set(fields), "\(name): output fields", file: file, line: line)
        for (field, tensor) in outputs {
            let want = try expected.tensor(field)
            XCTAssertEqual(tensor.shape, want.shape, "\(name).\(field) shape", file: file, line: line)
            assertClose(tensor.scalars, want.scalars, absolute: 2e-5, relative: 1e-4, "\(name).\(field)", file: file, line: line)
        }
    }

    func testEveryArchitectureMatchesTransformers() throws {
        for (name, type) in Self.architectures {
            let model = try AutoModel.load(directory: directory(name))
            XCTAssertTrue(Swift.type(of: model) == type, "\(name) loads as \(Swift.type(of: model))")
            try assertMatches(model.forward(inputs(name)), expected(name), case: name)
        }
    }

    func testLegacyGammaBetaNamesAndPositionBufferLoad() throws {
        // TF-era LayerNorm.gamma/.beta and the position_ids buffer, into the task model…
        let pretraining = try BertForPreTraining.load(directory: directory("legacy_pretraining"))
        try assertMatches(pretraining.forward(inputs("legacy_pretraining")), expected("bert_for_pretraining"), case: "legacy")
        // …and into the base model, which leaves the heads (cls.*) unused.
        let base = try BertModel.load(directory: directory("legacy_pretraining"))
        let out = try base.forward(inputs("legacy_pretraining"))
        let want = try expected("bert_for_pretraining")
        for (field, tensor) in out {
            assertClose(tensor.scalars, try want.tensor(field).scalars, absolute: 2e-5, relative: 1e-4, "base from legacy: \(field)")
        }
    }

    func testShardedCheckpointLoads() throws {
        XCTAssertFalse(FileManager.default.fileExists(atPath: try directory("sharded_model").appendingPathComponent("model.safetensors").path))
        let model = try BertModel.load(directory: directory("sharded_model"))
        try assertMatches(model.forward(inputs("sharded_model")), expected("sharded_model"), case: "sharded")
    }

    func testTiedDecoderIsTheWordEmbeddingTable() throws {
        // The checkpoint stores no cls.predictions.decoder.weight: it is the embeddings, tied.
        let mlm = try BertForMaskedLM.load(directory: directory("bert_for_masked_lm"))
        XCTAssertTrue(mlm.cls.predictions.decoder.weight === mlm.bert.embeddings.wordEmbeddings.weight)
        XCTAssertTrue(mlm.cls.predictions.decoder.bias === mlm.cls.predictions.bias)
        XCTAssertTrue(mlm.stateDictNames().contains("cls.predictions.decoder.weight"))
        XCTAssertEqual(mlm.parameters().count, mlm.stateDictNames().count - 2, "tied weights are counted once")
    }

    func testLossesAndGradientsMatchTransformers() throws {
        struct Labels: Decodable {
            var labels: [[Int]]?, next_sentence_label: [Int]?
            var start_positions: [Int]?, end_positions: [Int]?
        }
        struct ClassLabels: Decodable { var labels: [Int] }
        for (name, _) in Self.architectures where name != "bert_model" {
            let labelsURL = try directory(name).appendingPathComponent("labels.json")
            let data = try Data(contentsOf: labelsURL)
            let x = try BertInputs(inputs(name), BertConfig.load(from: directory(name).appendingPathComponent("config.json")))
            let loss: Tensor
            let bert: BertModel
            switch name {
            case "bert_for_pretraining":
                let m = try BertForPreTraining.load(directory: directory(name)); m.train(); bert = m.bert
                let l = try JSONDecoder().decode(Labels.self, from: data)
                loss = m(inputIDs: x.inputIDs, attentionMask: x.attentionMask, tokenTypeIDs: x.tokenTypeIDs,
                         labels: l.labels, nextSentenceLabel: l.next_sentence_label).loss!
            case "bert_for_masked_lm":
                let m = try BertForMaskedLM.load(directory: directory(name)); m.train(); bert = m.bert
                loss = m(inputIDs: x.inputIDs, attentionMask: x.attentionMask, tokenTypeIDs: x.tokenTypeIDs,
                         labels: try JSONDecoder().decode(Labels.self, from: data).labels).loss!
            case "bert_for_sequence_classification":
                let m = try BertForSequenceClassification.load(directory: directory(name)); m.train(); bert = m.bert
                loss = m(inputIDs: x.inputIDs, attentionMask: x.attentionMask, tokenTypeIDs: x.tokenTypeIDs,
                         labels: try JSONDecoder().decode(ClassLabels.self, from: data).labels).loss!
            case "bert_for_token_classification":
                let m = try BertForTokenClassification.load(directory: directory(name)); m.train(); bert = m.bert
                loss = m(inputIDs: x.inputIDs, attentionMask: x.attentionMask, tokenTypeIDs: x.tokenTypeIDs,
                         labels: try JSONDecoder().decode(Labels.self, from: data).labels).loss!
            default:
                let m = try BertForQuestionAnswering.load(directory: directory(name)); m.train(); bert = m.bert
                let l = try JSONDecoder().decode(Labels.self, from: data)
                loss = m(inputIDs: x.inputIDs, attentionMask: x.attentionMask, tokenTypeIDs: x.tokenTypeIDs,
                         startPositions: l.start_positions, endPositions: l.end_positions).loss!
            }
            let want = try expected(name)
            assertClose(loss.scalars, try want.tensor("loss").scalars, absolute: 1e-5, relative: 1e-4, "\(name) loss")
            loss.backward()
            let parameters = Dictionary(uniqueKeysWithValues: bert.namedParameters().map { ($0.name, $0.parameter) })
            for gradName in want.names where gradName.hasPrefix("grad.") {
                let p = try XCTUnwrap(parameters[String(gradName.dropFirst(5))], gradName)
                assertClose(try XCTUnwrap(p.grad, gradName).scalars, try want.tensor(gradName).scalars,
                            absolute: 1e-5, relative: 1e-3, "\(name) \(gradName)")
            }
        }
    }

    func testTaskModelFromBaseCheckpointNeedsTheOptInForNewHeads() throws {
        XCTAssertThrowsError(try BertForSequenceClassification.load(directory: directory("bert_model"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("classifier.weight") && text.contains("classifier.bias"), text)
            XCTAssertFalse(text.contains("bert.embeddings"), "the encoder itself loaded: \(text)")
        }
        var options = PretrainedLoadOptions()
        options.initializingNewHeads = true
        let model = try BertForSequenceClassification.load(directory: directory("bert_model"), options: options)
        let out = try model.forward(inputs("bert_model"))
        let want = try expected("bert_model")
        let hidden = try XCTUnwrap(out.first { $0.name == "last_hidden_state" }).tensor
        assertClose(hidden.scalars, try want.tensor("last_hidden_state").scalars, absolute: 2e-5, relative: 1e-4, "encoder under a new head")
        XCTAssertNotEqual(model.classifier.weight.value.scalars.max(), 0, "the new head is initialised, not zero")
    }

    func testMismatchedConfigListsEveryWrongShape() throws {
        var config = try BertConfig.load(from: directory("bert_for_masked_lm").appendingPathComponent("config.json"))
        config.intermediateSize = 25
        XCTAssertThrowsError(try BertForMaskedLM.load(directory: directory("bert_for_masked_lm"), config: config)) { error in
            guard case PretrainedModelError.weights(_, let stateError) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stateError.shapeMismatches.map(\.name), [
                "bert.encoder.layer.0.intermediate.dense.bias", "bert.encoder.layer.0.intermediate.dense.weight",
                "bert.encoder.layer.0.output.dense.weight", "bert.encoder.layer.1.intermediate.dense.bias",
                "bert.encoder.layer.1.intermediate.dense.weight", "bert.encoder.layer.1.output.dense.weight",
            ])
            XCTAssertEqual(stateError.missing, [])
            XCTAssertEqual(stateError.unexpected, [])
        }
    }

    func testUnexpectedAndMissingTensorsAreAllListed() throws {
        let source = try directory("bert_model")
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("bert-extra-\(UUID())")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: temp.appendingPathComponent("config.json"))
        let checkpoint = try SafetensorsCheckpoint(directory: source)
        var tensors: [String: Tensor] = [:]
        for name in checkpoint.names where name != "pooler.dense.bias" { tensors[name] = try checkpoint.tensor(name) }
        tensors["encoder.layer.0.attention.self.rotary.weight"] = Tensor.zeros([2])
        try Safetensors.write(tensors, to: temp.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try BertModel.load(directory: temp)) { error in
            guard case PretrainedModelError.weights(_, let stateError) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stateError.missing, ["pooler.dense.bias"])
            XCTAssertEqual(stateError.unexpected, ["encoder.layer.0.attention.self.rotary.weight"])
            XCTAssertTrue("\(error)".contains(temp.path))
        }
    }

    func testNoWeightsFileSaysWhatToDo() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("bert-pickle-\(UUID())")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        try FileManager.default.copyItem(at: directory("bert_model").appendingPathComponent("config.json"), to: temp.appendingPathComponent("config.json"))
        try Data("not a pickle".utf8).write(to: temp.appendingPathComponent("pytorch_model.bin"))
        XCTAssertThrowsError(try BertModel.load(directory: temp)) { error in
            XCTAssertTrue("\(error)".contains("safe_serialization=True"), "\(error)")
        }
    }

    func testBadInputsAreErrorsNamingTheInput() throws {
        let model = try AutoModel.load(directory: directory("bert_model"))
        let cases: [(String, String)] = [
            (#"{"input_ids": [[1, 2], [3]]}"#, "lengths [2, 1]"),
            (#"{"input_ids": [[1, 64]]}"#, "\"input_ids\"[0][1] = 64"),
            (#"{"input_ids": [[1, 2]], "attention_mask": [[1, 2]]}"#, "\"attention_mask\"[0][1] = 2"),
            (#"{"input_ids": [[1, 2]], "token_type_ids": [[0, 2]]}"#, "type_vocab_size"),
            (#"{"input_ids": [[1, 2]], "pixel_values": [[0, 0]]}"#, "unknown input \"pixel_values\""),
            (#"{"attention_mask": [[1, 1]]}"#, "\"input_ids\" is required"),
            (#"{"input_ids": [[1.5]]}"#, "integers"),
        ]
        for (json, fragment) in cases {
            XCTAssertThrowsError(try model.forward(ModelInputs(json: Data(json.utf8))), json) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(json): \(error)")
            }
        }
        let long = ModelInputs(["input_ids": [Array(repeating: 1, count: 33)]])
        XCTAssertThrowsError(try model.forward(long)) { XCTAssertTrue("\($0)".contains("max_position_embeddings"), "\($0)") }
    }
}

/// The sentence-embedding pipeline against sentence-transformers on a tiny folder saved by
/// sentence-transformers itself (its current layout: "pooling_mode", model_max_length 12).
final class SentenceEmbedderTests: XCTestCase {
    struct Sentences: Decodable { var sentences: [String]; var input_ids: [[Int]] }

    func folder() throws -> URL {
        try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/bert/tiny_sentence_transformer")
    }

    func testTinySentenceTransformerMatchesPython() throws {
        let embedder = try SentenceEmbedder.load(directory: folder())
        XCTAssertEqual(embedder.maxSeqLength, 12)
        XCTAssertEqual(embedder.pooling.mode, .mean)
        XCTAssertTrue(embedder.normalizes)
        let fixture = try JSONDecoder().decode(Sentences.self, from: Data(contentsOf: folder().appendingPathComponent("sentences.json")))
        XCTAssertEqual(fixture.sentences.map { embedder.encode($0).ids }, fixture.input_ids)
        let want = try SafetensorsFile.open(folder().appendingPathComponent("expected.safetensors")).tensor("embeddings")
        for batchSize in [1, 2, 32] {
            embedder.batchSize = batchSize
            let got = embedder.embed(fixture.sentences)
            XCTAssertEqual(got.shape, want.shape)
            assertClose(got.scalars, want.scalars, absolute: 2e-5, relative: 1e-4, "batch size \(batchSize)")
        }
    }

    func testPoolingModes() throws {
        // (1, 3, 2) states, the last position padding.
        let h = Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 6, 100, 100])
        let mask = [[1, 1, 0]]
        XCTAssertEqual(SentencePooling(mode: .mean)(h, attentionMask: mask).scalars, [2, 4])
        XCTAssertEqual(SentencePooling(mode: .cls)(h, attentionMask: mask).scalars, [1, 2])
        XCTAssertEqual(SentencePooling(mode: .max)(h, attentionMask: mask).scalars, [3, 6])
        assertClose(SentencePooling(mode: .meanSqrtLength)(h, attentionMask: mask).scalars, [4 / Float(2).squareRoot(), 8 / Float(2).squareRoot()], absolute: 1e-6)
        XCTAssertEqual(l2Normalized(Tensor(shape: [2, 2], scalars: [3, 4, 0, 0])).scalars, [0.6, 0.8, 0, 0])
    }

    func testNotASentenceTransformerFolderSaysSo() throws {
        let plain = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/bert/bert_model")
        XCTAssertThrowsError(try SentenceEmbedder.load(directory: plain)) { XCTAssertTrue("\($0)".contains("modules.json"), "\($0)") }
    }
}
