// GPT-2's structure without a checkpoint: config decoding with OpenAI's keys, the names each
// class asks for, the tied head, position ids for left padding, and a tiny GPT that learns.
import Foundation
import LecternCore
import LecternNN
import XCTest
@testable import LecternModels

final class GPT2ModelTests: XCTestCase {
    let tiny = GPT2Config(vocabSize: 20, nPositions: 16, nEmbd: 16, nLayer: 2, nHead: 2, residPdrop: 0, embdPdrop: 0, attnPdrop: 0)

    func testConfigReadsOpenAIKeysWithDefaults() throws {
        let config = try JSONDecoder().decode(GPT2Config.self, from: Data(#"{"n_embd": 64, "n_layer": 3, "n_head": 4, "future_key": 1}"#.utf8))
        XCTAssertEqual(config.nEmbd, 64)
        XCTAssertEqual(config.vocabSize, 50_257)
        XCTAssertEqual(config.layerNormEpsilon, 1e-5)
        XCTAssertEqual(config.activationFunction, .geluNew)
        XCTAssertEqual(config.innerSize, 256)
        XCTAssertEqual(try JSONDecoder().decode(GPT2Config.self, from: JSONEncoder().encode(config)), config)
        XCTAssertThrowsError(try JSONDecoder().decode(GPT2Config.self, from: Data(#"{"scale_attn_by_inverse_layer_idx": true}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("scale_attn_by_inverse_layer_idx"), "\($0)")
        }
    }

    func testNamesAreHuggingFacesAndTheHeadIsTied() throws {
        let store = ParameterStore(generator: SeededGenerator(seed: 1))
        let model = try GPT2LMHeadModel(config: tiny, parameters: store.root)
        XCTAssertEqual(store.requestedNames.sorted(), model.stateDictNames().sorted())
        for name in ["transformer.wte.weight", "transformer.wpe.weight", "transformer.h.1.ln_1.weight", "transformer.h.0.attn.c_attn.weight",
                     "transformer.h.0.attn.c_proj.bias", "transformer.h.1.mlp.c_fc.weight", "transformer.ln_f.bias", "lm_head.weight"] {
            XCTAssertTrue(model.stateDictNames().contains(name), name)
        }
        XCTAssertTrue(model.lmHead.weight === model.transformer.wte.weight)
        XCTAssertEqual(model.transformer.h[0].attn.cAttn.weight.shape, [48, 16], "stored [out, in], unlike Conv1D's [in, out]")
    }

    func testPositionIDsSkipLeftPadding() {
        XCTAssertEqual(GPT2LMHeadModel.positionIDs(attentionMask: [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]]), [[0, 0, 0, 1, 2], [0, 1, 2, 3, 4]])
    }

    func testLeftPaddingWithPositionIDsGivesTheUnpaddedLogits() throws {
        var rng = SeededGenerator(seed: 2)
        let model = try GPT2LMHeadModel(config: tiny, using: &rng)
        model.eval()
        let alone = model(inputIDs: [[3, 4, 5]]).logits.scalars                                    // (1, 3, V)
        let mask = [[0, 0, 1, 1, 1]]
        let padded = model(inputIDs: [[0, 0, 3, 4, 5]], attentionMask: mask,
                           positionIDs: GPT2LMHeadModel.positionIDs(attentionMask: mask)).logits.scalars   // (1, 5, V)
        let real = Array(padded[(2 * 20)...])
        XCTAssertEqual(real.count, alone.count)
        XCTAssertLessThan(zip(real, alone).map { abs($0 - $1) }.max()!, 1e-5)
    }

    func testATinyGPTLearnsToCount() throws {
        // Sequences a, a+1, a+2, …: after training, greedy generation continues the count.
        var rng = SeededGenerator(seed: 3)
        let model = try GPT2LMHeadModel(config: tiny, using: &rng)
        let optimizer = AdamW(model.parameters(), lr: 1e-2, weightDecay: 0)
        let batch = (0..<8).map { start in (0..<8).map { start + $0 } }
        var first: Float = 0, last: Float = 0
        for step in 0..<150 {
            let loss = model(inputIDs: batch, labels: batch).loss!
            model.zeroGrad()
            loss.backward()
            optimizer.step()
            if step == 0 { first = loss.scalar }
            last = loss.scalar
        }
        XCTAssertLessThan(last, first / 10)
        model.eval()
        XCTAssertEqual(model.generate(inputIDs: [[2, 3, 4]], maxNewTokens: 4, eosTokenID: 19), [[2, 3, 4, 5, 6, 7, 8]])
    }
}
