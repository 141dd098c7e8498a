// GPT-2 against Hugging Face transformers (fixtures by Scripts/fixtures/gpt2_reference.py): logits
// of unpadded, right- and left-padded rows, the shifted loss and its gradients (through the
// Conv1D transpose), greedy generate() with EOS and padding, cached steps against the full
// forward, an old checkpoint with mask buffers and no prefix, and GPT-2 small's size.
import Foundation
import LecternCore
import LecternNN
import LecternTestSupport
import XCTest
@testable import LecternModels

final class GPT2ParityTests: XCTestCase {
    func folder(_ name: String) throws -> URL {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/gpt2/\(name)")
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw XCTSkip("Fixtures/gpt2/\(name) is missing; run Scripts/fixtures/gpt2_reference.py")
        }
        return url
    }

    struct Inputs: Decodable { var input_ids: [[Int]]; var attention_mask: [[Int]]; var position_ids: [[Int]] }

    func inputs() throws -> Inputs {
        try JSONDecoder().decode(Inputs.self, from: Data(contentsOf: folder("lm_head_model").appendingPathComponent("inputs.json")))
    }

    func expected() throws -> SafetensorsFile {
        try SafetensorsFile.open(folder("lm_head_model").appendingPathComponent("expected.safetensors"))
    }

    /// The logits of the real (unpadded) positions only: a padded position's output is never used.
    func realRows(_ logits: [Float], mask: [[Int]], vocab: Int) -> [Float] {
        var rows: [Float] = []
        for (b, row) in mask.enumerated() {
            for (t, flag) in row.enumerated() where flag == 1 {
                let start = (b * row.count + t) * vocab
                rows += logits[start..<(start + vocab)]
            }
        }
        return rows
    }

    func testLogitsOfPaddedBatchesMatchTransformers() throws {
        let model = try GPT2LMHeadModel.load(directory: folder("lm_head_model"))
        let x = try inputs()
        let logits = model(inputIDs: x.input_ids, attentionMask: x.attention_mask, positionIDs: x.position_ids).logits
        XCTAssertEqual(logits.shape, [3, 7, 64])
        let want = try expected().tensor("logits").scalars
        assertClose(realRows(logits.scalars, mask: x.attention_mask, vocab: 64), realRows(want, mask: x.attention_mask, vocab: 64),
                    absolute: 1e-4, relative: 1e-4, "logits")
        XCTAssertTrue(model.lmHead.weight === model.transformer.wte.weight, "lm_head is wte")
    }

    func testLossAndGradientsThroughTheConv1DTranspose() throws {
        let model = try GPT2LMHeadModel.load(directory: folder("lm_head_model"))
        model.train()   // dropout is 0 in this config
        let x = try inputs()
        struct Labels: Decodable { var labels: [[Int]] }
        let labels = try JSONDecoder().decode(Labels.self, from: Data(contentsOf: folder("lm_head_model").appendingPathComponent("labels.json"))).labels
        let loss = try XCTUnwrap(model(inputIDs: x.input_ids, attentionMask: x.attention_mask, positionIDs: x.position_ids, labels: labels).loss)
        let want = try expected()
        assertClose(loss.scalars, try want.tensor("loss").scalars, absolute: 1e-5, relative: 1e-5, "loss")
        loss.backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter) })
        for name in want.names where name.hasPrefix("grad.") {
            let parameterName = String(name.dropFirst(5))
            var grad = try XCTUnwrap(parameters[parameterName]?.grad, parameterName)
            if GPT2Model.naming.isTransposed(parameterName) { grad = grad.transposed(0, 1) }   // back to Conv1D's [in, out]
            assertClose(grad.scalars, try want.tensor(name).scalars, absolute: 1e-5, relative: 1e-3, name)
        }
    }

    func testGreedyGenerateMatchesTransformersWithEOSAndPadding() throws {
        struct Generate: Decodable {
            var input_ids: [[Int]]; var attention_mask: [[Int]]; var max_new_tokens: Int
            var pad_token_id: Int; var eos_token_id: Int; var sequences: [[Int]]
        }
        let g = try JSONDecoder().decode(Generate.self, from: Data(contentsOf: folder("lm_head_model").appendingPathComponent("generate.json")))
        let model = try GPT2LMHeadModel.load(directory: folder("lm_head_model"))
        let out = model.generate(inputIDs: g.input_ids, attentionMask: g.attention_mask, maxNewTokens: g.max_new_tokens,
                                 eosTokenID: g.eos_token_id, padTokenID: g.pad_token_id)
        XCTAssertEqual(out, g.sequences)
        // Without an EOS in reach, all 6 tokens come.
        let long = model.generate(inputIDs: g.input_ids, attentionMask: g.attention_mask, maxNewTokens: 6, eosTokenID: 63, padTokenID: 0)
        XCTAssertEqual(long.map(\.count), [11, 11])
        XCTAssertEqual(long.map { Array($0.prefix(6)) }, g.sequences.map { Array($0.prefix(6)) }, "the first step agrees")
    }

    func testCachedStepsGiveTheFullForwardsLogits() throws {
        let model = try GPT2LMHeadModel.load(directory: folder("lm_head_model"))
        let ids = [[7, 12, 40, 3, 9, 22, 61]]
        let full = model(inputIDs: ids).logits.scalars                       // (1, 7, 64)
        var cache = GPT2Cache(capacity: 7)
        var stepped: [Float] = model(inputIDs: [Array(ids[0].prefix(3))], cache: &cache).scalars   // the prompt at once
        for token in ids[0].dropFirst(3) {
            stepped += model(inputIDs: [[token]], cache: &cache).scalars     // one token per step
        }
        XCTAssertEqual(cache.length, 7)
        assertClose(stepped, full, absolute: 1e-5, relative: 1e-4, "cached vs full")
    }

    func testOldCheckpointWithMaskBuffersAndNoPrefixLoads() throws {
        let model = try GPT2LMHeadModel.load(directory: folder("old_checkpoint"))
        let x = try inputs()
        let logits = model(inputIDs: x.input_ids, attentionMask: x.attention_mask, positionIDs: x.position_ids).logits
        assertClose(realRows(logits.scalars, mask: x.attention_mask, vocab: 64),
                    realRows(try expected().tensor("logits").scalars, mask: x.attention_mask, vocab: 64),
                    absolute: 1e-4, relative: 1e-4, "old checkpoint")
        let base = try GPT2Model.load(directory: folder("lm_head_model"))   // task checkpoint into the base model
        XCTAssertEqual(base(inputIDs: [[1, 2, 3]]).shape, [1, 3, 16])
    }

    func testSavedModelLoadsBackWithConv1DLayout() throws {
        let model = try GPT2LMHeadModel.load(directory: folder("lm_head_model"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-save-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        try model.savePretrained(to: out)
        let saved = try SafetensorsFile.open(out.appendingPathComponent("model.safetensors"))
        let original = try SafetensorsFile.open(folder("lm_head_model").appendingPathComponent("model.safetensors"))
        XCTAssertEqual(Set(saved.names), Set(original.names), "the same names as transformers saves")
        for name in original.names {
            XCTAssertEqual(saved.info(name)?.shape, original.info(name)?.shape, name)
            XCTAssertEqual(try saved.floats(name), try original.floats(name), name)
        }
    }

    func testGPT2SmallHas124439808Parameters() throws {
        let small = try GPT2LMHeadModel(config: .small, parameters: ParameterStore.zeros().root)
        XCTAssertEqual(small.parameterCount, 124_439_808)
        XCTAssertEqual(try GPT2Model(config: .medium, parameters: ParameterStore.zeros().root).parameterCount, 354_823_168)
    }
}
