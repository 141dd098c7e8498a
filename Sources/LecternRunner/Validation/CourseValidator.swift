// `lectern validate`: everything an instructor must know before releasing a lesson.
// - the lesson parses without format problems;
// - every exercise's starter code compiles and FAILS its tests (a test that cannot fail hides
//   nothing);
// - every reference solution PASSES all of its tests, visible and hidden;
// - every runnable cell runs, with the reference solutions in place.
import Foundation

/// Checks lessons the way `lectern validate` does.
public struct CourseValidator: Sendable {
    /// How code is compiled.
    public var toolchain: Toolchain
    /// The course.
    public var course: Course

    /// A validator for `course`.
    public init(toolchain: Toolchain, course: Course) {
        self.toolchain = toolchain
        self.course = course
    }

    /// Every problem of `lessons` (all lessons when nil), as `file:line: message` diagnostics.
    /// `progress` is told about each step as it finishes (for a live log).
    public func validate(lessons: [Lesson]? = nil, progress: @Sendable (String) -> Void = { _ in }) throws(CourseError) -> [LessonDiagnostic] {
        try toolchain.library.verify()
        let chosen = lessons ?? course.lessons
        let paths = Set(chosen.map(\.path))
        var problems = course.diagnostics.filter { paths.contains($0.file) || ($0.file.hasPrefix("Lessons/") && lessons == nil) }
        let grader = Grader(toolchain: toolchain, course: course)
        let jobs = chosen.flatMap { lesson in lesson.exercises.map { (lesson, $0) } }
        // Exercises are independent: check two at a time (compiling is single-threaded).
        let collected = Collected(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let (lesson, exercise) = jobs[index]
            let found = checkExercise(lesson: lesson, exercise: exercise, grader: grader)
            collected.set(index, found)
            progress("\(found.isEmpty ? "ok  " : "FAIL") exercise \(exercise.id)")
        }
        problems += collected.all
        let runner = NotebookRunner(toolchain: toolchain, course: course)
        for lesson in chosen where lesson.cells.contains(where: \.runs) {
            let found = checkCells(lesson: lesson, runner: runner)
            problems += found
            progress("\(found.isEmpty ? "ok  " : "FAIL") cells of \(lesson.path)")
        }
        return problems
    }

    /// Starter fails, solution passes.
    func checkExercise(lesson: Lesson, exercise: Exercise, grader: Grader) -> [LessonDiagnostic] {
        var problems: [LessonDiagnostic] = []
        func report(_ message: String) {
            problems.append(LessonDiagnostic(file: lesson.path, line: exercise.starter.fenceLine, message: message))
        }
        let solution = course.solutionURL(lesson: lesson, exercise: exercise)
        guard FileManager.default.fileExists(atPath: solution.path) else { return [] }  // reported by the parser
        do {
            let work = try Grader.makeWorkDirectory()
            defer { Grader.removeWorkDirectory(work) }
            let starter = work.appendingPathComponent("\(exercise.id).swift")
            try? Data(exercise.starter.runnableCode.utf8).write(to: starter)
            let starterReport = try grader.grade(lesson: lesson, exercise: exercise, studentFile: starter, displayPath: "starter of \(exercise.id)")
            if starterReport.status == .pass {
                report("the starter code of '\(exercise.id)' passes all its tests: a test that cannot fail hides nothing; make the starter fail (a `fatalError(\"TODO: …\")` body) or test more")
            } else if !starterReport.compilerErrors.isEmpty {
                report("the starter code of '\(exercise.id)' does not compile with its tests: \(starterReport.compilerErrorsText)")
            }
            let solutionReport = try grader.grade(lesson: lesson, exercise: exercise, studentFile: solution,
                                                  displayPath: course.relativePath(solution))
            if !solutionReport.compilerErrors.isEmpty {
                report("the reference solution of '\(exercise.id)' does not compile with its tests:\n\(solutionReport.compilerErrorsText)")
            } else if solutionReport.status != .pass {
                let failing = solutionReport.tests.filter { $0.outcome != .passed }.map { result in
                    "  \(result.test.name): \(result.message ?? result.outcome.rawValue)\(result.location.map { " (\($0))" } ?? "")"
                }
                report("the reference solution of '\(exercise.id)' fails \(failing.count) test\(failing.count == 1 ? "" : "s"):\n" + failing.joined(separator: "\n"))
            }
        } catch {
            report("cannot check '\(exercise.id)': \(error.message)")
        }
        return problems
    }

    /// Every runnable cell runs with the solutions.
    func checkCells(lesson: Lesson, runner: NotebookRunner) -> [LessonDiagnostic] {
        let result: NotebookResult
        do { result = try runner.run(lesson: lesson, source: .solutions) } catch {
            return [LessonDiagnostic(file: lesson.path, line: 0, message: "cannot run the cells: \(error.message)")]
        }
        func at(_ cell: Cell?, _ message: String) -> [LessonDiagnostic] {
            [LessonDiagnostic(file: lesson.path, line: cell?.fenceLine ?? 0, message: message)]
        }
        switch result.ending {
        case .completed, .blocked: return []
        case let .compileError(cell, errors):
            let text = errors.prefix(3).map { error in
                (error.location.map { "\($0): " } ?? "") + error.message
            }.joined(separator: "\n  ")
            return at(cell, "this cell does not compile (with the reference solutions):\n  " + text)
        case let .crashed(cell, message, location):
            return at(cell, "this cell stopped the run: \(message)\(location.map { " at \($0)" } ?? "")")
        case let .timedOut(cell, seconds):
            return at(cell, "this cell ran longer than \(Int(seconds)) s")
        }
    }
}

/// Results gathered from concurrent jobs, in job order.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[LessonDiagnostic]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [LessonDiagnostic]) { lock.lock(); slots[index] = value; lock.unlock() }
    var all: [LessonDiagnostic] { lock.lock(); defer { lock.unlock() }; return slots.flatMap { $0 } }
}
