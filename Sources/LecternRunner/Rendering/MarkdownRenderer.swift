// Renders a lesson's Markdown for `lectern read`: prose word-wrapped to the terminal, code cells
// labelled by what they are (see Lessons/README.md), hints replaced by a pointer to
// `lectern hint`, setup cells and hidden `# ` lines left out.
//
// The document is parsed with cmark and rendered block by block into lines; a container (list
// item, block quote) renders its children narrower and prefixes their lines, which gives hanging
// indents at any depth for free. Inline content is collected with cmark's iterator (no recursion,
// however deeply emphasis nests) into styled atoms that TextLayout wraps.
import CCmark

/// Renders lesson Markdown as text for a terminal of a given width.
///
///     let renderer = MarkdownRenderer(style: .detect(), width: terminalWidth())
///     print(renderer.render(lesson.markdown, workspacePath: { id in "Workspace/00-intro/\(id).swift" }))
public struct MarkdownRenderer: Sendable {
    /// Colours and text attributes, or none (then the output holds no escape sequences at all).
    public var style: Style
    /// The width prose is wrapped to, in columns (unicode scalars). Code is never wrapped.
    public var width: Int

    /// A renderer that styles with `style` and wraps prose to `width` columns.
    public init(style: Style, width: Int) {
        self.style = style
        self.width = width
    }

    /// Renders a lesson's Markdown for reading. `workspacePath(exerciseID)` gives the path of the
    /// student's file for an exercise (shown under exercise cells), may return nil.
    ///
    /// The result is lines separated by newlines, without a final newline (ready for `print`).
    public func render(_ markdown: String, workspacePath: (String) -> String? = { _ in nil }) -> String {
        guard let document = cmark_parse_document(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT) else { return "" }
        defer { cmark_node_free(document) }
        let survey = CellSurvey(document: document)
        // Asked once per exercise up front, so the closure need not escape into the renderer.
        var paths: [String: String] = [:]
        for id in survey.exerciseIDs {
            if let path = workspacePath(id) { paths[id] = path }
        }
        let renderer = BlockRenderer(style: style, lastHints: survey.lastHints, workspacePaths: paths,
                                     sourceLines: sourceLines(of: markdown))
        let lines = renderer.blocks(childrenOf: document, width: max(width, BlockRenderer.minimumWidth), tight: false, depth: 0)
        return lines.joined(separator: "\n")
    }
}

/// What must be known about the cells before rendering: how many hints each exercise has, and
/// which hint block is its last (the count line goes there, once all hints have been seen).
private struct CellSurvey {
    /// Ids of the exercises, in document order.
    var exerciseIDs: [String] = []
    /// The last hint block of each exercise, with the exercise and its number of hints.
    var lastHints: [OpaquePointer: (exercise: String, count: Int)] = [:]

    init(document: OpaquePointer) {
        var counts: [String: Int] = [:]
        var last: [String: OpaquePointer] = [:]
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                  cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
                  let kind = try? CellInfo.parse(fenceInfo(of: node)) else { continue }
            switch kind {
            case let .exercise(id, _, _):
                if !exerciseIDs.contains(id) { exerciseIDs.append(id) }
            case let .hint(exercise):
                counts[exercise, default: 0] += 1
                last[exercise] = node
            default:
                break
            }
        }
        for (exercise, node) in last {
            lastHints[node] = (exercise, counts[exercise] ?? 1)
        }
    }
}

/// The lines of `markdown` as cmark numbers them (split at LF, CRLF or CR; a leading byte
/// order mark, which cmark skips, removed), for reading a paragraph's source back.
private func sourceLines(of markdown: String) -> [String] {
    var lines: [String] = []
    var line = String.UnicodeScalarView()
    var afterCR = false
    for scalar in markdown.unicodeScalars {
        if scalar == "\n", afterCR {
            afterCR = false
            continue
        }
        afterCR = scalar == "\r"
        if scalar == "\n" || scalar == "\r" {
            lines.append(String(line))
            line = String.UnicodeScalarView()
        } else {
            line.append(scalar)
        }
    }
    lines.append(String(line))
    if let first = lines.first, first.unicodeScalars.first == "\u{FEFF}" {
        lines[0] = String(first.unicodeScalars.dropFirst())
    }
    return lines
}

/// The info string of a code block ("" for an indented block).
private func fenceInfo(of node: OpaquePointer) -> String {
    cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
}

/// The literal text of a leaf node ("" when it has none).
private func literal(of node: OpaquePointer) -> String {
    cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
}

/// Renders blocks into lines; one per `render` call.
private struct BlockRenderer {
    /// Prose is never wrapped narrower than this, however deep the nesting: a column of
    /// two-letter lines helps nobody, and it keeps every width positive.
    static let minimumWidth = 10
    /// Containers nested deeper than this are rendered as one flat paragraph, which bounds the
    /// recursion (cmark accepts block quotes nested thousands deep).
    static let maximumDepth = 32
    /// How far code is indented from the text around it.
    static let codeIndent = "    "

    let style: Style
    let lastHints: [OpaquePointer: (exercise: String, count: Int)]
    let workspacePaths: [String: String]
    /// The document's lines, from which a paragraph that is really a pipe table is read back.
    let sourceLines: [String]

    /// The children of `parent`, separated by blank lines unless `tight` (a tight list item).
    /// Blocks that render to nothing (setup cells, hints) leave no blank line behind.
    func blocks(childrenOf parent: OpaquePointer, width: Int, tight: Bool, depth: Int) -> [String] {
        var lines: [String] = []
        var child = cmark_node_first_child(parent)
        while let node = child {
            let rendered = block(node, width: width, depth: depth)
            if !rendered.isEmpty {
                if !lines.isEmpty && !tight { lines.append("") }
                lines += rendered
            }
            child = cmark_node_next(node)
        }
        return lines
    }

    func block(_ node: OpaquePointer, width: Int, depth: Int) -> [String] {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_PARAGRAPH:
            if let table = pipeTable(node, width: width) { return table }
            return TextLayout.wrap(inlineAtoms(of: node), width: width, style: style)
        case CMARK_NODE_HEADING:
            return heading(node, width: width)
        case CMARK_NODE_BLOCK_QUOTE:
            guard depth < Self.maximumDepth else { return flattened(node, width: width) }
            let bar = style.dim("│")
            return blocks(childrenOf: node, width: narrower(width, by: 2), tight: false, depth: depth + 1)
                .map { $0.isEmpty ? bar : bar + " " + $0 }
        case CMARK_NODE_LIST:
            guard depth < Self.maximumDepth else { return flattened(node, width: width) }
            return list(node, width: width, depth: depth)
        case CMARK_NODE_ITEM, CMARK_NODE_CUSTOM_BLOCK:
            // An item outside a list cannot happen in a parsed document; render its content.
            guard depth < Self.maximumDepth else { return flattened(node, width: width) }
            return blocks(childrenOf: node, width: width, tight: false, depth: depth + 1)
        case CMARK_NODE_CODE_BLOCK:
            return codeBlock(node, width: width)
        case CMARK_NODE_HTML_BLOCK:
            return codeLines(literal(of: node)).map { style.dim($0) }
        case CMARK_NODE_THEMATIC_BREAK:
            let rule = String(repeating: style.enabled ? "─" : "-", count: min(width, 72))
            return [style.dim(rule)]
        default:
            return []
        }
    }

    private func narrower(_ width: Int, by columns: Int) -> Int {
        max(width - columns, Self.minimumWidth)
    }

    /// Content nested too deep to indent further, as one wrapped paragraph.
    private func flattened(_ node: OpaquePointer, width: Int) -> [String] {
        TextLayout.wrap(inlineAtoms(of: node), width: width, style: style)
    }

    // MARK: Headings

    private func heading(_ node: OpaquePointer, width: Int) -> [String] {
        let level = max(1, Int(cmark_node_get_heading_level(node)))
        guard style.enabled else {
            // Plain text keeps Markdown's own markers, which every reader understands.
            let marker = String(repeating: "#", count: level) + " "
            let lines = TextLayout.wrap(inlineAtoms(of: node), width: narrower(width, by: marker.count), style: style)
            let hanging = String(repeating: " ", count: marker.count)
            return lines.enumerated().map { ($0.offset == 0 ? marker : hanging) + $0.element }
        }
        let base = level == 1 ? ["1", "4"] : ["1"]
        var lines = TextLayout.wrap(inlineAtoms(of: node, base: base), width: width, style: style)
        if level == 2, !lines.isEmpty {
            let ruleWidth = min(width, lines.map { TextLayout.visibleWidth($0) }.max() ?? 0)
            lines.append(style.dim(String(repeating: "─", count: ruleWidth)))
        }
        return lines
    }

    // MARK: Tables

    /// The paragraph `node` laid out as a table, when its source lines form a GFM pipe table
    /// (cmark 0.30 parses plain CommonMark only); nil when they do not.
    private func pipeTable(_ node: OpaquePointer, width: Int) -> [String]? {
        let first = Int(cmark_node_get_start_line(node))
        let last = Int(cmark_node_get_end_line(node))
        // A table needs a header and a delimiter row; positions outside the text mean the
        // lines cannot be trusted.
        guard first >= 1, last > first, last <= sourceLines.count else { return nil }
        let prefix = max(0, Int(cmark_node_get_start_column(node)) - 1)
        let lines = sourceLines[(first - 1)..<last].map { droppingContainerPrefix(of: $0, upTo: prefix) }
        guard lines.contains(where: { $0.contains("|") }), let table = PipeTable.parse(lines) else { return nil }

        var output = paragraph(lines: table.leading, width: width)
        if !output.isEmpty { output.append("") }
        output += PipeTable.layout(header: table.header.map(cellAtoms),
                                   rows: table.rows.map { $0.map(cellAtoms) },
                                   alignments: table.alignments, width: width, style: style)
        let trailing = paragraph(lines: table.trailing, width: width)
        if !trailing.isEmpty { output += [""] + trailing }
        return output
    }

    /// `line` without the first `columns` bytes, as far as they are the indentation and `>`
    /// markers of the containers the paragraph sits in. The paragraph's start column tells how
    /// much its first line has; the other lines usually have the same, and a lazy continuation
    /// line, which has less, loses only what it has.
    private func droppingContainerPrefix(of line: String, upTo columns: Int) -> String {
        var utf8 = Substring(line).utf8
        var dropped = 0
        while dropped < columns, let byte = utf8.first, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ">") {
            utf8.removeFirst()
            dropped += 1
        }
        return String(Substring(utf8))
    }

    /// Paragraph lines left around a table, wrapped as prose (no lines when there are none).
    private func paragraph(lines: [String], width: Int) -> [String] {
        guard !lines.isEmpty else { return [] }
        return TextLayout.wrap(cellAtoms(lines.joined(separator: "\n")), width: width, style: style)
    }

    /// Inline Markdown (a table cell, or paragraph lines around a table) as atoms.
    ///
    /// On its own, a cell such as `# x`, `- x` or `1. x` would parse as a block. Parsed after a
    /// `.`, every text is one plain paragraph (and, `.` being punctuation, the emphasis rules for
    /// its first character are as at the start of a line); the `.` is taken off again.
    private func cellAtoms(_ markdown: String) -> [InlineAtom] {
        let text = "." + markdown
        guard let document = cmark_parse_document(text, text.utf8.count, CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_node_free(document) }
        var atoms = inlineAtoms(of: document)
        if case let .text(first, codes)? = atoms.first, first.unicodeScalars.first == "." {
            let rest = String(first.unicodeScalars.dropFirst())
            if rest.isEmpty { atoms.removeFirst() } else { atoms[0] = .text(rest, codes: codes) }
        }
        // The space that closes the paragraph would otherwise part the cell from what follows it.
        while case let .text(last, _)? = atoms.last, last.allSatisfy({ $0 == " " }) { atoms.removeLast() }
        return atoms
    }

    // MARK: Lists

    private func list(_ node: OpaquePointer, width: Int, depth: Int) -> [String] {
        let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
        let tight = cmark_node_get_list_tight(node) != 0
        var items: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let item = child {
            items.append(item)
            child = cmark_node_next(item)
        }
        let markers: [String]
        if ordered {
            let start = Int(cmark_node_get_list_start(node))
            let delimiter = cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM ? ")" : "."
            let numbers = items.indices.map { "\(start + $0)\(delimiter)" }
            // Right-aligned, so the text of item 9 and item 10 starts in the same column.
            let widest = numbers.map(\.count).max() ?? 0
            markers = numbers.map { String(repeating: " ", count: widest - $0.count) + $0 }
        } else {
            let bullets = style.enabled ? ["•", "◦", "▪"] : ["*", "-", "+"]
            markers = Array(repeating: bullets[listLevel(of: node) % bullets.count], count: items.count)
        }
        let indent = (markers.map { $0.unicodeScalars.count }.max() ?? 1) + 1
        let hanging = String(repeating: " ", count: indent)
        var lines: [String] = []
        for (item, marker) in zip(items, markers) {
            let content = blocks(childrenOf: item, width: narrower(width, by: indent), tight: tight, depth: depth + 1)
            if !tight && !lines.isEmpty { lines.append("") }
            guard let first = content.first else {
                lines.append(marker)
                continue
            }
            lines.append(marker + String(repeating: " ", count: indent - marker.unicodeScalars.count) + first)
            lines += content.dropFirst().map { $0.isEmpty ? "" : hanging + $0 }
        }
        return lines
    }

    /// How many lists enclose `list` (0 for a top-level list); picks the bullet.
    private func listLevel(of list: OpaquePointer) -> Int {
        var level = 0
        var ancestor = cmark_node_parent(list)
        while let node = ancestor {
            if cmark_node_get_type(node) == CMARK_NODE_LIST { level += 1 }
            ancestor = cmark_node_parent(node)
        }
        return level
    }

    // MARK: Code blocks and cells

    private func codeBlock(_ node: OpaquePointer, width: Int) -> [String] {
        let code = literal(of: node)
        let kind: CellKind
        do {
            kind = try CellInfo.parse(fenceInfo(of: node))
        } catch {
            // `lectern validate` reports the info string; the reader still sees the code.
            return indented(codeLines(code))
        }
        switch kind {
        case .setup:
            return []
        case let .hint(exercise):
            guard let summary = lastHints[node] else { return [] }
            let noun = summary.count == 1 ? "hint" : "hints"
            return label("💡 \(summary.count) \(noun): lectern hint \(exercise)", codes: ["33"], width: width)
        case .run:
            let lines = swiftLines(code)
            // A cell made only of hidden lines shows nothing, not an empty box.
            guard !lines.isEmpty else { return [] }
            return label("▶ swift", codes: ["32"], width: width) + highlighted(lines)
        case .display:
            return label("▷ swift · not run", codes: ["2"], width: width) + highlighted(swiftLines(code))
        case let .exercise(id, points, _):
            let pointText = points == 1 ? "1 point" : "\(points) points"
            return label("✎ exercise \(id) · \(pointText)", codes: ["1", "33"], width: width)
                + highlighted(swiftLines(code))
                + exerciseFooter(id: id, width: width)
        case let .test(exercise):
            return label("✓ visible tests for \(exercise)", codes: ["36"], width: width) + highlighted(swiftLines(code))
        case .other:
            return indented(codeLines(code))
        }
    }

    /// A cell's label line (wrapped like prose, should an id be very long).
    private func label(_ text: String, codes: [String], width: Int) -> [String] {
        TextLayout.wrap(text, codes: codes, width: width, style: style)
    }

    /// Where the student edits the exercise, and how to check it.
    private func exerciseFooter(id: String, width: Int) -> [String] {
        let command = InlineAtom.glued("lectern check \(id)", codes: ["1"])
        var atoms: [InlineAtom] = [.text("→ Edit ", codes: ["2"])]
        if let path = workspacePaths[id] {
            atoms.append(.glued(path, codes: ["36"]))
        } else {
            atoms.append(.text("your copy of this exercise", codes: ["2"]))
        }
        atoms += [.text(", then run: ", codes: ["2"]), command]
        // Continuation lines hang under the text, clear of the arrow.
        let lines = TextLayout.wrap(atoms, width: narrower(width, by: 2), style: style)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : "  " + $0.element }
    }

    /// The lines of a code block's text: the final newline dropped, carriage returns removed,
    /// tabs expanded (so indentation survives the prefix code is shown with).
    private func codeLines(_ code: String) -> [String] {
        var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var text = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if text.contains("\t") { text = expandingTabs(text) }
            return text
        }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines
    }

    /// A Swift cell's visible lines: hidden `# ` lines removed, and the blank lines they often
    /// leave at the top dropped too.
    private func swiftLines(_ code: String) -> [String] {
        let visible = codeLines(code).filter { HiddenLine.code(Substring($0)) == nil }
        return Array(visible.drop(while: { $0.allSatisfy(\.isWhitespace) }))
    }

    private func highlighted(_ lines: [String]) -> [String] {
        guard !lines.isEmpty else { return [] }
        let coloured = SwiftHighlighter.highlight(lines.joined(separator: "\n"), style: style)
        return indented(coloured.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    private func indented(_ lines: [String]) -> [String] {
        lines.map { $0.isEmpty ? "" : Self.codeIndent + $0 }
    }

    private func expandingTabs(_ line: String) -> String {
        var result = ""
        var column = 0
        for scalar in line.unicodeScalars {
            if scalar == "\t" {
                let spaces = 4 - column % 4
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                result.unicodeScalars.append(scalar)
                column += 1
            }
        }
        return result
    }

    // MARK: Inline content

    /// The inline content of `node` as styled atoms, starting from the SGR codes `base`.
    ///
    /// Walks with cmark's iterator, keeping a stack of codes, so nesting depth costs no stack.
    /// Block nodes met on the way (only when a too-deep container is flattened) become text
    /// separated by spaces. In plain mode, emphasis, strong text and code keep Markdown-like
    /// markers (`_…_`, `**…**`, `` `…` ``) so the distinction is not lost without colour.
    func inlineAtoms(of node: OpaquePointer, base: [String] = []) -> [InlineAtom] {
        var atoms: [InlineAtom] = []
        var stack: [[String]] = [base]
        var linkStarts: [Int] = []
        let plain = !style.enabled
        func adding(_ code: String) -> [String] {
            let top = stack[stack.count - 1]
            return top.contains(code) ? top : top + [code]
        }
        func pop() {
            if stack.count > 1 { stack.removeLast() }
        }
        let iterator = cmark_iter_new(node)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let current = cmark_iter_get_node(iterator), current != node else { continue }
            let entering = event == CMARK_EVENT_ENTER
            let codes = stack[stack.count - 1]
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_HTML_INLINE:
                atoms.append(.text(literal(of: current), codes: codes))
            case CMARK_NODE_CODE:
                let code = literal(of: current)
                atoms.append(plain ? .glued("`\(code)`", codes: codes) : .glued(code, codes: adding("36")))
            case CMARK_NODE_SOFTBREAK:
                atoms.append(.text(" ", codes: codes))
            case CMARK_NODE_LINEBREAK:
                atoms.append(.lineBreak)
            case CMARK_NODE_EMPH:
                if entering {
                    if plain { atoms.append(.glued("_", codes: codes)) }
                    stack.append(adding("3"))
                } else {
                    pop()
                    if plain { atoms.append(.glued("_", codes: stack[stack.count - 1])) }
                }
            case CMARK_NODE_STRONG:
                if entering {
                    if plain { atoms.append(.glued("**", codes: codes)) }
                    stack.append(adding("1"))
                } else {
                    pop()
                    if plain { atoms.append(.glued("**", codes: stack[stack.count - 1])) }
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let image = cmark_node_get_type(current) == CMARK_NODE_IMAGE
                if entering {
                    if image { atoms.append(.glued("[image: ", codes: codes)) }
                    linkStarts.append(atoms.count)
                    stack.append(image ? codes : adding("4"))
                } else {
                    pop()
                    let outer = stack[stack.count - 1]
                    let start = min(linkStarts.popLast() ?? atoms.count, atoms.count)
                    let text = atoms[start...].map { atom -> String in
                        switch atom {
                        case let .text(text, _), let .glued(text, _): return text
                        case .lineBreak: return " "
                        }
                    }.joined()
                    if image { atoms.append(.glued("]", codes: outer)) }
                    let url = cmark_node_get_url(current).map { String(cString: $0) } ?? ""
                    // An autolink's text is its URL: showing it twice would only add noise.
                    if !url.isEmpty, url != text, url != "mailto:" + text {
                        atoms.append(.text(" ", codes: outer))
                        atoms.append(.glued("(\(url))", codes: outer.contains("2") ? outer : outer + ["2"]))
                    }
                }
            case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK:
                atoms.append(.text(" " + literal(of: current) + " ", codes: codes))
            default:
                // Other block nodes appear only in flattened content: keep their texts apart.
                if !entering { atoms.append(.text(" ", codes: codes)) }
            }
        }
        return atoms
    }
}
