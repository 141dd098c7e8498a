// The `lectern` command end to end, as a student uses it: the built executable, the real
// Lesson 0 and the real reference library, in a fresh workspace per test.
import Foundation
import XCTest

final class CommandLineTests: XCTestCase {
    static let course = BuildProducts.course
    var workspace: URL!

    override func setUpWithError() throws {
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-cli-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: workspace) }

    /// Runs `lectern arguments…` in the course folder with a private workspace and no colour.
    @discardableResult
    func lectern(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), arguments,
                              environment: ["LECTERN_WORKSPACE": workspace.path, "NO_COLOR": "1", "LECTERN_COLOR": nil])
    }

    var softmaxFile: URL { workspace.appendingPathComponent("00-getting-started/softmax.swift") }

    func solveSoftmax() throws {
        try lectern("list")
        try FileManager.default.removeItem(at: softmaxFile)
        try FileManager.default.copyItem(at: Self.course.appendingPathComponent("Solutions/00-getting-started/softmax.swift"), to: softmaxFile)
    }

    func testTheStarterFailsWithExitStatusOne() throws {
        let result = try lectern("check", "softmax")
        XCTAssertEqual(result.status, 1, result.out + result.err)
        XCTAssertTrue(result.out.contains("0/3 points"), result.out)
        XCTAssertTrue(result.out.contains("softmax.swift:"), "a failure points at the student's file: \(result.out)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: softmaxFile.path), "the exercise file is created")
    }

    func testASolvedExercisePassesAndItsJSONFollowsExercism() throws {
        try solveSoftmax()
        let result = try lectern("check", "softmax", "--json")
        XCTAssertEqual(result.status, 0, result.out + result.err)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? Int, 3)
        XCTAssertEqual(object["status"] as? String, "pass")
        XCTAssertEqual(object["points"] as? Int, 3)
        XCTAssertEqual(object["max_points"] as? Int, 3)
        let tests = try XCTUnwrap(object["tests"] as? [[String: Any]])
        XCTAssertFalse(tests.isEmpty)
        XCTAssertTrue(tests.allSatisfy { $0["status"] as? String == "pass" })
        // Progress is remembered, and the solution is unlocked.
        let list = try lectern("list")
        XCTAssertTrue(list.out.contains("✓ softmax"), list.out)
        XCTAssertEqual(try lectern("solution", "softmax").status, 0)
    }

    func testCodeThatDoesNotCompileIsReportedAtTheStudentsLine() throws {
        try lectern("list")
        try "func softmax(_ logits: Tensor) -> Tensor {\n    return logits.exp() + undefinedThing\n}\n".write(to: softmaxFile, atomically: true, encoding: .utf8)
        let result = try lectern("check", "softmax")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.out.contains("softmax.swift:2:"), result.out)
        XCTAssertTrue(result.out.contains("does not compile"), result.out)
    }

    func testUnknownExerciseIsAUsageErrorWithASuggestion() throws {
        let result = try lectern("check", "sofmax")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("no exercise 'sofmax'; did you mean 'softmax'?"), result.err)
        XCTAssertFalse(result.err.contains("Fatal error"), result.err)
    }

    func testTheSolutionIsLockedUntilSolved() throws {
        let result = try lectern("solution", "softmax")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("solve softmax first"), result.err)
    }

    func testRunStopsBeforeTheFirstUnsolvedExercise() throws {
        let result = try lectern("run", "0")
        XCTAssertEqual(result.status, 0, result.out + result.err)
        XCTAssertTrue(result.out.contains("Hello, Lectern!"), result.out)
        XCTAssertTrue(result.out.contains("stopped before the cell at Lessons/00-getting-started.md:"), result.out)
        XCTAssertTrue(result.out.contains("lectern check softmax"), result.out)
    }

    func testResetKeepsABackupOfTheStudentsVersion() throws {
        try lectern("list")
        try "// my attempt\n".write(to: softmaxFile, atomically: true, encoding: .utf8)
        let result = try lectern("reset", "softmax")
        XCTAssertEqual(result.status, 0, result.err)
        let backups = try FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent(".lectern/backups").path)
        XCTAssertEqual(backups.count, 1)
        let backup = try String(contentsOf: workspace.appendingPathComponent(".lectern/backups/\(backups[0])"), encoding: .utf8)
        XCTAssertEqual(backup, "// my attempt\n")
        XCTAssertTrue(try String(contentsOf: softmaxFile, encoding: .utf8).contains("fatalError(\"TODO"))
    }

    func testACorruptProgressFileIsSetAsideWithARecoveryPath() throws {
        try solveSoftmax()
        try lectern("check", "softmax")
        let state = workspace.appendingPathComponent(".lectern/state.json")
        try "{ this is not json".write(to: state, atomically: true, encoding: .utf8)
        let result = try lectern("list")
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("lectern check --all"), result.err)
        let aside = try FileManager.default.contentsOfDirectory(atPath: state.deletingLastPathComponent().path).filter { $0.hasPrefix("state.json.corrupt") }
        XCTAssertEqual(aside.count, 1, "the damaged file is kept")
        XCTAssertTrue(try String(contentsOf: softmaxFile, encoding: .utf8).contains("max"), "the student's code is untouched")
        // Re-grading everything earns the points back.
        let recheck = try lectern("check", "--all")
        XCTAssertEqual(recheck.status, 1, "the other exercises are unsolved")
        XCTAssertTrue(try lectern("list").out.contains("✓ softmax"))
    }

    func testValidateAcceptsLessonZero() throws {
        let result = try lectern("validate", "0", "--json")
        XCTAssertEqual(result.status, 0, result.out + result.err)
        let problems = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [Any])
        XCTAssertEqual(problems.count, 0)
    }
}
