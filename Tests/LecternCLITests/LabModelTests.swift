// `lectern lab forward` and `lectern lab embed` end to end, on the tiny checkpoints that
// transformers and sentence-transformers wrote (Tests/LecternModelsTests/Fixtures/bert, by
// Scripts/fixtures/bert_reference.py): every output field against Python's, the summary
// lines, and the errors a user meets first.
import Foundation
import XCTest

final class LabModelTests: XCTestCase {
    static let fixtures = BuildProducts.course.appendingPathComponent("Tests/LecternModelsTests/Fixtures/bert")
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-lab-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func lab(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), ["lab"] + arguments, environment: ["NO_COLOR": "1", "HF_HUB_CACHE": scratch.path])
    }

    /// The F32 tensors of a safetensors file (8-byte header length, JSON header, data), read
    /// here without the library so that the test checks the file format too.
    func readSafetensors(_ url: URL) throws -> [String: (shape: [Int], values: [Float])] {
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        var result: [String: (shape: [Int], values: [Float])] = [:]
        for (name, entry) in header where name != "__metadata__" {
            let info = try XCTUnwrap(entry as? [String: Any])
            XCTAssertEqual(info["dtype"] as? String, "F32", name)
            let offsets = try XCTUnwrap(info["data_offsets"] as? [Int])
            let bytes = data.subdata(in: (8 + headerLength + offsets[0])..<(8 + headerLength + offsets[1]))
            let values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
            }
            result[name] = (try XCTUnwrap(info["shape"] as? [Int]), values)
        }
        return result
    }

    func testForwardWritesEveryFieldAsTransformersComputesIt() throws {
        let fields: [String: [String]] = [
            "bert_model": ["last_hidden_state", "pooler_output"],
            "bert_for_pretraining": ["last_hidden_state", "pooler_output", "prediction_logits", "seq_relationship_logits"],
            "bert_for_question_answering": ["last_hidden_state", "start_logits", "end_logits"],
        ]
        for (name, names) in fields {
            let directory = Self.fixtures.appendingPathComponent(name)
            let output = scratch.appendingPathComponent("\(name).safetensors")
            let result = try lab(["forward", "--model", directory.path, "--inputs", directory.appendingPathComponent("inputs.json").path,
                                  "--output", output.path])
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertEqual(result.out.split(separator: "\n").map { String($0.split(separator: " ")[0]) }, names, name)
            let got = try readSafetensors(output)
            let want = try readSafetensors(directory.appendingPathComponent("expected.safetensors"))
            XCTAssertEqual(Set(got.keys), Set(names), name)
            for field in names {
                let (g, w) = (try XCTUnwrap(got[field]), try XCTUnwrap(want[field]))
                XCTAssertEqual(g.shape, w.shape, "\(name).\(field)")
                let worst = zip(g.values, w.values).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThan(worst, 1e-4, "\(name).\(field)")
            }
        }
    }

    func testForwardJSONSummaryAndErrors() throws {
        let directory = Self.fixtures.appendingPathComponent("bert_for_sequence_classification")
        let output = scratch.appendingPathComponent("out.safetensors")
        let json = try lab(["forward", "--model", directory.path, "--inputs", directory.appendingPathComponent("inputs.json").path,
                            "--output", output.path, "--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(summary["architecture"] as? String, "BertForSequenceClassification")
        XCTAssertEqual((summary["outputs"] as? [String: [Int]])?["logits"], [3, 3])

        let badInputs = scratch.appendingPathComponent("bad.json")
        try Data(#"{"input_ids": [[1, 2, 3], [4]]}"#.utf8).write(to: badInputs)
        let ragged = try lab(["forward", "--model", directory.path, "--inputs", badInputs.path, "--output", output.path])
        XCTAssertEqual(ragged.status, 1)
        XCTAssertTrue(ragged.err.contains("lengths [3, 1]"), ragged.err)
        XCTAssertFalse(ragged.err.contains("Fatal error"), ragged.err)

        let missing = try lab(["forward", "--model", "nobody/no-such-model", "--inputs", badInputs.path, "--output", output.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("lectern lab pull nobody/no-such-model"), missing.err)
    }

    func testEmbedPrintsOneUnitVectorPerLine() throws {
        let folder = Self.fixtures.appendingPathComponent("tiny_sentence_transformer")
        let input = scratch.appendingPathComponent("sentences.txt")
        let sentences = ["The cat sat on the mat.", "a dog is eating fish!", "Birds run, cats eat.", "",
                         "THE RED CAT SAT ON THE MAT AND THE DOG SAT ON THE RED MAT TOO"]
        try Data((sentences.joined(separator: "\n") + "\n").utf8).write(to: input)
        let result = try lab(["embed", "--model", folder.path, "--input", input.path])
        XCTAssertEqual(result.status, 0, result.err)
        let rows = result.out.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float($0) } }
        let want = try XCTUnwrap(try readSafetensors(folder.appendingPathComponent("expected.safetensors"))["embeddings"])
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(rows.flatMap { $0 }.count, want.values.count)
        XCTAssertLessThan(zip(rows.flatMap { $0 }, want.values).map { abs($0 - $1) }.max() ?? 1, 1e-4)

        let json = try lab(["embed", "--model", folder.path, "--input", input.path, "--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["dimension"] as? Int, 16)
        XCTAssertEqual((object["embeddings"] as? [[Double]])?.count, 5)

        let plainBert = try lab(["embed", "--model", Self.fixtures.appendingPathComponent("bert_model").path, "--input", input.path])
        XCTAssertEqual(plainBert.status, 1)
        XCTAssertTrue(plainBert.err.contains("modules.json"), plainBert.err)
    }

    func testGenerateMatchesTransformersGreedySequences() throws {
        let folder = BuildProducts.course.appendingPathComponent("Tests/LecternModelsTests/Fixtures/gpt2/lm_head_model")
        let fixture = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("generate.json"))) as? [String: Any])
        let sequences = try XCTUnwrap(fixture["sequences"] as? [[Int]])
        // The fixture's prompts: "7,12,40" left-padded with 0 to the second one's length.
        let arguments = ["generate", "--model", folder.path, "--input-ids", "7,12,40", "--input-ids", "7,13,14,15,16",
                         "--max-new-tokens", "6", "--eos-token-id", "56", "--pad-token-id", "0"]
        let plain = try lab(arguments)
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertEqual(plain.out, sequences.map { $0.map(String.init).joined(separator: " ") }.joined(separator: "\n") + "\n")
        let json = try lab(arguments + ["--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["sequences"] as? [[Int]], sequences)

        let bad = try lab(["generate", "--model", folder.path, "--input-ids", "7,x", "--max-new-tokens", "2"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("--input-ids #1"), bad.err)
        let bert = try lab(["generate", "--model", Self.fixtures.appendingPathComponent("bert_model").path, "--input-ids", "1,2"])
        XCTAssertEqual(bert.status, 1)
        XCTAssertTrue(bert.err.contains("GPT2LMHeadModel"), bert.err)
    }

    func testForwardOnGPT2WritesLogits() throws {
        let folder = BuildProducts.course.appendingPathComponent("Tests/LecternModelsTests/Fixtures/gpt2/lm_head_model")
        let output = scratch.appendingPathComponent("gpt2.safetensors")
        let result = try lab(["forward", "--model", folder.path, "--inputs", folder.appendingPathComponent("inputs.json").path, "--output", output.path])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "logits [3, 7, 64]\n")
        let got = try XCTUnwrap(try readSafetensors(output)["logits"])
        let want = try XCTUnwrap(try readSafetensors(folder.appendingPathComponent("expected.safetensors"))["logits"])
        // Row 0 has no padding: every position must agree.
        XCTAssertLessThan(zip(got.values.prefix(7 * 64), want.values.prefix(7 * 64)).map { abs($0 - $1) }.max() ?? 1, 1e-4)
    }

    func testTrainGPTSavesAModelThatGenerateLoadsWithItsTokenizer() throws {
        // The course's own CC0 corpus, a byte-level BPE trained on it, and a tiny GPT-2 trained for a few steps.
        let corpus = BuildProducts.course.appendingPathComponent("Lessons/data/bert-corpus.txt")
        let tokenizer = scratch.appendingPathComponent("bpe"), model = scratch.appendingPathComponent("gpt")
        let trained = try lab(["train-tokenizer", "--type", "byte-bpe", "--vocab-size", "300", "--input", corpus.path, "--output", tokenizer.path])
        XCTAssertEqual(trained.status, 0, trained.err)
        let run = try lab(["train-gpt", "--corpus", corpus.path, "--tokenizer", tokenizer.path, "--output", model.path,
                           "--n-embd", "16", "--n-layer", "1", "--n-head", "2", "--context", "16", "--batch-size", "4",
                           "--steps", "20", "--eval-every", "10", "--lr", "1e-2"])
        XCTAssertEqual(run.status, 0, run.err)
        let evaluations = run.out.split(separator: "\n").filter { $0.hasPrefix("step ") }
        XCTAssertEqual(evaluations.count, 2, run.out)
        let firstPerplexity = try XCTUnwrap(evaluations.first.flatMap { Double($0.split(separator: " ").last!) })
        let lastPerplexity = try XCTUnwrap(evaluations.last.flatMap { Double($0.split(separator: " ").last!) })
        XCTAssertLessThan(lastPerplexity, 300, "below a uniform guess over 300 tokens: \(run.out)")
        XCTAssertLessThanOrEqual(lastPerplexity, firstPerplexity * 1.05, run.out)
        for name in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: model.appendingPathComponent(name).path), name)
        }
        let generated = try lab(["generate", "--model", model.path, "--text", "The", "--max-new-tokens", "5", "--json"])
        XCTAssertEqual(generated.status, 0, generated.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(generated.out.utf8)) as? [String: Any])
        XCTAssertEqual((object["texts"] as? [String])?.count, 1)
        XCTAssertGreaterThan((object["sequences"] as? [[Int]])?.first?.count ?? 0, 1)

        let continued = try lab(["train-gpt", "--corpus", corpus.path, "--tokenizer", tokenizer.path, "--output", model.path,
                                 "--from", model.path, "--batch-size", "2", "--steps", "2", "--eval-every", "2"])
        XCTAssertEqual(continued.status, 0, continued.err)
        XCTAssertTrue(continued.out.contains("context 16"), continued.out)
    }
}
