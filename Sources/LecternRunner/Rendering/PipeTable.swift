// GitHub-style pipe tables, which the plain CommonMark parser reads as one paragraph.
//
// cmark 0.30 knows nothing of tables, so a table reaches the renderer as a paragraph whose lines
// are the rows. The renderer hands that paragraph's source lines to `PipeTable.parse`; when they
// hold a header row followed by a delimiter row, the paragraph is laid out as a table instead.
// Parsing works on the raw text (cells are split before any inline Markdown is read, as in GFM);
// the renderer turns each cell into styled atoms and `PipeTable.layout` sizes and draws them.

/// Recognising and laying out pipe tables.
enum PipeTable {
    /// How a column's cells sit in their width, from the delimiter row's colons.
    enum Alignment: Equatable {
        case left, center, right
    }

    /// A table found in a paragraph's lines, with the paragraph text around it.
    struct Parsed: Equatable {
        /// Paragraph lines before the header row (GFM lets a table end a paragraph).
        var leading: [String]
        /// The header cells' raw Markdown, one per column.
        var header: [String]
        /// One alignment per column.
        var alignments: [Alignment]
        /// The body rows' raw Markdown cells, each row exactly as wide as the header.
        var rows: [[String]]
        /// Paragraph lines after the last row (lines without a pipe end the table).
        var trailing: [String]
    }

    /// The table in `lines` (a paragraph's lines, container prefixes already removed), or nil
    /// when they hold none, in which case the paragraph is rendered as prose.
    static func parse(_ lines: [String]) -> Parsed? {
        let rows = lines.map(splitRow)
        // The header is the first row-like line directly above a delimiter row with as many
        // cells; requiring equal counts keeps prose like "a | b" over "--- ok" a paragraph.
        for index in rows.indices.dropLast() {
            guard let header = rows[index], !header.isEmpty,
                  let delimiter = rows[index + 1], delimiter.count == header.count,
                  let alignments = alignments(of: delimiter) else { continue }
            var body: [[String]] = []
            var next = index + 2
            while next < rows.count, let row = rows[next] {
                // Ragged rows are evened out: missing cells are empty, extra cells dropped.
                body.append(Array(row.prefix(header.count)) + Array(repeating: "", count: max(0, header.count - row.count)))
                next += 1
            }
            return Parsed(leading: Array(lines[..<index]), header: header, alignments: alignments,
                          rows: body, trailing: Array(lines[next...]))
        }
        return nil
    }

    /// The cells of a table line, trimmed, or nil when the line has no separating pipe (and so
    /// is no row). A leading and a trailing pipe are borders, not separators of empty cells.
    ///
    /// `\|` is a pipe inside a cell (the backslash removed, even in code, as GitHub does). Unlike
    /// GitHub, a pipe inside a backtick code span does not split the cell: lessons quote code
    /// such as `a || b`, and a table cut apart there would be unreadable.
    static func splitRow(_ line: String) -> [String]? {
        let scalars = Array(line.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, isSpace(scalars[start]) { start += 1 }
        while end > start, isSpace(scalars[end - 1]) { end -= 1 }
        var cells: [String] = []
        var cell = String.UnicodeScalarView()
        var separators = 0
        var endsWithSeparator = false
        var index = start
        while index < end {
            let scalar = scalars[index]
            endsWithSeparator = false
            if scalar == "\\", index + 1 < end, isASCIIPunctuation(scalars[index + 1]) {
                // An escaped character is content, left for cmark to unescape; only `\|` loses
                // its backslash here, as the pipe is what it escapes from the table.
                if scalars[index + 1] != "|" { cell.append(scalar) }
                cell.append(scalars[index + 1])
                index += 2
            } else if scalar == "`" {
                var runEnd = index
                while runEnd < end, scalars[runEnd] == "`" { runEnd += 1 }
                let length = runEnd - index
                if let close = closingRun(of: length, in: scalars, from: runEnd, to: end) {
                    // The span is kept whole, less the backslash of each `\|` inside it.
                    var position = index
                    while position < close + length {
                        if scalars[position] == "\\", position + 1 < close, scalars[position + 1] == "|" { position += 1 }
                        cell.append(scalars[position])
                        position += 1
                    }
                    index = close + length
                } else {
                    // No closing run: the backticks are literal text.
                    cell.append(contentsOf: scalars[index..<runEnd])
                    index = runEnd
                }
            } else if scalar == "|" {
                cells.append(String(cell))
                cell = String.UnicodeScalarView()
                separators += 1
                endsWithSeparator = true
                index += 1
            } else {
                cell.append(scalar)
                index += 1
            }
        }
        guard separators > 0 else { return nil }
        cells.append(String(cell))
        if scalars.indices.contains(start), scalars[start] == "|" { cells.removeFirst() }
        if endsWithSeparator, !cells.isEmpty { cells.removeLast() }
        return cells.map(trimmed)
    }

    /// The alignments a delimiter row asks for, or nil when `cells` is no delimiter row
    /// (each cell must be dashes, optionally between colons).
    static func alignments(of cells: [String]) -> [Alignment]? {
        var result: [Alignment] = []
        for cell in cells {
            var body = Substring(cell)
            let leftColon = body.hasPrefix(":")
            if leftColon { body = body.dropFirst() }
            let rightColon = body.hasSuffix(":")
            if rightColon { body = body.dropLast() }
            guard !body.isEmpty, body.allSatisfy({ $0 == "-" }) else { return nil }
            switch (leftColon, rightColon) {
            case (true, true): result.append(.center)
            case (false, true): result.append(.right)
            default: result.append(.left)
            }
        }
        return result.isEmpty ? nil : result
    }

    /// Where the next run of exactly `length` backticks starts in `scalars[from..<to]`.
    private static func closingRun(of length: Int, in scalars: [Unicode.Scalar], from: Int, to: Int) -> Int? {
        var index = from
        while index < to {
            guard scalars[index] == "`" else {
                index += 1
                continue
            }
            var runEnd = index
            while runEnd < to, scalars[runEnd] == "`" { runEnd += 1 }
            if runEnd - index == length { return index }
            index = runEnd
        }
        return nil
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (0x21...0x2F ~= scalar.value || 0x3A...0x40 ~= scalar.value
            || 0x5B...0x60 ~= scalar.value || 0x7B...0x7E ~= scalar.value)
    }

    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(scalars)
    }

    // MARK: - Layout

    /// The separators a table is drawn with: box drawing in colour mode, ASCII in plain mode.
    private struct Rules {
        let column: String
        let horizontal: String
        let cross: String

        init(style: Style) {
            // Spaces outside the escapes, so that a row's trailing space can be trimmed.
            column = " " + style.dim(style.enabled ? "│" : "|") + " "
            horizontal = style.enabled ? "─" : "-"
            cross = style.enabled ? "─┼─" : "-|-"
        }
    }

    /// The table as lines no wider than `width`: the header, a rule, then the rows, columns
    /// separated by a bar and each cell wrapped within its column when the table is too wide.
    ///
    /// `header` and `rows` are the cells as inline atoms (every row as wide as `alignments`).
    /// When even columns three scalars wide cannot fit, each row is shown as `header: cell` lines
    /// instead, so that no line is ever wider than `width`.
    static func layout(header: [[InlineAtom]], rows: [[[InlineAtom]]], alignments: [Alignment],
                       width: Int, style: Style) -> [String] {
        let columns = alignments.count
        guard columns > 0 else { return [] }
        let all = [header] + rows
        let separatorWidth = 3 * (columns - 1)
        // A column wants its widest unwrapped cell, and would rather not go below its longest
        // word (a cut word reads badly), but may, down to a few scalars, when space is short.
        var natural = Array(repeating: 1, count: columns)
        var longestWord = Array(repeating: 1, count: columns)
        for row in all {
            for (column, cell) in row.prefix(columns).enumerated() {
                let lines = TextLayout.wrap(cell, width: Int.max / 2, style: .plain)
                natural[column] = max(natural[column], lines.map { TextLayout.visibleWidth($0) }.max() ?? 0)
                let words = lines.flatMap { $0.split(separator: " ") }
                longestWord[column] = max(longestWord[column], words.map { TextLayout.visibleWidth($0) }.max() ?? 0)
            }
        }
        let floor = natural.map { min($0, 3) }
        guard floor.reduce(0, +) + separatorWidth <= width else {
            return records(header: header, rows: rows, width: width, style: style)
        }
        var widths = natural
        // First down to each column's longest word, then down to the floor; each step takes a
        // scalar from the widest column (the last of equals, usually the descriptive one).
        for limit in [longestWord, floor] {
            while widths.reduce(0, +) + separatorWidth > width {
                var widest: Int?
                for column in widths.indices where widths[column] > limit[column] {
                    if widest.map({ widths[column] >= widths[$0] }) ?? true { widest = column }
                }
                guard let column = widest else { break }
                widths[column] -= 1
            }
        }

        let rules = Rules(style: style)
        var lines = row(header.map { bolded($0, style: style) }, widths: widths, alignments: alignments, rules: rules, style: style)
        lines.append(style.dim(widths.map { String(repeating: rules.horizontal, count: $0) }.joined(separator: rules.cross)))
        for cells in rows {
            lines += row(cells, widths: widths, alignments: alignments, rules: rules, style: style)
        }
        return lines
    }

    /// One table row, as many lines as its tallest wrapped cell.
    private static func row(_ cells: [[InlineAtom]], widths: [Int], alignments: [Alignment],
                            rules: Rules, style: Style) -> [String] {
        let wrapped = widths.indices.map { column in
            column < cells.count ? TextLayout.wrap(cells[column], width: widths[column], style: style) : []
        }
        let height = max(1, wrapped.map(\.count).max() ?? 1)
        return (0..<height).map { line in
            let last = widths.count - 1
            let parts = widths.indices.map { column -> String in
                let text = line < wrapped[column].count ? wrapped[column][line] : ""
                let gap = max(0, widths[column] - TextLayout.visibleWidth(text))
                // The last column is not padded on the right: trailing spaces only get in the way.
                switch alignments[column] {
                case .left:
                    return column == last ? text : text + String(repeating: " ", count: gap)
                case .right:
                    return String(repeating: " ", count: gap) + text
                case .center:
                    let before = String(repeating: " ", count: gap / 2)
                    return column == last ? before + text : before + text + String(repeating: " ", count: gap - gap / 2)
                }
            }
            var text = parts.joined(separator: rules.column)
            // An empty last cell would leave the separator's trailing space dangling.
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }

    /// Rows too wide for any column layout, as `header: cell` lines, rows apart by blank lines.
    private static func records(header: [[InlineAtom]], rows: [[[InlineAtom]]], width: Int, style: Style) -> [String] {
        var lines: [String] = []
        for cells in rows {
            if !lines.isEmpty { lines.append("") }
            for (name, cell) in zip(header, cells) {
                var atoms = bolded(name, style: style)
                atoms.append(.glued(":", codes: style.enabled ? ["1"] : []))
                atoms.append(.text(" ", codes: []))
                atoms += cell
                lines += TextLayout.wrap(atoms, width: width, style: style)
            }
        }
        return lines
    }

    /// A header cell in bold (colour mode only; plain text has no bold to show).
    private static func bolded(_ atoms: [InlineAtom], style: Style) -> [InlineAtom] {
        guard style.enabled else { return atoms }
        return atoms.map { atom in
            switch atom {
            case let .text(text, codes): return .text(text, codes: codes.contains("1") ? codes : ["1"] + codes)
            case let .glued(text, codes): return .glued(text, codes: codes.contains("1") ? codes : ["1"] + codes)
            case .lineBreak: return .lineBreak
            }
        }
    }
}
