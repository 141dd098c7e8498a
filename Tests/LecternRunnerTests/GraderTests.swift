// Grading end to end: a small course in a temporary folder, student files that pass, fail,
// do not compile, crash, hang, print without end and allocate without bound. The exercises
// use plain Swift (no reference library), so these tests need only the compiler.
import Foundation
import XCTest
@testable import LecternRunner

final class GraderTests: XCTestCase {
    static let lesson = """
    # Demo

    ## Doubling

    ```swift exercise id=double points=4 timeout=2
    func double(_ x: Int) -> Int {
        fatalError("TODO: double x")
    }
    ```

    ```swift test for=double
    func testSmall() {
        XCTAssertEqual(double(2), 4)
    }

    func testNegative() {
        XCTAssertEqual(double(-3), -6, "negative numbers double too")
    }
    ```
    """

    static let hidden = """
    import XCTest

    final class DoubleHiddenTests: XCTestCase {
        func testZero() { XCTAssertEqual(double(0), 0) }
        func testLarge() { XCTAssertEqual(double(1_000), 2_000) }
    }
    """

    var course: TemporaryCourse!

    override func setUpWithError() throws {
        course = try TemporaryCourse(self)
        try course.write("Lessons/00-demo.md", Self.lesson)
        try course.write("Solutions/00-demo/double.swift", "func double(_ x: Int) -> Int { 2 * x }\n")
        try course.write("Solutions/00-demo/double.tests.swift", Self.hidden)
    }

    /// Grades `code` as the student's `double.swift`.
    func grade(_ code: String, limits: ResourceLimits = ResourceLimits()) throws -> GradeReport {
        let loaded = try course.load()
        XCTAssertEqual(loaded.diagnostics, [])
        let (lesson, exercise) = try loaded.exercise(id: "double")
        try course.write("double.swift", code)
        var grader = Grader(toolchain: try TemporaryCourse.toolchain(), course: loaded)
        grader.limits = limits
        return try grader.grade(lesson: lesson, exercise: exercise, studentFile: course.root.appendingPathComponent("double.swift"),
                                displayPath: "Workspace/double.swift")
    }

    func outcomes(_ report: GradeReport) -> [String: TestOutcome] {
        Dictionary(uniqueKeysWithValues: report.tests.map { ($0.test.name, $0.outcome) })
    }

    func testPassingSolutionPassesEveryTest() throws {
        let report = try grade("func double(_ x: Int) -> Int { x + x }\n")
        XCTAssertEqual(report.status, .pass)
        XCTAssertEqual(report.tests.count, 4)
        XCTAssertEqual(report.tests.map(\.outcome), Array(repeating: .passed, count: 4))
        XCTAssertEqual(report.points, 4)
        XCTAssertEqual(report.tests.filter { $0.test.visible }.map(\.test.method), ["testSmall", "testNegative"])
    }

    func testCleanOutputKeepsWhatTheStudentPrintedAndDropsTheCrashReport() {
        let text = """
        my line
        Fatal error: Index out of range
        swift-runtime: failed to suspend thread 17617 while processing a crash; backtraces will be missing information

        *** Signal 4: Backtracing from 0x7f… done ***
        Thread 0 crashed:
        """
        XCTAssertEqual(Grader.cleanOutput(text), "my line")
        XCTAssertEqual(Grader.cleanOutput("a\nswift-runtime is a word I print mid-line? no: swift-runtime: x\nb"),
                       "a\nswift-runtime is a word I print mid-line? no: swift-runtime: x\nb", "only a line that starts with a marker ends the output")
    }

    func testHiddenTestsCanUseTheCoursesTestSupportFile() throws {
        try course.write("Solutions/00-demo/double.tests.swift", """
        import XCTest

        final class DoubleHiddenTests: XCTestCase {
            func testZero() { assertDoubled(0) }
            func testLarge() { assertDoubled(1_000) }
        }
        """)
        try course.write("Solutions/TestSupport.swift", """
        import XCTest
        func assertDoubled(_ x: Int, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(double(x), 2 * x, "support says: double(\\(x))", file: file, line: line)
        }
        """)
        XCTAssertEqual(try grade("func double(_ x: Int) -> Int { x + x }\n").status, .pass)
        let wrong = try grade("func double(_ x: Int) -> Int { x == 1_000 ? 0 : x + x }\n")
        XCTAssertEqual(outcomes(wrong)["DoubleHiddenTests.testLarge"], .failed)
        XCTAssertTrue(wrong.tests.contains { $0.message?.contains("support says: double(1000)") == true }, "\(wrong.tests)")
    }

    func testWrongAnswerFailsWithTheAssertionAndTheLessonLine() throws {
        let report = try grade("func double(_ x: Int) -> Int { x < 0 ? x : 2 * x }\n")
        XCTAssertEqual(report.status, .fail)
        let negative = try XCTUnwrap(report.tests.first { $0.test.method == "testNegative" })
        XCTAssertEqual(negative.outcome, .failed)
        XCTAssertTrue(negative.message?.contains("negative numbers double too") == true, negative.message ?? "")
        XCTAssertTrue(negative.message?.contains("(\"-3\") is not equal to (\"-6\")") == true, negative.message ?? "")
        // The assertion is on line 17 of the lesson file (the fence is line 11).
        XCTAssertEqual(negative.location, SourceLocation(file: "Lessons/00-demo.md", line: 17))
        XCTAssertEqual(report.points, 3, "3 of 4 tests pass: 4 * 3 / 4 points")
    }

    func testCodeThatDoesNotCompileIsReportedAtTheStudentsLine() throws {
        let report = try grade("func double(_ x: Int) -> Int {\n    return x * undefinedName\n}\n")
        XCTAssertEqual(report.status, .error)
        XCTAssertTrue(report.errorsInStudentCode)
        let error = try XCTUnwrap(report.compilerErrors.first)
        XCTAssertEqual(error.location, SourceLocation(file: "Workspace/double.swift", line: 2))
        XCTAssertTrue(error.message.contains("undefinedName"), error.message)
        XCTAssertEqual(report.tests, [])
    }

    func testChangedSignatureIsBlamedOnTheTestsCompilation() throws {
        let report = try grade("func double(_ x: String) -> String { x + x }\n")
        XCTAssertEqual(report.status, .error)
        XCTAssertFalse(report.errorsInStudentCode)
        XCTAssertTrue(report.message?.contains("signatures") == true)
    }

    func testACrashIsLocatedAndTheOtherTestsStillRun() throws {
        let report = try grade("""
        func double(_ x: Int) -> Int {
            if x == 0 { fatalError("zero is not allowed") }
            return 2 * x
        }
        """)
        XCTAssertEqual(report.status, .fail)
        XCTAssertEqual(outcomes(report), ["VisibleTests.testSmall": .passed, "VisibleTests.testNegative": .passed,
                                          "DoubleHiddenTests.testZero": .crashed, "DoubleHiddenTests.testLarge": .passed])
        let zero = try XCTUnwrap(report.tests.first { $0.test.method == "testZero" })
        XCTAssertTrue(zero.message?.contains("zero is not allowed") == true, zero.message ?? "")
        XCTAssertEqual(zero.location, SourceLocation(file: "Workspace/double.swift", line: 2))
    }

    func testATrapInsideTheStandardLibraryPointsAtTheStudentsLine() throws {
        let report = try grade("""
        func double(_ x: Int) -> Int {
            let table = [0, 2, 4, 6, 8]
            return table[x]
        }
        """)
        let large = try XCTUnwrap(report.tests.first { $0.test.method == "testLarge" })
        XCTAssertEqual(large.outcome, .crashed)
        XCTAssertTrue(large.message?.contains("Index out of range") == true, large.message ?? "")
        XCTAssertEqual(large.location, SourceLocation(file: "Workspace/double.swift", line: 3))
        XCTAssertFalse(large.output.contains("Program crashed"), "the backtrace is not shown as output: \(large.output)")
        XCTAssertEqual(outcomes(report)["VisibleTests.testSmall"], .passed)
    }

    func testTheStarterFailsEveryTest() throws {
        let report = try grade("func double(_ x: Int) -> Int {\n    fatalError(\"TODO: double x\")\n}\n")
        XCTAssertEqual(report.status, .fail)
        XCTAssertEqual(Set(report.tests.map(\.outcome)), [.crashed])
        XCTAssertEqual(report.points, 0)
    }

    func testAnEndlessLoopTimesOutAndTheOtherTestsStillRun() throws {
        let report = try grade("""
        func double(_ x: Int) -> Int {
            var y = x
            while x == 2 { y += 1 }
            return 2 * y
        }
        """)
        XCTAssertEqual(outcomes(report)["VisibleTests.testSmall"], .timedOut)
        XCTAssertEqual(outcomes(report)["DoubleHiddenTests.testLarge"], .passed)
        XCTAssertLessThan(report.seconds, 10, "a 2 s timeout must not grow into a long wait")
    }

    func testPrintingWithoutEndIsStopped() throws {
        var limits = ResourceLimits()
        limits.outputBytes = 1 << 20
        let report = try grade("""
        func double(_ x: Int) -> Int {
            while x == 2 { print("again and again and again and again and again") }
            return 2 * x
        }
        """, limits: limits)
        let small = try XCTUnwrap(report.tests.first { $0.test.method == "testSmall" })
        XCTAssertEqual(small.outcome, .crashed)
        XCTAssertTrue(small.message?.contains("printed more than 1 MB") == true, small.message ?? "")
        XCTAssertTrue(small.outputTruncated)
        XCTAssertLessThanOrEqual(small.output.utf8.count, 64 * 1024)
        XCTAssertEqual(outcomes(report)["VisibleTests.testNegative"], .passed)
    }

    func testAllocatingWithoutBoundRunsOutOfMemory() throws {
        #if os(Linux)
        var limits = ResourceLimits()
        limits.memoryBytes = 1 << 30
        let report = try grade("""
        func double(_ x: Int) -> Int {
            var chunks: [[UInt8]] = []
            while x == 2 { chunks.append([UInt8](repeating: 1, count: 1 << 28)) }
            return 2 * x + chunks.count
        }
        """, limits: limits)
        let small = try XCTUnwrap(report.tests.first { $0.test.method == "testSmall" })
        XCTAssertEqual(small.outcome, .crashed)
        XCTAssertTrue(small.message?.contains("memory") == true, small.message ?? "")
        XCTAssertEqual(outcomes(report)["VisibleTests.testNegative"], .passed)
        #else
        throw XCTSkip("address-space limits are not enforced on macOS")
        #endif
    }

    func testOutputIsKeptPerTestWithoutXCTestsOwnLines() throws {
        let report = try grade("func double(_ x: Int) -> Int { print(\"doubling \\(x)\"); return 2 * x }\n")
        let small = try XCTUnwrap(report.tests.first { $0.test.method == "testSmall" })
        XCTAssertEqual(small.output, "doubling 2")
        let large = try XCTUnwrap(report.tests.first { $0.test.method == "testLarge" })
        XCTAssertEqual(large.output, "doubling 1000")
    }

    func testResultsJSONFollowsExercismVersion3() throws {
        let report = try grade("func double(_ x: Int) -> Int { x < 0 ? x : 2 * x }\n")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: report.resultsJSON()) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 3)
        XCTAssertEqual(object["status"] as? String, "fail")
        XCTAssertEqual(object["points"] as? Int, 3)
        XCTAssertEqual(object["max_points"] as? Int, 4)
        let tests = try XCTUnwrap(object["tests"] as? [[String: Any]])
        XCTAssertEqual(tests.count, 4)
        XCTAssertEqual(tests.map { $0["status"] as? String }, ["pass", "fail", "pass", "pass"])
        XCTAssertEqual(tests[0]["name"] as? String, "small")
        XCTAssertTrue((tests[1]["test_code"] as? String)?.hasPrefix("func testNegative()") == true)
        XCTAssertNotNil(tests[1]["message"] as? String)
        XCTAssertEqual(tests[2]["name"] as? String, "zero (hidden)")
        XCTAssertEqual(tests[0]["task_id"] as? Int, 1)
    }
}
