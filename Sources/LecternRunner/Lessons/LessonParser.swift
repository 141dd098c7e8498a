// Reads a lesson's Markdown with cmark (the CommonMark reference parser) and turns its fenced
// code blocks into cells and exercises. Every problem is collected as a `file:line:` diagnostic
// rather than thrown at the first one, so an instructor sees them all at once.
import CCmark

/// Parses lesson Markdown into a ``Lesson`` and a list of format problems.
public enum LessonParser {
    /// The result of parsing: the lesson as far as it could be read, and what is wrong with it.
    public struct Result: Sendable {
        /// The lesson (usable for display even when `diagnostics` is not empty).
        public var lesson: Lesson
        /// Format problems, in line order.
        public var diagnostics: [LessonDiagnostic]
    }

    /// Parses `markdown`, read from `path` (used in diagnostics); `slug` and `number` come from
    /// the file name.
    public static func parse(_ markdown: String, path: String, slug: String, number: Int) -> Result {
        var diagnostics: [LessonDiagnostic] = []
        func report(_ line: Int, _ message: String) {
            diagnostics.append(LessonDiagnostic(file: path, line: line, message: message))
        }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let blocks = readBlocks(markdown)

        var title: String?
        var lastHeading = ""
        var cells: [Cell] = []
        var exercises: [Exercise] = []
        var exerciseLines: [String: Int] = [:]
        var pendingTests: [(exercise: String, cell: Cell)] = []
        var pendingHints: [(exercise: String, line: Int, text: String)] = []

        for block in blocks {
            switch block {
            case let .heading(level, text, line):
                if level == 1 && title == nil { title = text }
                lastHeading = text
                _ = line
            case let .code(info, literal, line, endLine):
                if let problem = fenceProblem(lines: lines, start: line, end: endLine) {
                    report(line, problem)
                }
                let kind: CellKind
                do { kind = try CellInfo.parse(info) } catch {
                    report(line, error.message)
                    continue
                }
                let cell = Cell(kind: kind, code: literal, fenceLine: line)
                cells.append(cell)
                switch kind {
                case let .exercise(id, points, timeout):
                    if let first = exerciseLines[id] {
                        report(line, "duplicate exercise id '\(id)': it is already used at line \(first); give each exercise its own id")
                        continue
                    }
                    exerciseLines[id] = line
                    if SwiftSource.topLevelNames(in: literal).isEmpty {
                        report(line, "exercise '\(id)' declares nothing: its starter code should declare the function or type the student writes")
                    }
                    exercises.append(Exercise(id: id, title: lastHeading.isEmpty ? id : lastHeading, points: points,
                                              timeout: timeout, starter: cell, visibleTests: [], hints: []))
                case let .test(exercise):
                    if SwiftSource.testMethods(in: literal).isEmpty {
                        report(line, "test cell for '\(exercise)' has no test methods: write XCTest methods such as `func testSumsToOne() { … }`")
                    }
                    pendingTests.append((exercise, cell))
                case let .hint(exercise):
                    if literal.allSatisfy(\.isWhitespace) {
                        report(line, "hint for '\(exercise)' is empty")
                    }
                    pendingHints.append((exercise, line, literal))
                default:
                    break
                }
            }
        }

        // Tests and hints may come before or after their exercise; attach them once all are known.
        for (id, cell) in pendingTests {
            guard let index = exercises.firstIndex(where: { $0.id == id }) else {
                report(cell.fenceLine, "tests for unknown exercise '\(id)'\(suggestion(for: id, among: exercises.map(\.id)))")
                continue
            }
            exercises[index].visibleTests.append(cell)
        }
        for (id, line, text) in pendingHints {
            guard let index = exercises.firstIndex(where: { $0.id == id }) else {
                report(line, "hint for unknown exercise '\(id)'\(suggestion(for: id, among: exercises.map(\.id)))")
                continue
            }
            exercises[index].hints.append(text.trimmingTrailingNewlines())
        }
        if title == nil {
            report(1, "the lesson has no title: start it with a level-1 heading (`# Lesson \(number): …`)")
        }
        diagnostics.sort { ($0.line, $0.message) < ($1.line, $1.message) }
        let lesson = Lesson(slug: slug, number: number, title: title ?? slug, path: path, markdown: markdown,
                            cells: cells, exercises: exercises)
        return Result(lesson: lesson, diagnostics: diagnostics)
    }

    /// " — did you mean 'x'?" when a known id is one edit away, else "".
    static func suggestion(for id: String, among known: [String]) -> String {
        let close = known.filter { editDistance($0, id) <= 2 }
        if let best = close.first { return "; did you mean '\(best)'?" }
        return known.isEmpty ? "; this lesson has no exercises" : "; the exercises here are " + known.joined(separator: ", ")
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    // MARK: - Reading the Markdown with cmark

    /// The parts of a document the runner cares about, in document order.
    enum Block {
        case heading(level: Int, text: String, line: Int)
        case code(info: String, literal: String, line: Int, endLine: Int)
    }

    /// Walks cmark's tree and returns headings and fenced code blocks in order. Indented code
    /// blocks are display-only prose and are skipped.
    static func readBlocks(_ markdown: String) -> [Block] {
        guard let document = cmark_parse_document(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_node_free(document) }
        let sourceLines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        var blocks: [Block] = []
        let iterator = cmark_iter_new(document)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let line = Int(cmark_node_get_start_line(node))
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                blocks.append(.heading(level: Int(cmark_node_get_heading_level(node)), text: plainText(of: node), line: line))
            case CMARK_NODE_CODE_BLOCK:
                // cmark 0.30 has no cmark_node_get_fenced: a fenced block's first line is its fence.
                guard line >= 1, line <= sourceLines.count, fence(in: sourceLines[line - 1]) != nil else { continue }
                let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                blocks.append(.code(info: info, literal: literal, line: line, endLine: Int(cmark_node_get_end_line(node))))
            default:
                break
            }
        }
        return blocks
    }

    /// The text of a heading (or any inline container), without markup.
    static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let current = child {
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
                text += cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                text += plainText(of: current)
            }
            child = cmark_node_next(current)
        }
        return text
    }

    /// The fence character and length opening `line` (after block-quote markers and up to the
    /// indentation cmark allows), or nil when the line is not a fence.
    static func fence(in line: Substring) -> (character: Character, count: Int)? {
        let body = line.drop(while: { $0 == " " || $0 == ">" || $0 == "\t" })
        guard let first = body.first, first == "`" || first == "~" else { return nil }
        let count = body.prefix(while: { $0 == first }).count
        return count >= 3 ? (first, count) : nil
    }

    /// Why a fenced block at lines `start...end` is not properly closed, or nil when it is.
    static func fenceProblem(lines: [Substring], start: Int, end: Int) -> String? {
        guard let open = fence(in: lines[start - 1]) else { return nil }
        if end > start, end <= lines.count, let close = fence(in: lines[end - 1]), close.character == open.character,
           close.count >= open.count,
           lines[end - 1].drop(while: { $0 == " " || $0 == ">" || $0 == "\t" }).dropFirst(close.count).allSatisfy(\.isWhitespace) {
            return nil
        }
        let marker = String(repeating: open.character, count: open.count)
        return "unclosed code fence: the block opened here never ends; close it with a line of \(marker)"
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var copy = self
        while copy.last == "\n" || copy.last == "\r" { copy.removeLast() }
        return copy
    }
}
