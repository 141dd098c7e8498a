// The attention heatmap: layout, the three styles, labels, validation and empty matrices.
import LecternNN
import XCTest

final class AttentionHeatmapTests: XCTestCase {
    private let weights: [[Float]] = [[0.97, 0.02, 0.01], [0.1, 0.6, 0.3], [0, 0.25, 0.75]]
    private let source = ["le", "chat", "noir"]
    private let target = ["the", "black", "cat"]

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testDimensionsVerticalAndShortHeaders() {
        let map = AttentionHeatmap(weights, source: source, target: target)
        for style in AttentionHeatmap.Style.allCases {
            let out = lines(map.render(style: style))
            // "chat"/"noir" are written downwards: 4 header lines, 3 rows, 1 legend.
            XCTAssertEqual(out.count, 4 + 3 + 1, "\(style)")
        }
        // Labels of at most two characters fit on one header line.
        let short = AttentionHeatmap([[1, 0], [0, 1]], source: ["a", "bc"], target: ["x", "y"])
        let out = lines(short.render(style: .ascii))
        XCTAssertEqual(out, ["   a bc", "x |@@  |", "y |  @@|", " 0   ..::--==++**##%%@@ 1"])
    }

    func testShadesLayoutAndDarkestCell() {
        let out = lines(AttentionHeatmap(weights, source: source, target: target).render(style: .shades))
        XCTAssertEqual(out, [
            "       l c n",
            "       e h o",
            "         a i",
            "         t r",
            "  the │██    │",
            "black │  ▓▓░░│",
            "  cat │  ░░▓▓│",
            "     0   ░░▒▒▓▓██ 1",
        ])
        let rows = out[4..<7].map { String($0.split(separator: "│")[1]) }
        XCTAssertEqual(rows.map(\.count), [6, 6, 6], "cells are two characters wide")
        XCTAssertEqual(rows.joined().filter { $0 == "█" }.count, 2, "only the strongest cell is darkest")
    }

    func testAsciiIsAsciiWithStrongestCellDarkest() {
        let map = AttentionHeatmap(weights, source: ["é", "\n", "très-long-mot"], target: ["the", "black", "cat"])
        let text = map.render(style: .ascii)
        XCTAssertTrue(text.unicodeScalars.allSatisfy(\.isASCII), text)
        let out = lines(text)
        XCTAssertEqual(out[8], "  the |@@    |")   // 8 header lines: the long label is cut to 8
        XCTAssertEqual(text.filter { $0 == "@" }.count, 2 + 2, "the 0.97 cell and the legend's top")
        XCTAssertTrue(out[0].hasSuffix("? ? t"), out[0])     // é and \n are not shown as-is
        XCTAssertTrue(text.contains("~"), "a long label is cut with ~ in ASCII")
        // Normalized: a diffuse map still reaches the darkest level, and the legend says where.
        let diffuse = AttentionHeatmap([[0.2, 0.1]], source: ["a", "b"], target: ["x"])
        XCTAssertFalse(diffuse.render(style: .ascii).contains("@@|"))
        let scaled = lines(diffuse.render(style: .ascii, normalized: true))
        XCTAssertEqual(scaled[1], "x |@@++|")   // 0.1 / 0.2 = 0.5
        XCTAssertTrue(scaled[2].hasSuffix(" 0.20"), scaled[2])
    }

    func testTrueColorEscapesAndResets() {
        let map = AttentionHeatmap([[1, 0], [0.5, 0.5]], source: ["a", "b"], target: ["x", "y"])
        let out = lines(map.render(style: .trueColor))
        XCTAssertEqual(out.count, 1 + 2 + 1)
        XCTAssertTrue(out[1].contains("\u{1B}[48;2;253;231;37m  "), "viridis yellow for 1.0")
        XCTAssertTrue(out[1].contains("\u{1B}[48;2;68;1;84m  "), "viridis purple for 0")
        for line in out.dropFirst() {
            XCTAssertTrue(line.contains("\u{1B}[0m"), line)
            let afterLastReset = line.components(separatedBy: "\u{1B}[0m").last!
            XCTAssertFalse(afterLastReset.contains("\u{1B}["), "colour is reset before the line ends")
        }
        XCTAssertTrue(out[1].hasSuffix("\u{1B}[0m│"))
    }

    func testLabelsAppearAndDefaultToPositions() {
        let text = AttentionHeatmap(weights, source: ["x", "y", "z"], target: ["alpha", "beta", "gamma"]).render(style: .shades)
        for token in ["alpha", "beta", "gamma"] { XCTAssertTrue(text.contains(token + " │"), token) }
        XCTAssertTrue(lines(text)[0].hasSuffix("x y z"))
        let unlabelled = AttentionHeatmap([[0.5, 0.5]])
        XCTAssertEqual(unlabelled.sourceTokens, ["0", "1"])
        XCTAssertEqual(unlabelled.targetTokens, ["0"])
    }

    func testValidationMessages() {
        XCTAssertNil(AttentionHeatmap.validate(weights, source: source, target: target))
        XCTAssertNil(AttentionHeatmap.validate(weights, source: nil, target: nil))
        XCTAssertEqual(AttentionHeatmap.validate([[1, 0]], source: ["a"], target: ["x"]),
                       "AttentionHeatmap: 1 source tokens for 2 columns (source steps); give one label per column")
        XCTAssertEqual(AttentionHeatmap.validate([[1, 0]], source: ["a", "b"], target: ["x", "y"]),
                       "AttentionHeatmap: 2 target tokens for 1 rows (target steps); give one label per row")
        XCTAssertEqual(AttentionHeatmap.validate([[1, 0], [1]], source: nil, target: nil),
                       "AttentionHeatmap: row 1 has 1 weights but row 0 has 2; every target step needs one weight per source step")
    }

    func testEmptyMatrices() {
        XCTAssertEqual(AttentionHeatmap([]).render(style: .shades), "(empty attention map: 0 target × 0 source steps)")
        XCTAssertEqual(AttentionHeatmap([], source: ["a", "b"], target: []).render(style: .ascii),
                       "(empty attention map: 0 target × 2 source steps)")
        XCTAssertEqual(AttentionHeatmap([[], []], target: ["x", "y"]).render(style: .trueColor),
                       "(empty attention map: 2 target × 0 source steps)")
        XCTAssertEqual(AttentionHeatmap(Tensor.zeros([0, 3])).render(style: .ascii),
                       "(empty attention map: 0 target × 3 source steps)")
    }

    func testDocumentedExample() {
        let map = AttentionHeatmap([[0.9, 0.1], [0.3, 0.7]], source: ["le", "chat"], target: ["the", "cat"])
        XCTAssertEqual(map.render(style: .shades), """
                 l c
                 e h
                   a
                   t
            the │██  │
            cat │░░▓▓│
               0   ░░▒▒▓▓██ 1
            """)
    }

    func testTensorInputDropsLeadingOnes() {
        let tensor = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])
        let map = AttentionHeatmap(tensor, source: ["a", "b"], target: ["x", "y"])
        XCTAssertEqual(map.weights, [[1, 0], [0, 1]])
        XCTAssertEqual(map, AttentionHeatmap([[1, 0], [0, 1]], source: ["a", "b"], target: ["x", "y"]))
    }

    func testNonFiniteAndOutOfRangeWeights() {
        let out = lines(AttentionHeatmap([[.nan, 1.5, -1]], source: ["a", "b", "c"], target: ["x"]).render(style: .ascii))
        XCTAssertEqual(out[1], "x |??@@  |")
    }

    func testStyleDetection() {
        typealias S = AttentionHeatmap.Style
        XCTAssertEqual(S.detect(environment: ["LECTERN_COLOR": "1"], isTerminal: false), .trueColor)
        XCTAssertEqual(S.detect(environment: ["COLORTERM": "truecolor", "LANG": "C"], isTerminal: true), .trueColor)
        XCTAssertEqual(S.detect(environment: ["COLORTERM": "24bit"], isTerminal: true), .trueColor)
        XCTAssertEqual(S.detect(environment: ["COLORTERM": "truecolor", "LANG": "en_US.UTF-8"], isTerminal: false), .shades)
        XCTAssertEqual(S.detect(environment: ["COLORTERM": "truecolor", "NO_COLOR": "1", "LANG": "C.utf8"], isTerminal: true), .shades)
        XCTAssertEqual(S.detect(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8"], isTerminal: false), .ascii)
        XCTAssertEqual(S.detect(environment: ["LC_ALL": "", "LC_CTYPE": "en_GB.UTF-8"], isTerminal: false), .shades)
        XCTAssertEqual(S.detect(environment: [:], isTerminal: false), .ascii)
    }
}
