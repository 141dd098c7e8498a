// Running a lesson's cells like a notebook: order, per-cell output, exercises gating cells,
// and every way a run can stop (compile error, crash, time-out), each at the right cell.
import Foundation
import XCTest
@testable import LecternRunner

final class NotebookRunnerTests: XCTestCase {
    var course: TemporaryCourse!
    var root: URL { course.root }

    override func setUpWithError() throws {
        course = try TemporaryCourse(self)
        try course.write("Solutions/00-demo/triple.swift", "func triple(_ x: Int) -> Int { 3 * x }\n")
    }

    /// Writes the lesson (cells joined by blank lines after a title) and runs it.
    func run(_ cells: [String], source: ExerciseSource = .solutions, timeout: Double = 30) throws -> (NotebookResult, Lesson, [Int]) {
        try course.write("Lessons/00-demo.md", "# Demo\n\n" + cells.joined(separator: "\n\n") + "\n")
        let loaded = try course.load()
        let lesson = try loaded.lesson(named: "0")
        var runner = NotebookRunner(toolchain: try TemporaryCourse.toolchain(), course: loaded)
        runner.timeout = timeout
        var started: [Int] = []
        let result = try runner.run(lesson: lesson, source: source) { event in
            if case let .cellStarted(index, _) = event { started.append(index) }
        }
        return (result, lesson, started)
    }

    static let exercise = """
    ```swift exercise id=triple
    func triple(_ x: Int) -> Int {
        fatalError("TODO")
    }
    ```

    ```swift test for=triple
    func testTriple() { XCTAssertEqual(triple(2), 6) }
    ```
    """

    func testCellsRunInOrderAndSeeEarlierDeclarations() throws {
        let (result, _, started) = try run([
            "```swift\nlet greeting = \"hello\"\nprint(greeting)\n```",
            "```swift setup\nfunc shout(_ s: String) -> String { s.uppercased() }\n```",
            "```swift\n# let hidden = \"!\"\nprint(shout(greeting) + hidden)\n```",
            "```swift norun\nthis is not Swift\n```",
        ])
        XCTAssertEqual(result.ending, .completed)
        XCTAssertEqual(started, [0, 1, 2])
        XCTAssertEqual(result.outputs, ["hello\n", "", "HELLO!\n"])
    }

    func testACellUsingAnExerciseRunsWithTheSolution() throws {
        let (result, _, _) = try run([Self.exercise, "```swift\nprint(triple(14))\n```"])
        XCTAssertEqual(result.ending, .completed)
        XCTAssertEqual(result.outputs, ["42\n"])
    }

    func testTheRunStopsBeforeACellThatNeedsAnUnsolvedExercise() throws {
        let student = root.appendingPathComponent("triple.swift")
        try "func triple(_ x: Int) -> Int { fatalError() }\n".write(to: student, atomically: true, encoding: .utf8)
        let source = ExerciseSource.student(file: { _, _ in student }, solved: { _ in false })
        let (result, lesson, started) = try run(["```swift\nprint(1)\n```", Self.exercise, "```swift\nprint(triple(14))\n```", "```swift\nprint(2)\n```"], source: source)
        guard case let .blocked(cell, exercises) = result.ending else { return XCTFail("\(result.ending)") }
        XCTAssertEqual(exercises, ["triple"])
        XCTAssertEqual(cell.fenceLine, lesson.cells.last { $0.code.contains("triple(14)") }?.fenceLine)
        XCTAssertEqual(started, [0], "the cells before it still run")
        XCTAssertEqual(result.outputs, ["1\n"])
    }

    func testASolvedExerciseRunsTheStudentsCode() throws {
        let student = root.appendingPathComponent("triple.swift")
        try "func triple(_ x: Int) -> Int { x + x + x + 1 }\n".write(to: student, atomically: true, encoding: .utf8)
        let source = ExerciseSource.student(file: { _, _ in student }, solved: { _ in true })
        let (result, _, _) = try run([Self.exercise, "```swift\nprint(triple(14))\n```"], source: source)
        XCTAssertEqual(result.outputs, ["43\n"])
    }

    func testACompileErrorStopsAtItsCellAfterRunningTheCellsBefore() throws {
        let (result, lesson, started) = try run(["```swift\nprint(\"before\")\n```", "```swift\nlet x: Int = \"not a number\"\n```", "```swift\nprint(\"after\")\n```"])
        guard case let .compileError(cell, errors) = result.ending else { return XCTFail("\(result.ending)") }
        XCTAssertEqual(cell?.fenceLine, lesson.cells[1].fenceLine)
        XCTAssertEqual(errors.first?.location, SourceLocation(file: "Lessons/00-demo.md", line: lesson.cells[1].firstCodeLine))
        XCTAssertEqual(started, [0])
        XCTAssertEqual(result.outputs, ["before\n"])
    }

    func testACrashNamesTheCellAndItsLine() throws {
        let (result, lesson, _) = try run(["```swift\nprint(\"ok\")\n```", "```swift\nlet values = [1, 2]\nprint(\"about to fail\")\nprecondition(values.count > 5, \"too few values\")\n```"])
        guard case let .crashed(cell, message, location) = result.ending else { return XCTFail("\(result.ending)") }
        XCTAssertEqual(cell?.fenceLine, lesson.cells[1].fenceLine)
        XCTAssertTrue(message.contains("too few values"), message)
        XCTAssertEqual(location, SourceLocation(file: "Lessons/00-demo.md", line: lesson.cells[1].firstCodeLine + 2))
        XCTAssertEqual(result.outputs.last?.hasPrefix("about to fail"), true)
        let shown = result.outputs.joined()
        XCTAssertFalse(shown.contains("Backtrac") || shown.contains("*** "), "the runtime's crash report is not shown: \(shown)")
    }

    func testTheCrashReportIsFoundAtALineStartOnly() {
        let text = "a line with *** Signal inside\nFatal error: boom\n*** Signal 4: Backtracing from 0x1... done ***\nframes\n"
        let data = Data(text.utf8)
        let start = OutputStream.crashReportStart(in: data)
        XCTAssertEqual(start.map { String(decoding: data[..<$0], as: UTF8.self) }, "a line with *** Signal inside\nFatal error: boom\n")
        XCTAssertNil(OutputStream.crashReportStart(in: Data("plain output\n".utf8)))
    }

    func testAnEndlessCellTimesOut() throws {
        let (result, lesson, _) = try run(["```swift\nvar n = 0\nwhile n >= 0 { n = (n + 1) % 10 }\n```"], timeout: 1)
        guard case let .timedOut(cell, _) = result.ending else { return XCTFail("\(result.ending)") }
        XCTAssertEqual(cell?.fenceLine, lesson.cells[0].fenceLine)
    }

    func testExerciseUseIsFoundByWholeNames() throws {
        let markdown = "# D\n\n" + Self.exercise + "\n\n```swift\nlet tripled = 3\nprint(LecternCore.triple)\n```\n\n```swift\nprint(triple(1))\n```\n"
        let lesson = LessonParser.parse(markdown, path: "Lessons/00-d.md", slug: "00-d", number: 0).lesson
        let runner = NotebookRunner(toolchain: try TemporaryCourse.toolchain(), course: try course.load())
        let runnable = lesson.cells.filter(\.runs)
        XCTAssertEqual(runner.exercisesUsed(by: runnable[0], in: lesson).map(\.id), [], "`tripled` and `LecternCore.triple` are not the exercise")
        XCTAssertEqual(runner.exercisesUsed(by: runnable[1], in: lesson).map(\.id), ["triple"])
    }
}
