import XCTest

/// Hidden tests for `corpusPerplexity`: weighting by token counts (not a mean of per-batch
/// perplexities, not an unweighted mean of losses), a batch with no tokens, and large totals.
final class PerplexityHiddenTests: XCTestCase {
    func testWeightsByTokens() {
        // (ln 2 · 1 + ln 8 · 3) / 4 = ln 2 · (1 + 9) / 4 → 2^2.5 = 5.657.
        XCTAssertEqual(corpusPerplexity(batchLosses: [Float(log(2.0)), Float(log(8.0))], tokenCounts: [1, 3]),
                       Float(pow(2.0, 2.5)), accuracy: 1e-4)
    }

    func testAnEmptyBatchDoesNotCount() {
        XCTAssertEqual(corpusPerplexity(batchLosses: [Float(log(5.0)), 123], tokenCounts: [10, 0]), 5, accuracy: 1e-4)
    }

    func testManyBatches() {
        // 1000 batches of 512 tokens at loss ln 50: perplexity 50, without overflow or drift.
        XCTAssertEqual(corpusPerplexity(batchLosses: Array(repeating: Float(log(50.0)), count: 1000),
                                  tokenCounts: Array(repeating: 512, count: 1000)), 50, accuracy: 1e-2)
    }
}
