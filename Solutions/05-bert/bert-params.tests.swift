import XCTest
import LecternModels

/// Hidden tests for `bertParameterCount`: against the library's `LecternModels.BertModel` built
/// from several small configurations (with the pooler), and `LecternModels.BertForMaskedLM`'s
/// encoder (without it); MiniLM's shape; and one configuration far too large to build, whose
/// count is worked out by hand below.
final class BertParamsHiddenTests: XCTestCase {
    func testSmallConfigurationsAgainstTheLibrary() {
        let shapes: [(v: Int, h: Int, l: Int, i: Int, p: Int, s: Int)] = [
            (10, 4, 1, 8, 6, 2), (37, 12, 3, 20, 16, 2), (5, 6, 2, 6, 3, 3), (100, 16, 0, 64, 32, 1), (50, 8, 4, 32, 20, 2),
        ]
        for (v, h, l, i, p, s) in shapes {
            var rng = SeededGenerator(seed: 531)
            let config = LecternModels.BertConfig(vocabSize: v, hiddenSize: h, numHiddenLayers: l, numAttentionHeads: 2,
                                                  intermediateSize: i, maxPositionEmbeddings: p, typeVocabSize: s)
            let withPooler = try! LecternModels.BertModel(config: config, using: &rng)
            XCTAssertEqual(bertParameterCount(vocabSize: v, hiddenSize: h, layers: l, intermediateSize: i, maxPositions: p,
                                              typeVocabSize: s), withPooler.parameterCount, "V \(v), H \(h), L \(l), I \(i), P \(p), S \(s)")
            let encoderOnly = try! LecternModels.BertForMaskedLM(config: config, using: &rng).bert
            XCTAssertEqual(bertParameterCount(vocabSize: v, hiddenSize: h, layers: l, intermediateSize: i, maxPositions: p,
                                              typeVocabSize: s, withPooler: false), encoderOnly.parameterCount,
                           "without the pooler: V \(v), H \(h), L \(l), I \(i), P \(p), S \(s)")
        }
    }

    func testMiniLM() {
        // all-MiniLM-L6-v2: V 30,522, H 384, 6 layers, I 1536: 22,713,216 (sentence-transformers' "22.7 M").
        XCTAssertEqual(bertParameterCount(vocabSize: 30_522, hiddenSize: 384, layers: 6, intermediateSize: 1536), 22_713_216)
    }

    func testAModelTooLargeToBuild() {
        // V 250,002, H 2560, 36 layers, I 10240, 514 positions, 1 segment (an XLM-R XL-sized BERT).
        // Embeddings (250,002 + 514 + 1) · 2560 + 2 · 2560 = 641,328,640.
        // One layer 4 · (2560² + 2560) + (2560 · 10240 + 10240) + (10240 · 2560 + 2560) + 4 · 2560 = 78,676,480;
        // 36 layers 2,832,353,280. Pooler 2560² + 2560 = 6,556,160. Total 3,480,238,080.
        XCTAssertEqual(bertParameterCount(vocabSize: 250_002, hiddenSize: 2560, layers: 36, intermediateSize: 10_240,
                                          maxPositions: 514, typeVocabSize: 1), 3_480_238_080)
    }

    func testNoSegmentTableAndNoPooler() {
        // DistilBERT's shape: (30,522 + 512) · 768 + 2 · 768 + 6 · 7,087,872 = 66,362,880.
        XCTAssertEqual(bertParameterCount(vocabSize: 30_522, hiddenSize: 768, layers: 6, intermediateSize: 3072,
                                          typeVocabSize: 0, withPooler: false), 66_362_880)
    }
}
