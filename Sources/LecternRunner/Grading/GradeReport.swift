// The outcome of grading one exercise, and its JSON form: Exercism's results.json, version 3
// (https://exercism.org/docs/building/tooling/test-runners/interface), plus points.
import Foundation

/// How one test ended.
public enum TestOutcome: String, Sendable, Equatable, Codable {
    /// Every assertion held.
    case passed
    /// An assertion failed.
    case failed
    /// The program crashed during the test (a trap, a signal, running out of memory or output).
    case crashed
    /// The test ran past the time limit.
    case timedOut
    /// It never ran (the program could not get that far).
    case notRun
}

/// One graded test.
public struct TestResult: Sendable, Equatable {
    /// What the test is, from the harness.
    public var test: PlannedTest
    /// How it ended.
    public var outcome: TestOutcome
    /// The assertion failures' or the crash's message, for the student.
    public var message: String?
    /// Where it failed: the student's line, or the test's line in the lesson.
    public var location: SourceLocation?
    /// What the test printed (XCTest's own lines removed), at most 64 KB.
    public var output: String
    /// Whether `output` was cut.
    public var outputTruncated: Bool

    /// `testSumsToOne` → `sums to one`; an acronym stays whole and the word after it is split
    /// off: `testAHiddenKey` → `a hidden key`, `testPostLNNotPreLN` → `post LN not pre LN`.
    public var displayName: String {
        var words: [String] = []
        var current = ""
        let scalars = Array(test.method.dropFirst(test.method.hasPrefix("test") ? 4 : 0).unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "_" { if !current.isEmpty { words.append(current) }; current = ""; continue }
            let previousIsUpper = current.unicodeScalars.last?.properties.isUppercase ?? false
            let nextIsLower = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
            // A capital starts a word after a lower-case letter or digit, and also after capitals
            // when a lower-case letter follows it (the "H" of "AHidden", the "N" of "LNNot").
            if scalar.properties.isUppercase && !current.isEmpty && (!previousIsUpper || nextIsLower) {
                words.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
        }
        if !current.isEmpty { words.append(current) }
        let text = words.map { word in
            word.unicodeScalars.count > 1 && word.unicodeScalars.allSatisfy({ $0.properties.isUppercase || ("0"..."9").contains($0) })
                ? word : word.lowercased()
        }.joined(separator: " ")
        return text.isEmpty ? test.method : text
    }
}

/// A compiler error, located.
public struct CompilerError: Sendable, Equatable {
    /// Where (as the compiler printed it: the student's file or the lesson).
    public var location: SourceLocation?
    /// The column, when known.
    public var column: Int?
    /// The message and the source lines the compiler printed under it.
    public var message: String
    /// The source line and caret the compiler printed, if any.
    public var excerpt: String
}

/// The result of `lectern check`.
public struct GradeReport: Sendable, Equatable {
    /// Whether the report is a verdict on the tests or an error before any could run.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Every test passed.
        case pass
        /// Some test failed, crashed or timed out.
        case fail
        /// Nothing could be tested (the code does not compile, or the program never started).
        case error
    }

    /// The exercise's id.
    public var exerciseID: String
    /// Its position in its lesson (1-based): Exercism's `task_id`.
    public var taskID: Int
    /// The student's file, as shown.
    public var studentFile: String
    /// The verdict.
    public var status: Status
    /// For `.error`: what went wrong (compiler errors are also in `compilerErrors`).
    public var message: String?
    /// Whether compile errors are in the student's code (true) or only in the tests compiled
    /// against it (false: usually a changed function signature).
    public var errorsInStudentCode: Bool
    /// Compiler errors, when the program did not compile.
    public var compilerErrors: [CompilerError]
    /// Every test, in order.
    public var tests: [TestResult]
    /// Points earned.
    public var points: Int
    /// Points available.
    public var maxPoints: Int
    /// Wall-clock seconds spent compiling and running.
    public var seconds: Double

    /// Points for `passed` of `total` tests: proportional, rounded down, so the full points
    /// mean every test passed.
    public static func points(passed: Int, total: Int, maxPoints: Int) -> Int {
        total == 0 ? 0 : maxPoints * passed / total
    }

    /// Exercism results.json v3, with `points` and `max_points` added.
    public func resultsJSON() -> Data {
        var object: [String: Any] = [
            "version": 3,
            "status": status.rawValue,
            "points": points,
            "max_points": maxPoints,
            "exercise": exerciseID,
        ]
        if let message = status == .error ? (message ?? compilerErrorsText) : nil { object["message"] = message }
        object["tests"] = tests.map { result -> [String: Any] in
            var test: [String: Any] = [
                "name": result.displayName + (result.test.visible ? "" : " (hidden)"),
                "test_code": result.test.code ?? "// hidden test \(result.test.name)",
                "status": result.outcome == .passed ? "pass" : (result.outcome == .failed ? "fail" : "error"),
                "task_id": taskID,
            ]
            if result.outcome != .passed {
                var message = result.message ?? result.outcome.rawValue
                if let location = result.location { message += " (\(location))" }
                test["message"] = message
            }
            if !result.output.isEmpty {
                var output = String(result.output.unicodeScalars.prefix(500))
                if output.unicodeScalars.count < result.output.unicodeScalars.count || result.outputTruncated {
                    output = String(output.unicodeScalars.prefix(480)) + "\n[output truncated]"
                }
                test["output"] = output
            }
            return test
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// The compiler errors as text, one per paragraph.
    public var compilerErrorsText: String {
        compilerErrors.map { error in
            let location = error.location.map { "\($0)\(error.column.map { ":\($0)" } ?? ""): " } ?? ""
            return location + "error: " + error.message + (error.excerpt.isEmpty ? "" : "\n" + error.excerpt)
        }.joined(separator: "\n")
    }
}
