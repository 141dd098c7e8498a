// What every command needs: the course, the student's workspace and progress, the toolchain,
// and a uniform way to turn errors into clear messages and exit codes.
import ArgumentParser
import Foundation
import LecternRunner

/// The options every student command accepts.
struct CourseOptions: ParsableArguments {
    @Option(name: .customLong("course"), help: ArgumentHelp("The course folder (the one holding Lessons/).", discussion: "Default: $LECTERN_COURSE, else the nearest folder above the current one that holds Lessons/ and Package.swift.", valueName: "dir"))
    var coursePath: String?

    @Option(name: .customLong("workspace"), help: ArgumentHelp("Where your exercise files live (default: $LECTERN_WORKSPACE, else <course>/Workspace).", valueName: "dir"))
    var workspacePath: String?
}

/// Exit codes: 0 all good, 1 some test failed, 2 usage or lesson error.
enum Exit {
    static let failed = ExitCode(1)
    static let usage = ExitCode(2)
}

/// Prints `message` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

/// Runs `body`, turning a ``CourseError`` into its message on standard error and exit code 2.
func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let error as CourseError {
        printError("lectern: " + error.message)
        throw Exit.usage
    }
}

/// The loaded course, workspace and progress.
struct Context {
    var course: Course
    var workspace: Workspace
    var store: ProgressStore
    var state: ProgressState
    var style: Style

    /// Loads everything; prints a warning when the progress file had to be set aside.
    static func load(_ options: CourseOptions, materialize: Bool = true) throws(CourseError) -> Context {
        let environment = ProcessInfo.processInfo.environment
        let root = try findCourseRoot(explicit: options.coursePath, environment: environment)
        let course = try Course.load(root: root)
        let workspaceRoot = options.workspacePath.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
            ?? Workspace.defaultRoot(course: course, environment: environment)
        let workspace = Workspace(root: workspaceRoot, course: course)
        let store = ProgressStore(url: workspace.stateURL)
        let (state, warning) = store.load()
        let style = Style.detect()
        if let warning { printError(style.yellow("warning: ") + warning) }
        if materialize {
            let created = try workspace.materialize()
            if !created.isEmpty {
                print(style.dim("Created \(created.count) exercise file\(created.count == 1 ? "" : "s") in \(Grader.displayPath(of: workspaceRoot))/"))
            }
        }
        return Context(course: course, workspace: workspace, store: store, state: state, style: style)
    }

    /// The course folder: `--course`, `$LECTERN_COURSE`, the current folder or one above it,
    /// or the checkout this `lectern` was built in.
    static func findCourseRoot(explicit: String?, environment: [String: String]) throws(CourseError) -> URL {
        if let path = explicit ?? environment["LECTERN_COURSE"], !path.isEmpty {
            let url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Lessons").path) else {
                throw CourseError("\(path) is not a course folder (it has no Lessons/ folder)")
            }
            return url
        }
        func search(from start: URL) -> URL? {
            var url = start.standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("Lessons").path),
                   FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { return nil }
                url = parent
            }
        }
        if let found = search(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)) { return found }
        if let found = search(from: executableDirectory) { return found }
        throw CourseError("cannot find the course: run lectern inside the course folder, or pass --course DIR (or set LECTERN_COURSE)")
    }

    /// The folder of the running `lectern`, where SwiftPM also put the reference library.
    static var executableDirectory: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The compiler and the reference library next to this executable (or in
    /// `$LECTERN_LIBRARY_DIR`), built from the course at `courseRoot`.
    static func toolchain(courseRoot: URL?) throws(CourseError) -> Toolchain {
        let environment = ProcessInfo.processInfo.environment
        let directory = environment["LECTERN_LIBRARY_DIR"].map { URL(fileURLWithPath: $0, isDirectory: true) } ?? executableDirectory
        // The C modules the library imports (BLAS on Linux), found in the course's sources.
        var moduleMaps: [URL] = []
        #if os(Linux)
        if let courseRoot {
            let blas = courseRoot.appendingPathComponent("Sources/CBLAS/module.modulemap")
            if FileManager.default.fileExists(atPath: blas.path) { moduleMaps.append(blas) }
        }
        #endif
        let library = ReferenceLibrary(modulesDirectory: directory.appendingPathComponent("Modules"), libraryDirectory: directory,
                                       modules: ["LecternCore", "LecternNN", "LecternModels", "LecternTokenizers"], linkedLibraries: ["Lectern"],
                                       clangModuleMaps: moduleMaps)
        return Toolchain(swiftc: try Toolchain.findSwiftc(environment: environment), library: library,
                         moduleCache: directory.appendingPathComponent("lectern-module-cache"))
    }

    /// The toolchain for this context's course.
    func toolchain() throws(CourseError) -> Toolchain { try Context.toolchain(courseRoot: course.root) }

    /// The exercise a student names, or the current one.
    func exercise(_ id: String?) throws(CourseError) -> (lesson: Lesson, exercise: Exercise) {
        if let id { return try course.exercise(id: id) }
        if let current = currentExercise { return current }
        throw CourseError("every exercise is solved — well done! Name one to check it again: lectern check <exercise>")
    }

    /// The exercise to work on: the remembered one if not yet solved, else the first unsolved.
    var currentExercise: (lesson: Lesson, exercise: Exercise)? {
        if let id = state.current, let found = try? course.exercise(id: id), state.exercises[id]?.passed != true { return found }
        return course.allExercises.first { state.exercises[$0.exercise.id]?.passed != true }
    }

    /// The student's file for an exercise, and how to name it in messages.
    func file(_ lesson: Lesson, _ exercise: Exercise) -> URL { workspace.exerciseURL(lesson: lesson, exercise: exercise) }

    /// Grades one exercise and records the attempt (points already earned are never lowered).
    mutating func grade(_ lesson: Lesson, _ exercise: Exercise) throws(CourseError) -> GradeReport {
        let grader = Grader(toolchain: try toolchain(), course: course)
        let report = try grader.grade(lesson: lesson, exercise: exercise, studentFile: file(lesson, exercise))
        state = try store.update { state in
            var progress = state.exercises[exercise.id] ?? ExerciseProgress()
            progress.attempts += 1
            progress.lastChecked = Date()
            progress.maxPoints = exercise.points
            progress.points = max(progress.points, report.points)
            if report.status == .pass {
                if !progress.passed { progress.firstPassed = Date() }
                progress.passed = true
            }
            state.exercises[exercise.id] = progress
            if report.status == .pass, state.current == exercise.id { state.current = nil }
            if report.status != .pass { state.current = exercise.id }
        }
        return report
    }
}
