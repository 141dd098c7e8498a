// The in-memory form of a lesson: its cells, in document order, and its exercises.

/// A problem found in a lesson or course, located at a line of a file.
///
/// Its `description` is the `file:line: message` form that editors and CI logs understand.
public struct LessonDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, as the instructor names it (relative to the course root where possible).
    public var file: String
    /// The 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    /// What is wrong, and how to fix it.
    public var message: String

    /// A diagnostic at `file:line`.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// One fenced code block of a lesson.
public struct Cell: Equatable, Sendable {
    /// What the block is.
    public var kind: CellKind
    /// The block's text, exactly as written (hidden `# ` lines included).
    public var code: String
    /// The line of the opening fence.
    public var fenceLine: Int
    /// The line of the first line of code (the fence line + 1).
    public var firstCodeLine: Int { fenceLine + 1 }

    /// A cell of `kind` whose fence is at `fenceLine`.
    public init(kind: CellKind, code: String, fenceLine: Int) {
        self.kind = kind
        self.code = code
        self.fenceLine = fenceLine
    }

    /// The code that runs: hidden `# ` lines keep their code, without the marker.
    public var runnableCode: String {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .map { HiddenLine.code($0).map(String.init) ?? String($0) }
            .joined(separator: "\n")
    }

    /// Whether this cell is compiled and run by `lectern run`.
    public var runs: Bool { kind == .run || kind == .setup }
}

/// A graded exercise, gathered from its starter cell, test cells and hints.
public struct Exercise: Equatable, Sendable {
    /// The course-wide id students type (`lectern check softmax`).
    public var id: String
    /// The nearest heading above the starter cell.
    public var title: String
    /// Points for passing every test.
    public var points: Int
    /// Wall-clock seconds one run of its tests may take (nil: the course default).
    public var timeout: Double?
    /// The starter code cell.
    public var starter: Cell
    /// Visible test cells, in document order.
    public var visibleTests: [Cell]
    /// Hints, in the order they are revealed (Markdown).
    public var hints: [String]

    /// The names the starter code declares at top level (functions, types, constants), so the
    /// runner can tell which cells use this exercise.
    public var declaredNames: [String] { SwiftSource.topLevelNames(in: starter.code) }
}

/// A parsed lesson.
public struct Lesson: Equatable, Sendable {
    /// The file name without `.md` (`00-getting-started`); also the lesson's folder name in
    /// `Solutions/` and in the student's workspace.
    public var slug: String
    /// The lesson's number (`0` for `00-getting-started`).
    public var number: Int
    /// The first level-1 heading.
    public var title: String
    /// The path used in diagnostics and `#sourceLocation` (`Lessons/00-getting-started.md`).
    public var path: String
    /// The whole Markdown source.
    public var markdown: String
    /// Every fenced code block, in document order.
    public var cells: [Cell]
    /// The exercises, in document order.
    public var exercises: [Exercise]

    /// The slug without its number (`getting-started`).
    public var shortName: String {
        guard let dash = slug.firstIndex(of: "-") else { return slug }
        return String(slug[slug.index(after: dash)...])
    }
}
