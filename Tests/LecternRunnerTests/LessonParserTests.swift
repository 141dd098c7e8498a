// The lesson format: what a well-formed lesson turns into, and every malformed-lesson error,
// each at the line an instructor has to fix.
import Foundation
import XCTest
@testable import LecternRunner

final class LessonParserTests: XCTestCase {
    func parse(_ markdown: String) -> LessonParser.Result {
        LessonParser.parse(markdown, path: "Lessons/07-demo.md", slug: "07-demo", number: 7)
    }

    /// The single diagnostic of `markdown`, checked to be at `line` and to mention `phrase`.
    func assertProblem(_ markdown: String, line: Int, mentions phrase: String, file: StaticString = #filePath, at: UInt = #line) {
        let diagnostics = parse(markdown).diagnostics
        XCTAssertEqual(diagnostics.count, 1, "\(diagnostics)", file: file, line: at)
        guard let first = diagnostics.first else { return }
        XCTAssertEqual(first.line, line, first.message, file: file, line: at)
        XCTAssertTrue(first.message.contains(phrase), "“\(first.message)” should mention “\(phrase)”", file: file, line: at)
        XCTAssertEqual(first.description, "Lessons/07-demo.md:\(line): \(first.message)", file: file, line: at)
    }

    // MARK: - A well-formed lesson

    static let wellFormed = """
    # Lesson 7: Demo

    Some prose.

    ```swift setup
    let hidden = 1
    ```

    ```swift
    # let secret = 2
    print(hidden + secret)
    ```

    ```swift norun
    this is not compiled
    ```

    ## Doubling

    ```swift exercise id=double points=3 timeout=2.5
    func double(_ x: Int) -> Int {
        fatalError("TODO")
    }
    ```

    ```hint for=double
    Add it to itself.
    ```

    ```swift test for=double
    func testTwo() { XCTAssertEqual(double(2), 4) }
    func testThree() { XCTAssertEqual(double(3), 6) }
    ```

    ```hint for=double
    `x + x`
    ```

    ```text
    just shown
    ```
    """

    func testAWellFormedLessonHasNoProblems() {
        XCTAssertEqual(parse(Self.wellFormed).diagnostics, [])
    }

    func testCellsAreTypedAndInDocumentOrder() {
        let lesson = parse(Self.wellFormed).lesson
        XCTAssertEqual(lesson.title, "Lesson 7: Demo")
        XCTAssertEqual(lesson.cells.map(\.kind), [
            .setup, .run, .display, .exercise(id: "double", points: 3, timeout: 2.5), .hint(exercise: "double"),
            .test(exercise: "double"), .hint(exercise: "double"), .other(language: "text"),
        ])
        XCTAssertEqual(lesson.cells.map(\.fenceLine), [5, 9, 14, 20, 26, 30, 35, 39])
        XCTAssertEqual(lesson.cells.filter(\.runs).count, 2)
    }

    func testHiddenLinesRunButAreMarked() {
        let cell = parse(Self.wellFormed).lesson.cells[1]
        XCTAssertEqual(cell.code, "# let secret = 2\nprint(hidden + secret)\n")
        XCTAssertEqual(cell.runnableCode, "let secret = 2\nprint(hidden + secret)\n")
        XCTAssertEqual(cell.firstCodeLine, 10)
    }

    func testExercisesGatherTheirTestsAndHintsInOrder() throws {
        let exercise = try XCTUnwrap(parse(Self.wellFormed).lesson.exercises.first)
        XCTAssertEqual(exercise.id, "double")
        XCTAssertEqual(exercise.title, "Doubling")
        XCTAssertEqual(exercise.points, 3)
        XCTAssertEqual(exercise.timeout, 2.5)
        XCTAssertEqual(exercise.declaredNames, ["double"])
        XCTAssertEqual(exercise.visibleTests.count, 1)
        XCTAssertEqual(SwiftSource.testMethods(in: exercise.visibleTests[0].code), ["testTwo", "testThree"])
        XCTAssertEqual(exercise.hints, ["Add it to itself.", "`x + x`"])
    }

    func testDefaultsForPointsAndTimeout() throws {
        let lesson = parse("# T\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```swift test for=a\nfunc testA() {}\n```\n").lesson
        let exercise = try XCTUnwrap(lesson.exercises.first)
        XCTAssertEqual(exercise.points, 1)
        XCTAssertNil(exercise.timeout)
    }

    // MARK: - Every malformed-lesson error

    func testUnknownCellType() {
        assertProblem("# T\n\n```swift exercize id=a\nfunc a() {}\n```\n", line: 3, mentions: "unknown cell type 'exercize'")
    }

    func testMalformedAttribute() {
        assertProblem("# T\n\n```swift exercise id = a\nfunc a() {}\n```\n", line: 3, mentions: "malformed attribute")
    }

    func testAttributeGivenTwice() {
        assertProblem("# T\n\n```swift exercise id=a id=b\nfunc a() {}\n```\n", line: 3, mentions: "given twice")
    }

    func testUnknownAttribute() {
        assertProblem("# T\n\n```swift exercise id=a score=3\nfunc a() {}\n```\n", line: 3, mentions: "unknown attribute 'score'")
    }

    func testExerciseWithoutID() {
        assertProblem("# T\n\n```swift exercise points=2\nfunc a() {}\n```\n", line: 3, mentions: "without an id")
    }

    func testInvalidExerciseID() {
        assertProblem("# T\n\n```swift exercise id=Soft_Max\nfunc a() {}\n```\n", line: 3, mentions: "is not valid")
    }

    func testPointsMustBeAWholeNumber() {
        assertProblem("# T\n\n```swift exercise id=a points=2.5\nfunc a() {}\n```\n", line: 3, mentions: "points=2.5")
    }

    func testTimeoutMustBeSensible() {
        assertProblem("# T\n\n```swift exercise id=a timeout=9999\nfunc a() {}\n```\n", line: 3, mentions: "timeout=9999")
    }

    func testTwoCellTypesAtOnce() {
        assertProblem("# T\n\n```swift setup norun\nlet a = 1\n```\n", line: 3, mentions: "has one type")
    }

    func testTestCellWithoutExercise() {
        assertProblem("# T\n\n```swift test\nfunc testA() {}\n```\n", line: 3, mentions: "which exercise")
    }

    func testHintWithoutExercise() {
        assertProblem("# T\n\n```hint\nThink.\n```\n", line: 3, mentions: "which exercise")
    }

    func testDuplicateExerciseID() {
        let markdown = "# T\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```swift exercise id=a\nfunc b() {}\n```\n\n```swift test for=a\nfunc testA() {}\n```\n"
        assertProblem(markdown, line: 7, mentions: "duplicate exercise id 'a': it is already used at line 3")
    }

    func testTestsForUnknownExerciseSuggestTheClosestID() {
        let markdown = "# T\n\n```swift exercise id=softmax\nfunc softmax() {}\n```\n\n```swift test for=sofmax\nfunc testA() {}\n```\n"
        assertProblem(markdown, line: 7, mentions: "tests for unknown exercise 'sofmax'; did you mean 'softmax'?")
    }

    func testHintForUnknownExercise() {
        assertProblem("# T\n\n```hint for=ghost\nBoo.\n```\n", line: 3, mentions: "hint for unknown exercise 'ghost'")
    }

    func testEmptyHint() {
        let markdown = "# T\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```hint for=a\n\n```\n"
        assertProblem(markdown, line: 7, mentions: "hint for 'a' is empty")
    }

    func testTestCellWithoutTestMethods() {
        let markdown = "# T\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```swift test for=a\nfunc checkA() {}\n```\n"
        assertProblem(markdown, line: 7, mentions: "has no test methods")
    }

    func testExerciseThatDeclaresNothing() {
        assertProblem("# T\n\n```swift exercise id=a\n// write it here\n```\n", line: 3, mentions: "declares nothing")
    }

    func testLessonWithoutTitle() {
        assertProblem("Just prose.\n\n## A section\n", line: 1, mentions: "no title")
    }

    func testUnclosedFence() {
        assertProblem("# T\n\nText.\n\n```swift\nprint(1)\n\nMore text that is swallowed.\n", line: 5, mentions: "unclosed code fence")
    }

    func testAShorterClosingFenceDoesNotClose() {
        assertProblem("# T\n\n````swift\nprint(1)\n```\n", line: 3, mentions: "close it with a line of ````")
    }

    func testAllProblemsAreReportedAtOnceInLineOrder() {
        let markdown = "```swift bogus\n```\n\n```hint for=x\nhi\n```\n"
        let lines = parse(markdown).diagnostics.map(\.line)
        XCTAssertEqual(lines, [1, 1, 4])
    }

    // MARK: - Course-level problems

    func makeCourse(_ files: [String: String]) throws -> Course {
        let course = try TemporaryCourse(self)
        for (path, text) in files { try course.write(path, text) }
        return try course.load()
    }

    func testMissingSolutionIsReportedWithThePathToCreate() throws {
        let course = try makeCourse(["Lessons/00-a.md": "# A\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```swift test for=a\nfunc testA() {}\n```\n"])
        XCTAssertEqual(course.diagnostics.map(\.description), ["Lessons/00-a.md:3: exercise 'a' has no reference solution: create Solutions/00-a/a.swift"])
    }

    func testExerciseWithoutAnyTests() throws {
        let course = try makeCourse(["Lessons/00-a.md": "# A\n\n```swift exercise id=a\nfunc a() {}\n```\n",
                                     "Solutions/00-a/a.swift": "func a() {}\n"])
        XCTAssertEqual(course.diagnostics.count, 1)
        XCTAssertTrue(course.diagnostics[0].message.contains("has no tests"), course.diagnostics[0].message)
    }

    func testHiddenTestsAloneAreEnough() throws {
        let course = try makeCourse(["Lessons/00-a.md": "# A\n\n```swift exercise id=a\nfunc a() {}\n```\n",
                                     "Solutions/00-a/a.swift": "func a() {}\n",
                                     "Solutions/00-a/a.tests.swift": "import XCTest\nfinal class ATests: XCTestCase {\n    func testA() {}\n}\n"])
        XCTAssertEqual(course.diagnostics, [])
    }

    func testAnIDUsedInTwoLessons() throws {
        let lesson = "# A\n\n```swift exercise id=a\nfunc a() {}\n```\n\n```swift test for=a\nfunc testA() {}\n```\n"
        let course = try makeCourse(["Lessons/00-a.md": lesson, "Lessons/01-b.md": lesson,
                                     "Solutions/00-a/a.swift": "", "Solutions/01-b/a.swift": ""])
        XCTAssertEqual(course.diagnostics.map(\.description), ["Lessons/01-b.md:3: exercise id 'a' is already used in Lessons/00-a.md:3: ids are course-wide, choose another"])
    }

    func testBadLessonFileName() throws {
        let course = try makeCourse(["Lessons/intro.md": "# Intro\n", "Lessons/README.md": "# not a lesson\n"])
        XCTAssertEqual(course.lessons.count, 0)
        XCTAssertEqual(course.diagnostics.count, 1)
        XCTAssertEqual(course.diagnostics.first?.file, "Lessons/intro.md")
    }

    func testLessonsAreFoundByNumberSlugAndShortName() throws {
        let course = try makeCourse(["Lessons/03-attention.md": "# Attention\n"])
        XCTAssertEqual(try course.lesson(named: "3").slug, "03-attention")
        XCTAssertEqual(try course.lesson(named: "03").slug, "03-attention")
        XCTAssertEqual(try course.lesson(named: "attention").slug, "03-attention")
        XCTAssertEqual(try course.lesson(named: "Lessons/03-attention.md").slug, "03-attention")
        XCTAssertThrowsError(try course.lesson(named: "4"))
    }

    func testUnknownExerciseIDSuggestsTheClosestOne() throws {
        let course = try makeCourse(["Lessons/00-a.md": "# A\n\n```swift exercise id=softmax\nfunc a() {}\n```\n"])
        XCTAssertThrowsError(try course.exercise(id: "softmx")) { error in
            XCTAssertTrue((error as? CourseError)?.message.contains("did you mean 'softmax'") == true, "\(error)")
        }
    }
}
