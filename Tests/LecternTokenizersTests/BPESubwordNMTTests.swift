// Parity with the real subword-nmt 0.3.8: merges learnt on ~237 KB of license texts and the
// `@@ ` segmentation of a few hundred lines, both written by Scripts/fixtures/bpe_subword_nmt.py
// (which runs `subword-nmt learn-bpe` and `apply-bpe` on Fixtures/bpe/corpus.txt).
import XCTest
@testable import LecternTokenizers

final class BPESubwordNMTTests: XCTestCase {
    func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/bpe/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    func testMergesFileIsIdenticalToSubwordNMT() throws {
        let words = WordFrequencies(countingWordsIn: try fixture("corpus.txt"))
        let result = BPETrainer.train(words, convention: .subwordNMT, merges: 2000)
        XCTAssertEqual(result.stop, .mergeLimit)
        let expected = try fixture("merges-2000.txt")
        XCTAssertEqual(result.merges.fileText, expected)
        // Line by line, for a readable failure.
        for (index, (ours, theirs)) in zip(result.merges.fileText.split(separator: "\n"), expected.split(separator: "\n")).enumerated()
        where ours != theirs {
            XCTFail("line \(index + 1): ours \"\(ours)\", subword-nmt \"\(theirs)\"")
            break
        }
    }

    func testMinimumFrequencyStopsWhereSubwordNMTStops() throws {
        let words = WordFrequencies(countingWordsIn: try fixture("corpus.txt"))
        let result = BPETrainer.train(words, convention: .subwordNMT, merges: 2000, minimumFrequency: 40)
        XCTAssertEqual(result.stop, .minimumFrequency)
        XCTAssertEqual(result.merges.fileText, try fixture("merges-minfreq-40.txt"))
        XCTAssertLessThan(result.merges.count, 2000)
        XCTAssertTrue(result.counts.allSatisfy { $0 >= 40 })
    }

    func testSegmentationIsIdenticalToSubwordNMT() throws {
        let merges = try BPEMerges(fileText: try fixture("merges-2000.txt"))
        XCTAssertEqual(merges.convention, .subwordNMT)
        XCTAssertEqual(merges.count, 2000)
        let segmenter = BPESegmenter(merges: merges)
        let input = BPESegmenter.lines(in: try fixture("apply-input.txt"))
        let expected = BPESegmenter.lines(in: try fixture("apply-output.txt"))
        XCTAssertEqual(input.count, expected.count)
        XCTAssertGreaterThan(input.count, 300)
        for (index, (line, want)) in zip(input, expected).enumerated() {
            XCTAssertEqual(segmenter.segment(line: line), want, "line \(index + 1)")
        }
    }
}
