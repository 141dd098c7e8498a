// `lectern run <lesson>`: the lesson's cells, in order, each followed by its output.
import ArgumentParser
import Foundation
import LecternRunner

/// Everything `lectern run` prints goes straight to standard output, unbuffered like the cells'
/// output it interleaves with, so the two never swap places.
private func print(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lesson's cells in order, showing each cell's output under it.",
        discussion: "Cells that call an exercise use your solution; the run stops before a cell that needs an exercise you have not solved yet. --solutions runs the reference solutions instead.")

    @Argument(help: "The lesson: its number (0), name (getting-started) or file name.")
    var lesson: String

    @Flag(help: "Use the reference solutions for the exercises.")
    var solutions = false

    @Flag(help: "Show only the output, not the code of each cell.")
    var outputOnly = false

    @Option(help: "Stop the run after this many seconds.")
    var timeout: Double = 600

    @OptionGroup var options: CourseOptions

    func run() throws {
        var succeeded = false
        try guarded {
            let context = try Context.load(options)
            let lesson = try context.course.lesson(named: self.lesson)
            var runner = NotebookRunner(toolchain: try context.toolchain(), course: context.course)
            runner.timeout = timeout
            let style = context.style
            let state = context.state
            let workspace = context.workspace
            let source: ExerciseSource = solutions ? .solutions : .student(
                file: { lesson, exercise in workspace.exerciseURL(lesson: lesson, exercise: exercise) },
                solved: { exercise in state.exercises[exercise.id]?.passed == true })
            print(style.bold("Lesson \(lesson.number): \(lesson.title)") + style.dim(solutions ? "  (reference solutions)" : "") + "\n")
            let width = min(terminalWidth(), 100)
            let result = try runner.run(lesson: lesson, source: source) { event in
                switch event {
                case let .cellStarted(_, cell):
                    if cell.kind == .setup || outputOnly { break }
                    print(style.dim("── \(lesson.path):\(cell.fenceLine) " + String(repeating: "─", count: max(0, width - lesson.path.count - 12))))
                    let visible = cell.code.split(separator: "\n", omittingEmptySubsequences: false)
                        .filter { HiddenLine.code($0) == nil }.joined(separator: "\n")
                        .trimmingCharacters(in: .newlines)
                    for line in SwiftHighlighter.highlight(visible, style: style).split(separator: "\n", omittingEmptySubsequences: false) {
                        print(style.dim("│ ") + line)
                    }
                case let .output(data):
                    FileHandle.standardOutput.write(data)
                case let .outputCut(limit):
                    print(style.yellow("[output cut: only the first \(limit >> 10) KB are shown]"))
                }
            }
            print("")
            succeeded = Run.describe(result, lesson: lesson, style: style, solutions: solutions)
        }
        if !succeeded { throw Exit.failed }
    }

    /// Prints how the run ended; returns whether it completed.
    static func describe(_ result: NotebookResult, lesson: Lesson, style: Style, solutions: Bool) -> Bool {
        switch result.ending {
        case .completed:
            print(style.green("✓ all \(result.cellsTotal) cells ran") + style.dim(String(format: " (%.1f s)", result.seconds)))
            return true
        case let .blocked(cell, exercises):
            let list = exercises.joined(separator: ", ")
            print(style.yellow("■ stopped before the cell at \(lesson.path):\(cell.fenceLine)") + ": it uses exercise\(exercises.count == 1 ? "" : "s") \(list), which you have not solved yet.")
            print("  Solve it: " + style.cyan("lectern check \(exercises[0])") + "  ·  or see the rest with the reference solutions: " + style.cyan("lectern run \(lesson.number) --solutions"))
            return true
        case let .compileError(cell, errors):
            let place = cell.map { "the cell at \(lesson.path):\($0.fenceLine)" } ?? "the lesson"
            print(style.red("✗ \(place) does not compile:"))
            for error in errors.prefix(6) {
                let location = error.location.map { "\($0)\(error.column.map { ":\($0)" } ?? ""): " } ?? ""
                print(style.bold(location) + style.red("error: ") + error.message)
                if !error.excerpt.isEmpty { print(error.excerpt) }
            }
            return false
        case let .crashed(cell, message, location):
            let place = cell.map { "\(lesson.path):\($0.fenceLine)" } ?? lesson.path
            print(style.red("✗ the cell at \(place) stopped the run: ") + message)
            if let location { print("  at " + style.bold(location.description)) }
            return false
        case let .timedOut(cell, seconds):
            let place = cell.map { "\(lesson.path):\($0.fenceLine)" } ?? lesson.path
            print(style.red("✗ the cell at \(place) ran longer than \(Int(seconds)) s and was stopped") + " (use --timeout to allow more)")
            return false
        }
    }
}
