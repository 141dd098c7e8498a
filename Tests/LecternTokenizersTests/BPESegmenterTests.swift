// Applying classic BPE merges (subword-nmt's apply_bpe.py): rank order, "</w>", the "@@ "
// output, whitespace at line ends, the per-word cache, and reading merges files.
import XCTest
@testable import LecternTokenizers

final class BPESegmenterTests: XCTestCase {
    let merges = BPEMerges(convention: .subwordNMT, merges: [
        BPEMerge("l", "o"), BPEMerge("lo", "w"), BPEMerge("e", "r</w>"), BPEMerge("low", "er</w>"), BPEMerge("e", "s"),
    ])

    func testMergesApplyByRankAndEndOfWord() {
        let segmenter = BPESegmenter(merges: merges)
        XCTAssertEqual(segmenter.segment(word: "lower"), ["lower"])
        XCTAssertEqual(segmenter.segment(word: "lowest"), ["low", "es", "t"])
        // "er" only merges at the end of a word: "</w>" is part of the merge.
        XCTAssertEqual(segmenter.segment(word: "eraser"), ["e", "r", "a", "s", "er"])
        XCTAssertEqual(segmenter.segment(word: "x"), ["x"])
        XCTAssertEqual(segmenter.segment(word: ""), [])
        // Symbols no merge knows pass through.
        XCTAssertEqual(segmenter.segment(word: "ло"), ["л", "о"])
    }

    func testLowestRankWinsOverLeftmost() {
        // "b c" has the lower rank, so "abc" → a + bc, not ab + c.
        let merges = BPEMerges(convention: .plain, merges: [BPEMerge("b", "c"), BPEMerge("a", "b")])
        XCTAssertEqual(BPESegmenter(merges: merges).segment(word: "abc"), ["a", "bc"])
        // Equal pairs merge left to right: "aaa" → "aa a".
        let same = BPEMerges(convention: .plain, merges: [BPEMerge("a", "a")])
        XCTAssertEqual(BPESegmenter(merges: same).segment(word: "aaa"), ["aa", "a"])
    }

    func testLinesKeepTheirEndsAndCollapseInnerSpaces() {
        let segmenter = BPESegmenter(merges: merges)
        XCTAssertEqual(segmenter.segment(line: "lowest lower\n"), "low@@ es@@ t lower\n")
        XCTAssertEqual(segmenter.segment(line: "  lowest   lower \r\n"), "  low@@ es@@ t lower \r\n")
        // "lo w" does not apply at the end of "low": there the symbol is "w</w>".
        XCTAssertEqual(segmenter.segment(line: "low"), "lo@@ w")
        XCTAssertEqual(segmenter.segment(line: "   \n"), "   \n")
        XCTAssertEqual(segmenter.segment(line: ""), "")
        XCTAssertEqual(segmenter.segment(text: "lower\nlowest"), "lower\nlow@@ es@@ t")
        XCTAssertEqual(BPESegmenter(merges: merges, separator: "##").segment(line: "lowest"), "low## es## t")
        XCTAssertEqual(BPESegmenter.lines(in: "a\r\nb\u{0C}c\rd\u{2028}e"), ["a\r\n", "b\u{0C}", "c\r", "d\u{2028}", "e"])
    }

    func testEachWordIsSegmentedOnce() {
        let segmenter = BPESegmenter(merges: merges)
        XCTAssertEqual(segmenter.cachedWordCount, 0)
        _ = segmenter.segment(line: "lower lower lowest lower")
        XCTAssertEqual(segmenter.cachedWordCount, 2)
        XCTAssertEqual(segmenter.segment(word: "lowest"), ["low", "es", "t"])
        XCTAssertEqual(segmenter.cachedWordCount, 2)
        // The cache is keyed by bytes: the two spellings of "é" are two entries.
        _ = segmenter.segment(word: "\u{E9}")
        _ = segmenter.segment(word: "e\u{301}")
        XCTAssertEqual(segmenter.cachedWordCount, 4)
    }

    func testSharedBetweenTasks() async {
        let segmenter = BPESegmenter(merges: merges)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { segmenter.segment(word: "lowest") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(Set(results), [["low", "es", "t"]])
    }

    func testMergesFileRoundTrip() throws {
        XCTAssertEqual(merges.fileText, "#version: 0.2\nl o\nlo w\ne r</w>\nlow er</w>\ne s\n")
        XCTAssertEqual(try BPEMerges(fileText: merges.fileText), merges)
        let plain = BPEMerges(convention: .plain, merges: [BPEMerge("a", "t")])
        XCTAssertEqual(try BPEMerges(fileText: plain.fileText), plain)
        // CRLF line ends, trailing blank lines and "0.2.0" read as apply_bpe.py reads them.
        XCTAssertEqual(try BPEMerges(fileText: "#version: 0.2.0\r\nl o\r\n\n\n").merges, [BPEMerge("l", "o")])
        // A header alone is an empty table.
        XCTAssertEqual(try BPEMerges(fileText: "#version: 0.2\n").count, 0)
    }

    func testMalformedMergesFilesNameTheLine() {
        XCTAssertThrowsError(try BPEMerges(fileText: "#version: 0.2\nl o\nl o w\n", path: "m.txt")) { error in
            XCTAssertEqual(error as? BPEMergesError, .malformedLine(path: "m.txt", line: 3, text: "l o w"))
            XCTAssertEqual("\(error)", "m.txt:3: expected two symbols separated by a space, found \"l o w\"")
        }
        XCTAssertThrowsError(try BPEMerges(fileText: "#version: 0.2\nl o\n\nl\n", path: "m.txt")) { error in
            XCTAssertEqual(error as? BPEMergesError, .malformedLine(path: "m.txt", line: 3, text: ""))
        }
        XCTAssertThrowsError(try BPEMerges(fileText: "l o\n", path: "m.txt")) { error in
            guard case .unsupportedVersion = error as? BPEMergesError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try BPEMerges(fileText: "#version: 0.3\n", path: "m.txt")) { error in
            XCTAssertEqual(error as? BPEMergesError, .unsupportedVersion(path: "m.txt", version: "0.3"))
        }
        XCTAssertThrowsError(try BPEMerges(contentsOf: URL(fileURLWithPath: "/nonexistent/merges.txt"))) { error in
            XCTAssertEqual(error as? BPEMergesError, .fileNotFound(path: "/nonexistent/merges.txt"))
        }
    }
}
