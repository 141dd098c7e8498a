import XCTest

/// Hidden tests for `gpt2ParameterCount`: the four released GPT-2 sizes (Hugging Face's counts,
/// lm_head tied), a configuration with a non-default `n_inner`, one too big for any machine, and
/// a tiny one counted term by term.
final class GPT2ParamsHiddenTests: XCTestCase {
    func testTheFourReleasedSizes() {
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 50257, positions: 1024, width: 768, layers: 12), 124_439_808)
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 50257, positions: 1024, width: 1024, layers: 24), 354_823_168)
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 50257, positions: 1024, width: 1280, layers: 36), 774_030_080)
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 50257, positions: 1024, width: 1600, layers: 48), 1_557_611_200)
    }

    func testInnerWidth() {
        // H = 4, I = 6, V = 10, P = 3, one layer: 40 + 12 + (4·12 + 12 + 16 + 4) + (24 + 6 + 24 + 4) + 16 + 8.
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 10, positions: 3, width: 4, layers: 1, inner: 6),
                       40 + 12 + 80 + 58 + 16 + 8)
    }

    func testAConfigurationTooBigToBuild() {
        // GPT-3 175B's shape with GPT-2's vocabulary and 2048 positions: 96 layers of width 12288.
        // 12·H² + 13·H per layer, (V + P)·H, 2·H.
        let h = 12288
        XCTAssertEqual(gpt2ParameterCount(vocabSize: 50257, positions: 2048, width: h, layers: 96),
                       (50257 + 2048) * h + 96 * (12 * h * h + 13 * h) + 2 * h)
    }
}
