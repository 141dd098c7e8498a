import XCTest
@testable import LecternRunner

final class MarkdownRendererTests: XCTestCase {
    private let colour = Style(enabled: true)
    private let esc = "\u{1B}"

    /// A small lesson that uses every kind of cell and most Markdown constructs.
    private let lesson = """
    # Lesson 1: Softmax

    Some *emphasis*, some **strength**, some `code` and a [link](https://example.com/docs).

    ## Why it overflows

    > A quoted remark
    > over two lines.

    - first
    - second
      - nested
    1. one
    2. two

    ---

    ```swift setup
    let secretSetup = 42
    ```

    ```swift
    # let hiddenHelper = 1
    let visible = "shown"
    print(visible)
    ```

    ```swift norun
    let sketch = 1
    ```

    ```swift exercise id=softmax points=3
    func softmax(_ logits: [Float]) -> [Float] {
        fatalError("TODO: implement softmax")
    }
    ```

    ```swift test for=softmax
    func testSumsToOne() {}
    ```

    ```hint for=softmax
    Subtract the largest logit first.
    ```

    ```hint for=softmax
    Then divide by the sum.
    ```

    ```text
    plain text block
    ```

    <div>raw html</div>
    """

    private func render(_ markdown: String, style: Style = .plain, width: Int = 60,
                        workspacePath: (String) -> String? = { _ in nil }) -> String {
        MarkdownRenderer(style: style, width: width).render(markdown, workspacePath: workspacePath)
    }

    // MARK: Plain mode

    func testPlainModeHasNoEscapes() {
        let output = render(lesson, style: .plain, width: 100)
        XCTAssertFalse(output.contains(esc), output)
        XCTAssertFalse(output.unicodeScalars.contains("\u{1B}"))
        XCTAssertTrue(output.contains("# Lesson 1: Softmax"), output)
        XCTAssertTrue(output.contains("## Why it overflows"), output)
        XCTAssertTrue(output.contains("_emphasis_"), output)
        XCTAssertTrue(output.contains("**strength**"), output)
        XCTAssertTrue(output.contains("`code`"), output)
        XCTAssertTrue(output.contains("link (https://example.com/docs)"), output)
        XCTAssertTrue(output.contains("* first"), output)
        XCTAssertTrue(output.contains("│ A quoted remark over two lines."), output)
        XCTAssertTrue(output.contains("<div>raw html</div>"), output)
    }

    func testColourModeContainsEscapes() {
        XCTAssertTrue(render(lesson, style: colour).contains(esc))
    }

    // MARK: Inline styles and headings

    func testHeadingsUseBoldAndUnderline() {
        let output = render("# Title\n\n## Section\n\n### Sub", style: colour)
        XCTAssertTrue(output.contains("\(esc)[1;4mTitle\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[1mSection\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[1mSub\(esc)[0m"), output)
        // H2 is followed by a rule as wide as its text.
        XCTAssertTrue(output.contains("\(esc)[2m───────\(esc)[0m"), output)
    }

    func testEmphasisStrongAndInlineCode() {
        let output = render("Say *soft* and **loud** with `max(x)`.", style: colour)
        XCTAssertTrue(output.contains("\(esc)[3msoft\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[1mloud\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[36mmax(x)\(esc)[0m"), output)
        XCTAssertFalse(output.contains("`"), "colour mode shows code by colour, not backticks")
    }

    func testNestedStylesCombineCodes() {
        let output = render("**bold *and italic***", style: colour)
        XCTAssertTrue(output.contains("\(esc)[1;3mand italic\(esc)[0m"), output)
    }

    func testLinkShowsDimURLAndAutolinkOnce() {
        let output = render("See [the docs](https://x.org) or <https://y.org>.", style: colour)
        XCTAssertTrue(output.contains("\(esc)[4mthe docs\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[2m(https://x.org)\(esc)[0m"), output)
        XCTAssertEqual(output.components(separatedBy: "https://y.org").count - 1, 1, output)
    }

    func testSoftAndHardBreaks() {
        XCTAssertEqual(render("one\ntwo"), "one two")
        XCTAssertEqual(render("one\\\ntwo"), "one\ntwo")
    }

    // MARK: Wrapping

    func testProseNeverExceedsWidth() {
        let words = (0..<200).map { ["a", "softmax", "probability", "of", "**logits**", "`x[i]`", "*temperature*"][$0 % 7] }
        let paragraph = words.joined(separator: " ")
        let markdown = """
        # \(paragraph)

        \(paragraph)

        > \(paragraph)

        - \(paragraph)
          - \(paragraph)
        10. \(paragraph)

        A very long word: \(String(repeating: "x", count: 150)) and https://example.com/\(String(repeating: "p", count: 90))
        """
        for width in [20, 33, 60, 80] {
            for style in [Style.plain, colour] {
                let output = render(markdown, style: style, width: width)
                for line in output.split(separator: "\n") {
                    XCTAssertLessThanOrEqual(TextLayout.visibleWidth(line), width, "width \(width): \(line)")
                }
            }
        }
    }

    func testWrappingKeepsEveryWord() {
        let text = "the quick brown fox jumps over the lazy dog again and again"
        let output = render(text, width: 20)
        XCTAssertGreaterThan(output.split(separator: "\n").count, 2)
        XCTAssertEqual(output.replacingOccurrences(of: "\n", with: " "), text)
    }

    func testVisibleWidthIgnoresEscapes() {
        XCTAssertEqual(TextLayout.visibleWidth("\u{1B}[1;4mabc\u{1B}[0m→"), 4)
    }

    // MARK: Lists and quotes

    func testBulletListHangingIndent() {
        let output = render("- alpha beta gamma delta epsilon zeta eta theta\n  - inner one two three four five six", width: 24)
        XCTAssertEqual(output, """
        * alpha beta gamma delta
          epsilon zeta eta theta
          - inner one two three
            four five six
        """)
    }

    func testOrderedListAlignsNumbers() {
        let items = (1...10).map { "\($0). item \($0)" }.joined(separator: "\n")
        let lines = render(items).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, " 1. item 1")
        XCTAssertEqual(lines.last, "10. item 10")
        let wrapped = render("3) word word word word word", width: 14)
        XCTAssertEqual(wrapped, "3) word word\n   word word\n   word")
    }

    func testLooseListHasBlankLines() {
        XCTAssertEqual(render("- a\n\n- b"), "* a\n\n* b")
        XCTAssertEqual(render("- a\n- b"), "* a\n* b")
    }

    func testBlockQuoteBar() {
        XCTAssertEqual(render("> one\n>\n> two"), "│ one\n│\n│ two")
    }

    // MARK: Cells

    func testSetupCellsAndHiddenLinesAreAbsent() {
        for style in [Style.plain, colour] {
            let output = render(lesson, style: style)
            XCTAssertFalse(output.contains("secretSetup"), output)
            XCTAssertFalse(output.contains("hiddenHelper"), output)
            XCTAssertTrue(output.contains("print(visible)"), output)
            XCTAssertTrue(output.contains("▶ swift"), output)
        }
    }

    func testHintsAreReplacedByOneCountLine() throws {
        let output = render(lesson)
        XCTAssertFalse(output.contains("Subtract the largest"), output)
        XCTAssertFalse(output.contains("divide by the sum"), output)
        XCTAssertEqual(output.components(separatedBy: "lectern hint softmax").count - 1, 1, output)
        XCTAssertTrue(output.contains("💡 2 hints: lectern hint softmax"), output)
        // The count line follows the exercise's last hint, so it comes after the visible tests.
        let tests = try XCTUnwrap(output.range(of: "visible tests for softmax"))
        let hints = try XCTUnwrap(output.range(of: "💡 2 hints"))
        XCTAssertLessThan(tests.lowerBound, hints.lowerBound)
    }

    func testSingleHintIsSingular() {
        let output = render("```hint for=a\nx\n```")
        XCTAssertEqual(output, "💡 1 hint: lectern hint a")
    }

    func testExerciseLabelPointsAndWorkspacePath() {
        let output = render(lesson, width: 100, workspacePath: { "Workspace/01-softmax/\($0).swift" })
        XCTAssertTrue(output.contains("✎ exercise softmax · 3 points"), output)
        XCTAssertTrue(output.contains("Workspace/01-softmax/softmax.swift"), output)
        XCTAssertTrue(output.contains("lectern check softmax"), output)
        XCTAssertTrue(output.contains("    func softmax(_ logits: [Float]) -> [Float] {"), output)
        XCTAssertTrue(output.contains("        fatalError(\"TODO: implement softmax\")"), output)

        let withoutPath = render("```swift exercise id=dot\nfunc dot() {}\n```")
        XCTAssertTrue(withoutPath.contains("✎ exercise dot · 1 point\n"), withoutPath)
        XCTAssertTrue(withoutPath.contains("lectern check dot"), withoutPath)
    }

    func testOtherCellLabels() {
        let output = render(lesson)
        XCTAssertTrue(output.contains("not run"), output)
        XCTAssertTrue(output.contains("    let sketch = 1"), output)
        XCTAssertTrue(output.contains("visible tests for softmax"), output)
        XCTAssertTrue(output.contains("\n    plain text block"), output)
    }

    func testCodeIsIndentedAndNeverWrapped() {
        let long = "let x = " + String(repeating: "1 + ", count: 40) + "1"
        let output = render("```swift\n\(long)\n```", width: 30)
        XCTAssertEqual(output, "▶ swift\n    \(long)")
    }

    func testBadInfoStringRendersPlainCode() {
        let output = render("```swift exercise id=Bad!\nlet x = 1\n```", style: colour)
        XCTAssertEqual(output, "    let x = 1")
    }

    func testCodeInsideListItemIsIndentedUnderTheItem() {
        let output = render("- step\n\n  ```text\n  out\n  ```")
        XCTAssertEqual(output, "* step\n\n      out")
    }

    // MARK: Pipe tables

    private let commandTable = """
    Commands:

    | command | what it does |
    | --- | --- |
    | `lectern` | shows your progress |
    | `lectern read 0` | shows a *lesson* |
    | `x` | grades one exercise |
    """

    /// `line` as the reader sees it: escape sequences removed.
    private func visible(_ line: some StringProtocol) -> String {
        var result = String.UnicodeScalarView()
        var scalars = line.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                result.append(scalar)
                continue
            }
            if scalars.next() == "[" {
                while let byte = scalars.next(), !(0x40...0x7E).contains(byte.value) {}
            }
        }
        return String(result)
    }

    /// The visible columns at which `separator` occurs in `line`.
    private func columns(of separator: Unicode.Scalar, in line: some StringProtocol) -> [Int] {
        visible(line).unicodeScalars.enumerated().filter { $0.element == separator }.map(\.offset)
    }

    func testPipeTableAlignsColumns() {
        let plain = render(commandTable, width: 80).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(Array(plain.prefix(2)), ["Commands:", ""])
        let table = Array(plain.dropFirst(2))
        guard table.count == 5 else { return XCTFail("five table lines expected:\n" + table.joined(separator: "\n")) }
        XCTAssertEqual(table[0], "command          | what it does")
        XCTAssertEqual(table[1], "-----------------|--------------------")
        XCTAssertEqual(table[3], "`lectern read 0` | shows a _lesson_")
        for line in table {
            XCTAssertEqual(columns(of: "|", in: line), [17], "separator column in \(line)")
            XCTAssertFalse(line.contains("---|---") && line.contains(" "), "no raw delimiter row: \(line)")
        }

        let coloured = Array(render(commandTable, style: colour, width: 80).split(separator: "\n").dropFirst())
        guard coloured.count == 5 else { return XCTFail("five table lines expected:\n" + coloured.joined(separator: "\n")) }
        XCTAssertTrue(coloured[0].contains("\(esc)[1mcommand\(esc)[0m"), "bold header: \(coloured[0])")
        XCTAssertEqual(columns(of: "┼", in: coloured[1]), [15])
        for line in coloured where !line.contains("┼") {
            XCTAssertEqual(columns(of: "│", in: line), [15], "separator column in \(visible(line))")
        }
    }

    func testPipeTableAlignmentMarkers() {
        let output = render("| left | mid | right |\n| :--- | :---: | ---: |\n| a | b | c |\n| wider | wider | wider |")
        XCTAssertEqual(output, """
        left  |  mid  | right
        ------|-------|------
        a     |   b   |     c
        wider | wider | wider
        """)
    }

    func testPipeTableInlineCode() {
        // The cell's code is styled, then padded to its column and followed by the bar.
        let coloured = render(commandTable, style: colour)
        XCTAssertTrue(coloured.contains("\n\(esc)[36mlectern read 0\(esc)[0m \(esc)[2m│\(esc)[0m shows a \(esc)[3mlesson\(esc)[0m\n"), coloured)
        XCTAssertFalse(coloured.contains("`"), coloured)
        let plain = render(commandTable)
        XCTAssertFalse(plain.unicodeScalars.contains("\u{1B}"), plain)
        XCTAssertTrue(plain.contains("\n`lectern`        | shows your progress\n"), plain)
    }

    func testWideTableWrapsWithinWidth() {
        let long = "keeps running, and re-grades an exercise each time you save its file"
        let markdown = "| command | what it does |\n|---|---|\n| `lectern watch` | \(long) |\n| `lectern` | short |"
        for style in [Style.plain, colour] {
            for width in [24, 30, 45] {
                let lines = render(markdown, style: style, width: width).split(separator: "\n")
                XCTAssertGreaterThan(lines.count, 4, "the long cell wraps at width \(width)")
                let bar: Unicode.Scalar = style.enabled ? "│" : "|"
                let expected = columns(of: bar, in: lines[0])
                XCTAssertEqual(expected.count, 1)
                for line in lines {
                    XCTAssertLessThanOrEqual(TextLayout.visibleWidth(line), width, "width \(width): \(visible(line))")
                    if !line.contains("┼"), !line.contains("-|-") {
                        XCTAssertEqual(columns(of: bar, in: line), expected, "width \(width): \(visible(line))")
                    }
                }
                // Every word of the long cell is still there, in order.
                let text = lines.map { visible($0).split(separator: Character(bar), maxSplits: 1).last.map(String.init) ?? "" }
                    .joined(separator: " ")
                XCTAssertTrue(text.split(separator: " ").joined(separator: " ").contains(long), text)
            }
        }
        // Too many columns for any layout: one `header: cell` line each, still within the width.
        let many = "|a|b|c|d|e|f|\n|-|-|-|-|-|-|\n|1|2|3|4|5|6|"
        let records = render(many, width: 10)
        XCTAssertTrue(records.hasPrefix("a: 1\nb: 2\n"), records)
        for line in records.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 10) }
    }

    func testParagraphWithPipeIsNotATable() {
        XCTAssertEqual(render("Pipe with a | b, or\n`x || y` in code."), "Pipe with a | b, or `x || y` in code.")
        // No delimiter row, or one with another number of cells, or cells that are not dashes.
        XCTAssertEqual(render("| a | b |\n| c | d |"), "| a | b | | c | d |")
        XCTAssertEqual(render("| a | b |\n| --- |"), "| a | b | | --- |")
        XCTAssertEqual(render("| a | b |\n| --- | -x- |"), "| a | b | | --- | -x- |")
        // A delimiter row alone has no header to sit under.
        XCTAssertEqual(render("| --- | --- |\n| a | b |"), "| --- | --- | | a | b |")
    }

    func testRaggedRowsEscapedPipesAndCodeSpans() {
        let markdown = """
        | a | b | c |
        |---|:-:|---|
        | only one
        | 1 | 2 | 3 | 4 | 5 |
        | x \\| y | `p | q` | `r \\| s` |
        |
        """
        let output = render(markdown)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 6 else { return XCTFail("six lines expected:\n" + output) }
        XCTAssertEqual(lines[2], "only one |         |")
        XCTAssertEqual(lines[3], "1        |    2    | 3")
        XCTAssertEqual(lines[4], "x | y    | `p | q` | `r | s`")
        XCTAssertFalse(output.contains("4"), "extra cells are dropped: \(output)")
        _ = render(markdown, style: colour, width: 10)
        _ = render("|\n|-|", style: colour)
        _ = render("||\n||", style: colour)
        _ = render("| `a |\n| - |\n| ``` |", style: colour, width: -3)
    }

    func testTableAfterLeadInAndInsideContainers() {
        XCTAssertEqual(render("Before the table.\n| a | b |\n|---|---|\n| 1 | 2 |\nafter"),
                       "Before the table.\n\na | b\n--|--\n1 | 2\n\nafter")
        XCTAssertEqual(render("> | a | b |\n> |---|---|\n> | 1 | 2 |"), "│ a | b\n│ --|--\n│ 1 | 2")
        XCTAssertEqual(render("- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |"), "* item\n\n  a | b\n  --|--\n  1 | 2")
        // A cell that alone would be a heading or a list item stays text.
        XCTAssertEqual(render("| # h | - x | 1. y |\n|---|---|---|"), "# h | - x | 1. y\n----|-----|-----")
    }

    // MARK: Robustness

    func testDegenerateInputsDoNotCrash() {
        XCTAssertEqual(render(""), "")
        XCTAssertEqual(render("\n\n   \n"), "")
        _ = render(String(repeating: "> ", count: 2_000) + "deep")
        _ = render((0..<300).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n"))
        _ = render(String(repeating: "*a ", count: 3_000) + String(repeating: "*", count: 3_000))
        _ = render("```swift exercise\n```\n```hint for=\n```\n```unknown thing=1\n```\n```\n", style: colour)
        _ = render("#\n\n- \n\n1.\n\n```swift\n#\n```", style: colour, width: -5)
        let deep = render(String(repeating: "> ", count: 100) + "deep", width: 40)
        XCTAssertTrue(deep.contains("deep"), deep)
    }

    // MARK: Highlighter

    func testHighlighterColoursKeywordsAndStrings() {
        let output = SwiftHighlighter.highlight("let name = \"hi\" + other", style: colour)
        XCTAssertTrue(output.contains("\(esc)[35mlet\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[32m\"hi\"\(esc)[0m"), output)
        XCTAssertTrue(output.contains(" name = "), "plain identifiers stay uncoloured: \(output)")
        XCTAssertTrue(output.hasSuffix(" + other"), output)
    }

    func testHighlighterNumbersCommentsAndEdgeCases() {
        let code = """
        var x1 = 3.5e-2 // note "quoted"
        /* a /* nested */ comment */ let s = "a \\(f("b")) c"
        let `default` = 0x1F
        """
        let output = SwiftHighlighter.highlight(code, style: colour)
        XCTAssertTrue(output.contains("\(esc)[33m3.5e-2\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[2m// note \"quoted\"\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[2m/* a /* nested */ comment */\(esc)[0m"), output)
        XCTAssertTrue(output.contains("\(esc)[32m\"a \\(f(\"b\")) c\"\(esc)[0m"), output)
        XCTAssertTrue(output.contains("`default`"), output)
        XCTAssertTrue(output.contains("\(esc)[33m0x1F\(esc)[0m"), output)
        XCTAssertTrue(output.contains(" x1 = "), "digits inside identifiers are not numbers: \(output)")
    }

    func testHighlighterNeverSpansLines() {
        let output = SwiftHighlighter.highlight("let s = \"\"\"\n  two\n  \"\"\"\n/* a\nb */", style: colour)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 5)
        for line in lines {
            let escapes = line.components(separatedBy: "\(esc)[").count - 1
            let resets = line.components(separatedBy: "\(esc)[0m").count - 1
            XCTAssertEqual(escapes, 2 * resets, "every style opened on a line is closed on it: \(line.debugDescription)")
        }
    }

    func testHighlighterIsIdentityWhenPlain() {
        let code = "let x = \"y\" // z"
        XCTAssertEqual(SwiftHighlighter.highlight(code, style: .plain), code)
    }
}
