// Runs a lesson's cells like a notebook: every runnable cell, in document order, compiled into
// one program so a later cell sees the declarations of earlier ones, with each cell's output
// streamed under it while it runs.
//
// The program reports "cell N starts here" on the events channel (with the output offset), so
// the runner can cut the one output stream into per-cell pieces, and knows which cell was
// running when something crashed. A cell that calls an exercise the student has not solved yet
// is never compiled: the run stops just before it and says what to do.
import Foundation

/// What a notebook run shows as it goes.
public enum NotebookEvent: Sendable {
    /// A cell starts running (its output follows).
    case cellStarted(index: Int, cell: Cell)
    /// Bytes the program printed.
    case output(Data)
    /// The output went past the display limit; the rest is not shown.
    case outputCut(limit: Int)
}

/// How a notebook run ended.
public enum NotebookEnding: Sendable, Equatable {
    /// Every runnable cell ran.
    case completed
    /// The run stopped before `cell`, which uses exercises the student has not solved.
    case blocked(cell: Cell, exercises: [String])
    /// A cell (or an exercise file it uses) does not compile; the cells before it ran.
    case compileError(cell: Cell?, errors: [CompilerError])
    /// A cell crashed, with the crash message and the line, when known.
    case crashed(cell: Cell?, message: String, location: SourceLocation?)
    /// A cell ran past the time limit.
    case timedOut(cell: Cell?, seconds: Double)
}

/// The result of running a lesson's cells.
public struct NotebookResult: Sendable {
    /// How it ended.
    public var ending: NotebookEnding
    /// How many cells started.
    public var cellsStarted: Int
    /// How many cells there are to run.
    public var cellsTotal: Int
    /// The output of each cell that ran, by cell index in the run (for validation and tests).
    public var outputs: [String]
    /// Wall-clock seconds.
    public var seconds: Double
}

/// Where a run takes each exercise's code from.
public enum ExerciseSource: Sendable {
    /// The reference solutions in `Solutions/`.
    case solutions
    /// The student's files; `solved` says which exercises passed.
    case student(file: @Sendable (Lesson, Exercise) -> URL, solved: @Sendable (Exercise) -> Bool)
}

/// Runs lessons' cells.
public struct NotebookRunner: Sendable {
    /// How code is compiled.
    public var toolchain: Toolchain
    /// The course.
    public var course: Course
    /// Seconds a whole lesson run may take.
    public var timeout: Double = 600
    /// Limits for the program (the CPU limit is raised to cover `timeout`).
    public var limits = ResourceLimits()
    /// The most output shown.
    public var outputLimit = 1 << 20

    /// A runner for `course`'s lessons.
    public init(toolchain: Toolchain, course: Course) {
        self.toolchain = toolchain
        self.course = course
    }

    /// Runs `lesson`'s cells with exercise code from `source`, reporting progress to `show`.
    public func run(lesson: Lesson, source: ExerciseSource, show: (NotebookEvent) -> Void = { _ in }) throws(CourseError) -> NotebookResult {
        let clock = Date()
        try toolchain.library.verify()
        let cells = lesson.cells.filter(\.runs)
        // Stop before the first cell that needs an unsolved exercise.
        var runnable = cells
        var blocked: NotebookEnding?
        for (index, cell) in cells.enumerated() {
            let needed = exercisesUsed(by: cell, in: lesson)
            if case let .student(_, solved) = source {
                let missing = needed.filter { !solved($0) }
                if !missing.isEmpty {
                    runnable = Array(cells[..<index])
                    blocked = .blocked(cell: cell, exercises: missing.map(\.id))
                    break
                }
            }
        }
        let work = try Grader.makeWorkDirectory()
        defer { Grader.removeWorkDirectory(work) }

        var result = try compileAndRun(lesson: lesson, cells: runnable, total: cells.count, source: source, work: work, show: show)
        if case let .compileError(cell?, errors) = result.ending, let position = runnable.firstIndex(of: cell), position > 0 {
            // Run the cells before the broken one, as a notebook would, then report the error.
            result = try compileAndRun(lesson: lesson, cells: Array(runnable[..<position]), total: cells.count, source: source, work: work, show: show)
            if result.ending == .completed { result.ending = .compileError(cell: cell, errors: errors) }
        } else if result.ending == .completed, let blocked {
            result.ending = blocked
        }
        result.seconds = Date().timeIntervalSince(clock)
        return result
    }

    /// The exercises of `lesson` whose declarations `cell` mentions.
    public func exercisesUsed(by cell: Cell, in lesson: Lesson) -> [Exercise] {
        let code = cell.runnableCode
        return lesson.exercises.filter { exercise in exercise.declaredNames.contains { SwiftSource.mentions($0, in: code) } }
    }

    func compileAndRun(lesson: Lesson, cells: [Cell], total: Int, source: ExerciseSource, work: URL,
                       show: (NotebookEvent) -> Void) throws(CourseError) -> NotebookResult {
        var result = NotebookResult(ending: .completed, cellsStarted: 0, cellsTotal: total, outputs: [], seconds: 0)
        guard !cells.isEmpty else { return result }
        var files: [URL] = []
        // Exercise code the cells use.
        var included: [String] = []
        var shownPaths: [String] = []
        for cell in cells {
            for exercise in exercisesUsed(by: cell, in: lesson) where !included.contains(exercise.id) {
                included.append(exercise.id)
                let url: URL
                switch source {
                case .solutions: url = course.solutionURL(lesson: lesson, exercise: exercise)
                case let .student(file, _): url = file(lesson, exercise)
                }
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw CourseError("cannot read \(url.path), the code of exercise '\(exercise.id)'")
                }
                shownPaths.append(Grader.displayPath(of: url))
                let wrapped = TestHarness.wrapStudentFile(String(decoding: data, as: UTF8.self),
                                                          displayPath: shownPaths[shownPaths.count - 1], library: toolchain.library)
                let copy = work.appendingPathComponent("exercise_\(exercise.id.replacingOccurrences(of: "-", with: "_")).swift")
                try write(wrapped, to: copy)
                files.append(copy)
            }
        }
        var main = "import Foundation\n" + toolchain.library.imports + ChildPrelude.source(limits: runLimits) + "\n__Lectern.setUp()\n"
        for (index, cell) in cells.enumerated() {
            main += "__Lectern.emit(\"cell\", [(\"c\", \"\(index)\")])\n"
            main += "#sourceLocation(file: \(SwiftSource.literal(lesson.path)), line: \(cell.firstCodeLine))\n"
            main += cell.runnableCode + "\n#sourceLocation()\n"
        }
        main += "__Lectern.emit(\"done\", [])\n"
        let mainURL = work.appendingPathComponent("main.swift")
        try write(main, to: mainURL)
        files.append(mainURL)

        let binary = work.appendingPathComponent("lesson")
        let compiled = try toolchain.compile(sources: files, output: binary, moduleName: "Notebook", log: work.appendingPathComponent("compile.log"))
        guard compiled.succeeded else {
            var errors = CompilerOutput.errors(in: compiled.diagnostics)
            if errors.isEmpty { errors = [CompilerError(location: nil, column: nil, message: String(compiled.diagnostics.suffix(2000)), excerpt: "")] }
            let broken = errors.lazy.compactMap { error in error.location.flatMap { location in
                location.file == lesson.path ? cells.last { $0.firstCodeLine <= location.line } : nil
            } }.first
            result.ending = .compileError(cell: broken, errors: errors)
            return result
        }

        let events = work.appendingPathComponent("events.jsonl")
        let output = work.appendingPathComponent("output.txt")
        var stream = OutputStream(output: output, events: events, cells: cells, limit: outputLimit)
        let child = ChildProcess(executable: binary, environment: [ChildPrelude.eventsVariable: events.path, "SWIFT_BACKTRACE": Grader.backtraceSetting],
                                 directory: course.root, outputFile: output, timeout: timeout)
        let (exit, seconds) = try child.run(poll: { stream.pump(show) })
        stream.pump(show, final: true)
        result.cellsStarted = stream.started
        result.outputs = stream.outputs
        let current = stream.started > 0 ? cells[stream.started - 1] : nil
        if stream.done && exit == .exited(0) { return result }
        let tail = Grader.readRange(output, from: stream.lastCellOffset, to: nil, limit: 64 * 1024).text
        switch exit {
        case .timedOut:
            result.ending = .timedOut(cell: current, seconds: seconds)
        case .exited(0) where !stream.done:
            result.ending = .crashed(cell: current, message: "the program ended before the last cell (did a cell call exit()?)", location: nil)
        default:
            let crash = Grader.crashReport(exit: exit, output: tail, limits: runLimits, timeout: timeout, paths: [lesson.path] + shownPaths)
            result.ending = .crashed(cell: current, message: crash.message,
                                     location: crash.location.map { Grader.resolveFileID($0, paths: [lesson.path] + shownPaths) })
        }
        return result
    }

    /// The limits of a lesson run: the CPU limit must not stop a long training cell first.
    var runLimits: ResourceLimits {
        var limits = self.limits
        limits.cpuSeconds = max(limits.cpuSeconds, UInt64(timeout * 2))
        return limits
    }

    func write(_ text: String, to url: URL) throws(CourseError) {
        do { try Data(text.utf8).write(to: url) } catch { throw CourseError("cannot write \(url.path): \(error.localizedDescription)") }
    }
}

/// Follows a running program's output and events files, and turns them into notebook events
/// in the order they happened.
struct OutputStream {
    let output: URL
    let events: URL
    let cells: [Cell]
    let limit: Int
    var printed: UInt64 = 0
    var seenEvents = 0
    var started = 0
    var done = false
    var cut = false
    /// Set once the Swift runtime's crash report begins: the rest of the output is the
    /// backtrace, which the student does not see (the run's ending names the message and the
    /// lesson line; the full report stays in the output file).
    var inCrashReport = false
    var outputs: [String] = []
    var lastCellOffset: UInt64 = 0

    init(output: URL, events: URL, cells: [Cell], limit: Int) {
        self.output = output
        self.events = events
        self.cells = cells
        self.limit = limit
    }

    /// Shows whatever happened since the last call.
    /// `final` shows a last line that has no newline.
    mutating func pump(_ show: (NotebookEvent) -> Void, final: Bool = false) {
        let all = ChildEvent.read(events)
        while seenEvents < all.count {
            let event = all[seenEvents]
            seenEvents += 1
            emit(upTo: event.offset, show)
            if event.kind == "cell", let index = event.cell, index < cells.count {
                started = index + 1
                lastCellOffset = event.offset
                outputs.append("")
                show(.cellStarted(index: index, cell: cells[index]))
            } else if event.kind == "done" {
                done = true
            }
        }
        emit(upTo: nil, show, final: final)
    }

    /// Where the Swift runtime's crash report starts in `data` (a line beginning with one of
    /// its markers), or nil. `emit` shows whole lines, so a marker line is never split.
    static func crashReportStart(in data: Data) -> Data.Index? {
        let markers = Grader.crashReportMarkers.map { Data($0.utf8) }
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            let rest = data[lineStart...]
            if markers.contains(where: { rest.starts(with: $0) }) { return lineStart }
            guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            lineStart = newline + 1
        }
        return nil
    }

    /// Shows the output from what was shown so far up to `offset` (or the end of the file).
    mutating func emit(upTo offset: UInt64?, _ show: (NotebookEvent) -> Void, final: Bool = false) {
        guard !cut else { return }
        guard let handle = FileHandle(forReadingAtPath: output.path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: printed)
        let wanted = offset.map { Int(clamping: $0 &- min($0, printed)) } ?? (1 << 20)
        guard wanted > 0, var data = try? handle.read(upToCount: wanted), !data.isEmpty else { return }
        if offset == nil && !final, let last = data.lastIndex(of: UInt8(ascii: "\n")) ?? (data.count > 4096 ? data.endIndex - 1 : nil) {
            // While the cell runs, show whole lines (so a UTF-8 character is never split).
            data = data.prefix(through: last)
        } else if offset == nil && !final {
            return
        }
        if printed + UInt64(data.count) > UInt64(limit) {
            data = data.prefix(max(0, limit - Int(printed)))
            cut = true
        }
        printed += UInt64(data.count)
        if inCrashReport { return }
        if let start = OutputStream.crashReportStart(in: data) {
            inCrashReport = true
            data = data.prefix(upTo: start)
            if data.isEmpty { return }
        }
        if !outputs.isEmpty { outputs[outputs.count - 1] += String(decoding: data, as: UTF8.self) }
        show(.output(data))
        if cut { show(.outputCut(limit: limit)) }
    }
}
