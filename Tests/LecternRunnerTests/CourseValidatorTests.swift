// `lectern validate`: a starter that passes, a solution that fails, a cell that breaks — each
// is a problem at the right line; a sound lesson has none.
import Foundation
import XCTest
@testable import LecternRunner

final class CourseValidatorTests: XCTestCase {
    var course: TemporaryCourse!

    override func setUpWithError() throws { course = try TemporaryCourse(self) }

    func validate(starterBody: String, solution: String, cell: String = "print(half(8))") throws -> [LessonDiagnostic] {
        let lesson = """
        # Demo

        ## Halving

        ```swift exercise id=half points=2
        func half(_ x: Int) -> Int {
            \(starterBody)
        }
        ```

        ```swift test for=half
        func testEight() { XCTAssertEqual(half(8), 4) }
        ```

        ```swift
        \(cell)
        ```
        """
        try course.write("Lessons/00-demo.md", lesson)
        try course.write("Solutions/00-demo/half.swift", solution)
        try course.write("Solutions/00-demo/half.tests.swift", "import XCTest\nfinal class HalfHidden: XCTestCase {\n    func testOdd() { XCTAssertEqual(half(9), 4) }\n}\n")
        return try CourseValidator(toolchain: try TemporaryCourse.toolchain(), course: try course.load()).validate()
    }

    func testASoundLessonHasNoProblems() throws {
        XCTAssertEqual(try validate(starterBody: "fatalError(\"TODO\")", solution: "func half(_ x: Int) -> Int { x / 2 }\n"), [])
    }

    func testAStarterThatPassesIsAProblem() throws {
        let problems = try validate(starterBody: "x / 2", solution: "func half(_ x: Int) -> Int { x / 2 }\n")
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertEqual(problems.first?.line, 5)
        XCTAssertTrue(problems.first?.message.contains("starter code of 'half' passes all its tests") == true, "\(problems)")
    }

    func testASolutionThatFailsAHiddenTestIsAProblem() throws {
        let problems = try validate(starterBody: "fatalError(\"TODO\")", solution: "func half(_ x: Int) -> Int { (x + 1) / 2 }\n")
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertTrue(problems.first?.message.contains("reference solution of 'half' fails 1 test") == true, "\(problems)")
        XCTAssertTrue(problems.first?.message.contains("HalfHidden.testOdd") == true, "\(problems)")
    }

    func testAStarterThatDoesNotCompileIsAProblem() throws {
        let problems = try validate(starterBody: "return undefined", solution: "func half(_ x: Int) -> Int { x / 2 }\n")
        XCTAssertTrue(problems.contains { $0.message.contains("does not compile") }, "\(problems)")
    }

    func testACellThatCrashesIsAProblemAtItsLine() throws {
        let problems = try validate(starterBody: "fatalError(\"TODO\")", solution: "func half(_ x: Int) -> Int { x / 2 }\n",
                                    cell: "print([1][half(8)])")
        XCTAssertEqual(problems.count, 1, "\(problems)")
        XCTAssertEqual(problems.first?.line, 15)
        XCTAssertTrue(problems.first?.message.contains("stopped the run") == true, "\(problems)")
    }

    func testFormatProblemsAreIncluded() throws {
        let problems = try validate(starterBody: "fatalError(\"TODO\")", solution: "func half(_ x: Int) -> Int { x / 2 }\n",
                                    cell: "```\n\n```swift exercise\nfunc nothing() {}")
        XCTAssertTrue(problems.contains { $0.message.contains("without an id") }, "\(problems)")
    }
}
