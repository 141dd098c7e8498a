// Grades one exercise: compile the student's file with its visible and hidden tests against the
// prebuilt reference library, run the test program as a child process under limits, and read
// per-test results from the events channel.
//
// A test that started and never ended crashed (or hung): it is recorded as such and the tests
// that had not started yet are run again in a fresh process, so one crash never hides the
// verdict on the others.
import Foundation

/// Compiles and runs an exercise's tests.
///
///     let grader = Grader(toolchain: toolchain, course: course)
///     let report = try grader.grade(lesson: lesson, exercise: exercise, studentFile: file)
public struct Grader: Sendable {
    /// How student code is compiled.
    public var toolchain: Toolchain
    /// The course the exercise belongs to.
    public var course: Course
    /// Limits for the test program.
    public var limits = ResourceLimits()
    /// Seconds one run of an exercise's tests may take when the lesson does not say.
    public var defaultTimeout: Double = 10
    /// The most output shown per test.
    public var outputLimit = 64 * 1024

    /// A grader for `course`'s exercises.
    public init(toolchain: Toolchain, course: Course) {
        self.toolchain = toolchain
        self.course = course
    }

    /// Grades `studentFile` as exercise `exercise` of `lesson`. `displayPath` is how reports
    /// name the student's file (default: its path relative to the current folder).
    /// Throws only when the runner itself cannot work (no compiler, no library, no file).
    public func grade(lesson: Lesson, exercise: Exercise, studentFile: URL, displayPath: String? = nil) throws(CourseError) -> GradeReport {
        let clock = Date()
        try toolchain.library.verify()
        guard let data = FileManager.default.contents(atPath: studentFile.path) else {
            throw CourseError("cannot read \(studentFile.path): run `lectern` to create your workspace, or `lectern reset \(exercise.id)` to get the starter code back")
        }
        let shownPath = displayPath ?? Grader.displayPath(of: studentFile)
        let hiddenURL = course.hiddenTestsURL(lesson: lesson, exercise: exercise)
        let hidden = try? String(contentsOf: hiddenURL, encoding: .utf8)
        let harness = TestHarness(library: toolchain.library, lesson: lesson, exercise: exercise, hiddenTests: hidden, limits: limits)
        let planned = harness.plannedTests
        let taskID = (lesson.exercises.firstIndex { $0.id == exercise.id } ?? 0) + 1

        let work = try Grader.makeWorkDirectory()
        defer { Grader.removeWorkDirectory(work) }
        var sources: [(URL, String)] = [
            (work.appendingPathComponent("student.swift"),
             TestHarness.wrapStudentFile(String(decoding: data, as: UTF8.self), displayPath: shownPath, library: toolchain.library)),
            (work.appendingPathComponent("visible_tests.swift"), harness.visibleTestsSource),
            (work.appendingPathComponent("main.swift"), harness.mainSource),
        ]
        if let hidden {
            sources.append((work.appendingPathComponent("hidden_tests.swift"),
                            "#sourceLocation(file: \(SwiftSource.literal(course.relativePath(hiddenURL))), line: 1)\n" + hidden + "\n#sourceLocation()\n"))
            // Helpers shared by all hidden tests, when the course has them.
            let supportURL = course.hiddenTestSupportURL
            if let support = try? String(contentsOf: supportURL, encoding: .utf8) {
                sources.append((work.appendingPathComponent("hidden_test_support.swift"),
                                "#sourceLocation(file: \(SwiftSource.literal(course.relativePath(supportURL))), line: 1)\n" + support + "\n#sourceLocation()\n"))
            }
        }
        for (url, text) in sources {
            do { try Data(text.utf8).write(to: url) } catch { throw CourseError("cannot write \(url.path): \(error.localizedDescription)") }
        }
        var report = GradeReport(exerciseID: exercise.id, taskID: taskID, studentFile: shownPath, status: .error, message: nil,
                                 errorsInStudentCode: false, compilerErrors: [], tests: [], points: 0,
                                 maxPoints: exercise.points, seconds: 0)

        let binary = work.appendingPathComponent("tests")
        let compiled = try toolchain.compile(sources: sources.map(\.0), output: binary, moduleName: "Exercise",
                                             log: work.appendingPathComponent("compile.log"))
        guard compiled.succeeded else {
            report.compilerErrors = CompilerOutput.errors(in: compiled.diagnostics)
            if report.compilerErrors.isEmpty {
                report.compilerErrors = [CompilerError(location: nil, column: nil, message: String(compiled.diagnostics.suffix(2000)), excerpt: "")]
            }
            report.errorsInStudentCode = report.compilerErrors.contains { $0.location?.file == shownPath }
            report.message = report.errorsInStudentCode
                ? "your code does not compile"
                : "the tests could not compile against your code: keep the names and signatures of the starter code (`lectern reset \(exercise.id)` shows them again)"
            report.seconds = Date().timeIntervalSince(clock)
            return report
        }

        let compiledAt = Date()
        let timeout = exercise.timeout ?? defaultTimeout
        var (results, programError) = try runTests(binary: binary, planned: planned, timeout: timeout, work: work,
                                                   paths: [shownPath, lesson.path])
        for index in results.indices {
            results[index].location = results[index].location.map { Grader.resolveFileID($0, paths: [shownPath]) }
        }
        report.tests = results
        let passed = results.filter { $0.outcome == .passed }.count
        report.points = GradeReport.points(passed: passed, total: results.count, maxPoints: exercise.points)
        if let programError {
            report.status = .error
            report.message = programError
        } else {
            report.status = passed == results.count && !results.isEmpty ? .pass : .fail
        }
        report.seconds = Date().timeIntervalSince(clock)
        if ProcessInfo.processInfo.environment["LECTERN_TIMING"] == "1" {
            FileHandle.standardError.write(Data(String(format: "lectern timing: compile %.3f s, run %.3f s\n",
                                                      compiledAt.timeIntervalSince(clock), Date().timeIntervalSince(compiledAt)).utf8))
        }
        return report
    }

    /// Runs the test binary until every planned test has an outcome, re-running the tests a
    /// crash or time-out left unstarted. Returns the results and, when no test could start at
    /// all, what went wrong.
    func runTests(binary: URL, planned: [PlannedTest], timeout: Double, work: URL, paths: [String]) throws(CourseError) -> ([TestResult], String?) {
        var results: [String: TestResult] = [:]
        var pending = planned
        let budget = timeout * 3
        let start = Date()
        var run = 0
        var programError: String?
        while !pending.isEmpty {
            run += 1
            let left = budget - Date().timeIntervalSince(start)
            if left < 0.5 {
                for test in pending {
                    results[test.name] = TestResult(test: test, outcome: .notRun, message: "not run: the tests before it used up the time budget (\(Int(budget)) s)", output: "", outputTruncated: false)
                }
                break
            }
            let events = work.appendingPathComponent("events-\(run).jsonl")
            let output = work.appendingPathComponent("output-\(run).txt")
            var environment = [ChildPrelude.eventsVariable: events.path, "SWIFT_BACKTRACE": Grader.backtraceSetting]
            if run > 1 { environment["LECTERN_ONLY"] = pending.map(\.name).joined(separator: ",") }
            let child = ChildProcess(executable: binary, environment: environment, directory: work, outputFile: output,
                                     timeout: min(timeout, left))
            let (exit, _) = try child.run()
            let outcome = Grader.collect(events: ChildEvent.read(events), pending: pending, exit: exit, timeout: timeout, paths: paths,
                                         output: output, limits: limits, outputLimit: outputLimit)
            for result in outcome.finished { results[result.test.name] = result }
            let unstarted = pending.filter { results[$0.name] == nil }
            if unstarted.count == pending.count || outcome.crashed == nil {
                // No progress, or the program ended normally without running them: say why.
                let whole = readCapped(output, limit: outputLimit)
                let why = Grader.describe(exit: exit, output: whole.text, limits: limits, timeout: timeout)
                if unstarted.count == planned.count { programError = "the test program \(why) before any test started" }
                for test in unstarted {
                    results[test.name] = TestResult(test: test, outcome: .notRun, message: "not run: the test program \(why)",
                                                    output: unstarted.count == planned.count ? Grader.cleanOutput(whole.text) : "",
                                                    outputTruncated: whole.truncated)
                }
                break
            }
            pending = unstarted
        }
        return (planned.compactMap { results[$0.name] }, programError)
    }

    /// Turns one run's events into results for the tests that started in it.
    static func collect(events: [ChildEvent], pending: [PlannedTest], exit: ChildExit, timeout: Double, paths: [String],
                        output: URL, limits: ResourceLimits, outputLimit: Int) -> (finished: [TestResult], crashed: String?) {
        var finished: [TestResult] = []
        var crashed: String?
        let byName = Dictionary(pending.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < events.count {
            let event = events[index]
            index += 1
            guard event.kind == "start", let name = event.test, let test = byName[name] else { continue }
            var failures: [ChildEvent] = []
            var end: ChildEvent?
            while index < events.count, events[index].test == name {
                let next = events[index]
                index += 1
                if next.kind == "fail" { failures.append(next) }
                if next.kind == "end" { end = next; break }
            }
            let endOffset = end?.offset
            let text = readRange(output, from: event.offset, to: endOffset, limit: outputLimit)
            if let end {
                let passed = end.succeeded == true && failures.isEmpty
                let first = failures.first
                finished.append(TestResult(
                    test: test, outcome: passed ? .passed : .failed,
                    message: passed ? nil : (failures.isEmpty ? "the test failed" : failures.compactMap(\.message).joined(separator: "\n")),
                    location: first.flatMap { failure in
                        guard test.visible, let file = failure.file, !file.isEmpty, let line = failure.line, line > 0 else { return nil }
                        return SourceLocation(file: file, line: line)
                    },
                    output: cleanOutput(text.text), outputTruncated: text.truncated))
            } else {
                // Started, never ended: this test took the program down.
                let crash = crashReport(exit: exit, output: text.text, limits: limits, timeout: timeout, paths: paths)
                crashed = name
                finished.append(TestResult(test: test, outcome: exit == .timedOut ? .timedOut : .crashed,
                                           message: crash.message, location: crash.location,
                                           output: cleanOutput(text.text), outputTruncated: text.truncated))
                break
            }
        }
        return (finished, crashed)
    }

    /// Why a program ended, in words (`crashed (SIGSEGV)`, `ran longer than 10 s`…).
    static func describe(exit: ChildExit, output: String, limits: ResourceLimits, timeout: Double) -> String {
        switch exit {
        case .timedOut: return "ran longer than \(formatSeconds(timeout)) and was stopped"
        case .exited(let status): return "exited with status \(status)"
        case .signaled(let signal):
            if signal == SIGXFSZ { return "printed more than \(limits.outputBytes >> 20) MB and was stopped" }
            if signal == SIGXCPU { return "used more than \(limits.cpuSeconds) s of CPU time and was stopped" }
            if Grader.isOutOfMemory(output) {
                return "ran out of memory (the limit is \(limits.memoryBytes >> 30) GB)"
            }
            return "crashed (\(signalName(signal)))"
        }
    }

    /// The message and location of the crash of a test whose output is `output`.
    /// `paths` are the files a reader knows (the student's file, the lesson): when the runtime's
    /// message has no usable location (a trap inside the standard library, such as an index out
    /// of range), the backtrace's first frame in one of them is the line to show.
    static func crashReport(exit: ChildExit, output: String, limits: ResourceLimits, timeout: Double,
                            paths: [String] = []) -> (message: String, location: SourceLocation?) {
        let report = runtimeMessage(exit: exit, output: output, limits: limits, timeout: timeout)
        if let location = report.location, location.file.split(separator: "/").count != 2 || paths.contains(location.file) {
            return report
        }
        return (report.message, backtraceFrame(in: output, paths: paths) ?? report.location)
    }

    /// The backtracer's settings: plain text, only the crashed thread, no registers or images,
    /// so a crash costs milliseconds and its frames carry `at file:line:column`.
    static let backtraceSetting = "enable=yes,interactive=no,color=no,sanitize=no,threads=crashed,registers=none,images=none,limit=40,top=0"

    /// The first backtrace frame (`… in tests at Workspace/x.swift:12:5`) in one of `paths`.
    static func backtraceFrame(in output: String, paths: [String]) -> SourceLocation? {
        for line in output.split(separator: "\n") where line.contains(" at ") {
            guard let range = line.range(of: " at ", options: .backwards) else { continue }
            let position = line[range.upperBound...].split(separator: ":")
            guard position.count >= 3, let number = Int(position[position.count - 2]) else { continue }
            let file = position.dropLast(2).joined(separator: ":")
            if paths.contains(file) { return SourceLocation(file: file, line: number) }
        }
        return nil
    }

    static func runtimeMessage(exit: ChildExit, output: String, limits: ResourceLimits, timeout: Double) -> (message: String, location: SourceLocation?) {
        let why = describe(exit: exit, output: output, limits: limits, timeout: timeout)
        if exit == .timedOut {
            return ("timed out: the test ran longer than \(formatSeconds(timeout)) (an endless loop?)", nil)
        }
        if isOutOfMemory(output) {
            return ("crashed: ran out of memory (the limit is \(limits.memoryBytes >> 30) GB); is something growing without end?", nil)
        }
        // Swift's runtime prints `file:line: Fatal error: message` before it traps.
        for line in output.split(separator: "\n").reversed() {
            for marker in ["Fatal error", "Precondition failed", "Assertion failed"] {
                let withPrefix = line.hasPrefix(marker) ? "\(marker): " + line : String(line)
                guard let range = withPrefix.range(of: ": \(marker)") else { continue }
                let line = Substring(withPrefix)
                let position = line[..<range.lowerBound]
                let detail = line[range.upperBound...].drop(while: { $0 == ":" || $0 == " " })
                var location: SourceLocation?
                if let colon = position.lastIndex(of: ":"), let number = Int(position[position.index(after: colon)...]),
                   !position.hasPrefix("Swift/") {
                    location = SourceLocation(file: String(position[..<colon]), line: number)
                }
                let text = detail.isEmpty ? marker.lowercased() : "\(marker.lowercased()): \(detail)"
                return ("crashed: \(text)", location)
            }
        }
        return (why.hasPrefix("crashed") ? why : "crashed: the test program \(why)", nil)
    }

    /// The runtime names a crash site by `#fileID` (`Exercise/softmax.swift`); give it back the
    /// path the reader knows (`Workspace/00-getting-started/softmax.swift`).
    static func resolveFileID(_ location: SourceLocation, paths: [String]) -> SourceLocation {
        let parts = location.file.split(separator: "/")
        guard parts.count == 2, let match = paths.first(where: { $0.split(separator: "/").last == parts[1] }) else { return location }
        return SourceLocation(file: match, line: location.line)
    }

    /// Whether the runtime said an allocation failed (the address-space limit was hit).
    static func isOutOfMemory(_ output: String) -> Bool {
        output.contains("failed to allocate") || output.contains("allocate memory") || output.contains("out of memory")
    }

    /// Output without the lines XCTest prints about itself, and without the runtime's crash
    /// message and stack trace (the report shows the crash message and the student's line).
    /// How the lines of the Swift runtime's crash report begin (the backtracer's banner, and the
    /// runtime's own notes such as "swift-runtime: failed to suspend thread …"). Students see
    /// the crash's message and their line, never this report.
    static let crashReportMarkers = ["*** Signal ", "*** Program crashed", "💣 Program crashed", "swift-runtime: "]

    static func cleanOutput(_ text: String) -> String {
        var kept: [Substring] = []
        var inTrace = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // The backtracer's report ends the output of a crashed program.
            if crashReportMarkers.contains(where: { line.hasPrefix($0) }) { break }
            if line == "Current stack trace:" { inTrace = true; continue }
            if inTrace {
                // Frames look like `12   libXCTest.so   0x00007f… symbol + 42`.
                if line.first?.isNumber == true, line.contains(" 0x") { continue }
                inTrace = false
            }
            let isXCTestLine = line.hasPrefix("Test Case '") || line.hasPrefix("Test Suite '") || line.hasPrefix("\t Executed")
                || line.hasPrefix(" Executed ")
                || (line.contains(": error: ") && line.contains(" : ") && (line.contains("XCT") || line.contains("failed")))
            let isCrashLine = line.hasPrefix("Fatal error: ") || line.contains(": Fatal error") || line.contains(": Precondition failed") || line.contains(": Assertion failed")
            if !isXCTestLine && !isCrashLine { kept.append(line) }
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Bytes `from..<to` (to the end when `to` is nil) of a file, at most `limit` of them.
    static func readRange(_ url: URL, from: UInt64, to: UInt64?, limit: Int) -> (text: String, truncated: Bool) {
        let wanted = to.map { Int(clamping: $0 &- min($0, from)) } ?? Int.max
        let capped = readCapped(url, from: from, limit: min(limit, wanted))
        return (capped.text, capped.truncated && wanted > limit)
    }

    /// A fresh private folder for one grading.
    static func makeWorkDirectory() throws(CourseError) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lectern-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw CourseError("cannot create a temporary folder \(url.path): \(error.localizedDescription)")
        }
        return url
    }

    /// Removes a work folder, unless `LECTERN_KEEP_WORK=1` asks to keep it for debugging.
    static func removeWorkDirectory(_ url: URL) {
        if ProcessInfo.processInfo.environment["LECTERN_KEEP_WORK"] == "1" {
            FileHandle.standardError.write(Data("lectern: kept \(url.path)\n".utf8))
        } else {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// `url`'s path relative to the current folder when it is inside it.
    public static func displayPath(of url: URL) -> String {
        let base = FileManager.default.currentDirectoryPath, path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}

/// `10` → `10 s`, `0.5` → `0.5 s`.
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}
