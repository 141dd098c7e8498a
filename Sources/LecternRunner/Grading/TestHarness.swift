// Generates the Swift files that turn a student's exercise file and its tests into one XCTest
// program: the student's code (with imports added), the visible tests wrapped in a class, and
// a `main.swift` that registers every test and reports results through the events channel.
//
// Every piece of generated code that came from a file someone edits is wrapped in
// `#sourceLocation(file:line:)`, so compiler errors, assertion failures and crashes point at
// the student's file or the lesson's Markdown, at the right line, never at a temporary file.
import Foundation

/// One test the harness registers, and where it came from.
public struct PlannedTest: Sendable, Equatable {
    /// The XCTest class.
    public var className: String
    /// The test method (`testSumsToOne`).
    public var method: String
    /// Whether the student can read it in the lesson.
    public var visible: Bool
    /// Its source, for visible tests (shown in reports); nil for hidden tests.
    public var code: String?
    /// Where a visible test is declared (`Lessons/00-getting-started.md`, line).
    public var location: SourceLocation?

    /// `Class.method`, as XCTest names it.
    public var name: String { "\(className).\(method)" }
}

/// A file and line, for reports.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file, as shown to the reader.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// A location at `file:line`.
    public init(file: String, line: Int) { self.file = file; self.line = line }
    /// `file:line`.
    public var description: String { "\(file):\(line)" }
}

/// The generated sources for grading one exercise.
struct TestHarness {
    /// The name of the class holding an exercise's visible tests.
    static let visibleClass = "VisibleTests"

    var library: ReferenceLibrary
    var lesson: Lesson
    var exercise: Exercise
    /// The hidden tests file's text, if any.
    var hiddenTests: String?
    var limits: ResourceLimits

    /// Every test, visible first, in declaration order.
    var plannedTests: [PlannedTest] {
        var tests: [PlannedTest] = []
        for cell in exercise.visibleTests {
            let lines = cell.code.split(separator: "\n", omittingEmptySubsequences: false)
            let methods = SwiftSource.testMethodLines(in: cell.code)
            for (index, method) in methods.enumerated() {
                // A method's code runs to the next method (or the end of the cell).
                let end = index + 1 < methods.count ? methods[index + 1].line : lines.count
                let code = lines[method.line..<end].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                tests.append(PlannedTest(className: Self.visibleClass, method: method.name, visible: true, code: code,
                                         location: SourceLocation(file: lesson.path, line: cell.firstCodeLine + method.line)))
            }
        }
        for testClass in SwiftSource.testClasses(in: hiddenTests ?? "") {
            for method in testClass.methods {
                tests.append(PlannedTest(className: testClass.name, method: method, visible: false, code: nil, location: nil))
            }
        }
        return tests
    }

    /// The student's file with the imports it needs, mapped back to `displayPath`.
    static func wrapStudentFile(_ text: String, displayPath: String, library: ReferenceLibrary) -> String {
        "import Foundation\n" + library.imports
            + "#sourceLocation(file: \(SwiftSource.literal(displayPath)), line: 1)\n"
            + text + (text.hasSuffix("\n") ? "" : "\n")
            + "#sourceLocation()\n"
    }

    /// The visible tests: each test cell pasted into one `XCTestCase` subclass.
    var visibleTestsSource: String {
        var source = "import XCTest\nimport Foundation\n" + library.imports
        source += "final class \(Self.visibleClass): XCTestCase {\n"
        for cell in exercise.visibleTests {
            source += "#sourceLocation(file: \(SwiftSource.literal(lesson.path)), line: \(cell.firstCodeLine))\n"
            source += cell.runnableCode + "\n"
            source += "#sourceLocation()\n"
        }
        return source + "}\n"
    }

    /// The program's entry point: limits, the observer, and the registered tests, filtered by
    /// `LECTERN_ONLY` so the runner can re-run what a crash left unfinished.
    var mainSource: String {
        let byClass = Dictionary(grouping: plannedTests, by: \.className)
        let classOrder = plannedTests.map(\.className).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var linuxEntries = "", darwinEntries = ""
        for className in classOrder {
            let methods = byClass[className] ?? []
            let list = methods.map { "(\(SwiftSource.literal($0.method)), \(className).\($0.method))" }.joined(separator: ", ")
            linuxEntries += "    __add(\(SwiftSource.literal(className)), [\(list)])\n"
            let names = methods.map { SwiftSource.literal($0.method) }.joined(separator: ", ")
            darwinEntries += "    __add(\(className).self, \(SwiftSource.literal(className)), [\(names)])\n"
        }
        return "import XCTest\nimport Foundation\n" + ChildPrelude.source(limits: limits) + #"""

        /// Reports every test's start, failures and end on the events channel.
        final class __LecternObserver: NSObject, XCTestObservation {
            func testCaseWillStart(_ testCase: XCTestCase) {
                __Lectern.emit("start", [("t", __Lectern.quote(testCase.name))])
            }
            func testCase(_ testCase: XCTestCase, didFailWithDescription description: String, inFile filePath: String?, atLine lineNumber: Int) {
                __Lectern.emit("fail", [("t", __Lectern.quote(testCase.name)), ("m", __Lectern.quote(description)),
                                        ("f", __Lectern.quote(filePath ?? "")), ("l", String(lineNumber))])
            }
            func testCaseDidFinish(_ testCase: XCTestCase) {
                let ok = testCase.testRun?.hasSucceeded ?? false
                __Lectern.emit("end", [("t", __Lectern.quote(testCase.name)), ("ok", ok ? "true" : "false")])
            }
        }

        __Lectern.setUp()
        let __only: Set<String>? = ProcessInfo.processInfo.environment["LECTERN_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
        unsetenv("LECTERN_ONLY")
        XCTestObservationCenter.shared.addTestObserver(__LecternObserver())

        #if os(Linux)
        var __entries: [XCTestCaseEntry] = []
        func __add<T: XCTestCase>(_ name: String, _ tests: [(String, (T) -> () throws -> Void)]) {
            let selected = tests.filter { __only?.contains(name + "." + $0.0) ?? true }
            if !selected.isEmpty { __entries.append(testCase(selected)) }
        }
        \#(linuxEntries)
        XCTMain(__entries)
        #else
        let __suite = XCTestSuite(name: "Lectern")
        func __add<T: XCTestCase>(_ type: T.Type, _ name: String, _ methods: [String]) {
            for method in methods where __only?.contains(name + "." + method) ?? true {
                __suite.addTest(type.init(selector: NSSelectorFromString(method)))
            }
        }
        \#(darwinEntries)
        __suite.run()
        exit(__suite.testRun?.hasSucceeded == true ? 0 : 1)
        #endif

        """#
    }
}
