import Foundation
import XCTest
@testable import LecternRunner

final class ProgressStoreTests: XCTestCase {
    var folder: URL!
    var store: ProgressStore!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-state-\(UUID().uuidString)/.lectern")
        store = ProgressStore(url: folder.appendingPathComponent("state.json"))
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    }

    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    func testMissingFileIsAFreshStartWithoutWarning() {
        let (state, warning) = store.load()
        XCTAssertEqual(state, ProgressState())
        XCTAssertNil(warning)
        XCTAssertEqual(files(), [], "loading does not create anything")
    }

    func testRoundTrip() throws {
        // Whole seconds: the file stores ISO-8601 dates to the second.
        let state = ProgressState(current: "softmax", exercises: [
            "softmax": ExerciseProgress(passed: true, points: 3, maxPoints: 3, attempts: 4, hintsRevealed: 1,
                                        lastChecked: Date(timeIntervalSince1970: 1_750_000_100),
                                        firstPassed: Date(timeIntervalSince1970: 1_750_000_000)),
            "attention": ExerciseProgress(attempts: 1, lastChecked: Date(timeIntervalSince1970: 1_750_000_200)),
        ])
        try store.save(state)
        let (loaded, warning) = store.load()
        XCTAssertNil(warning)
        XCTAssertEqual(loaded, state)
        XCTAssertFalse(files().contains { $0.contains("tmp") }, "\(files())")
    }

    func testFileIsPrettySortedAndUsesISO8601Dates() throws {
        try store.save(ProgressState(current: "b", exercises: [
            "b": ExerciseProgress(lastChecked: Date(timeIntervalSince1970: 0)),
            "a": ExerciseProgress(),
        ]))
        let text = try String(contentsOf: store.url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"1970-01-01T00:00:00Z\""), text)
        XCTAssertTrue(text.contains("\n  "), "pretty-printed")
        let a = try XCTUnwrap(text.range(of: "\"a\"")), b = try XCTUnwrap(text.range(of: "\"b\" :"))
        XCTAssertLessThan(a.lowerBound, b.lowerBound, "keys are sorted")
        XCTAssertTrue(text.hasSuffix("}\n"))
    }

    func testCorruptFileIsMovedAsideWithAWarning() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let garbage = "{\"version\": 1, \"exercises\": {\"softmax\": "
        try garbage.write(to: store.url, atomically: true, encoding: .utf8)

        let (state, warning) = store.load()
        XCTAssertEqual(state, ProgressState())
        let message = try XCTUnwrap(warning)
        let moved = files().filter { $0.hasPrefix("state.json.corrupt-") }
        XCTAssertEqual(moved.count, 1, "\(files())")
        let aside = try XCTUnwrap(moved.first, "the damaged file must be kept")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.url.path))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent(aside), encoding: .utf8), garbage,
                       "the damaged file is kept, byte for byte")
        XCTAssertTrue(message.contains(aside), message)
        XCTAssertTrue(message.contains("not valid JSON"), message)
        XCTAssertTrue(message.contains("untouched"), message)
        XCTAssertTrue(message.contains("lectern check --all"), message)

        // Afterwards the store works normally, and a second damaged file gets its own name.
        XCTAssertNil(store.load().warning)
        try "not json".write(to: store.url, atomically: true, encoding: .utf8)
        XCTAssertNotNil(store.load().warning)
        XCTAssertEqual(files().filter { $0.hasPrefix("state.json.corrupt-") }.count, 2)
    }

    func testUnknownVersionIsMovedAside() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{\"version\": 99, \"exercises\": {}}".write(to: store.url, atomically: true, encoding: .utf8)
        let (state, warning) = store.load()
        XCTAssertEqual(state, ProgressState())
        XCTAssertTrue(warning?.contains("version 99") ?? false, warning ?? "no warning")
        XCTAssertEqual(files().filter { $0.hasPrefix("state.json.corrupt-") }.count, 1)
    }

    func testJSONThatIsNotAProgressFileIsMovedAside() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "[1, 2, 3]".write(to: store.url, atomically: true, encoding: .utf8)
        XCTAssertNotNil(store.load().warning)
        try "{\"exercises\": {}}".write(to: store.url, atomically: true, encoding: .utf8)
        XCTAssertTrue(store.load().warning?.contains("version") ?? false)
    }

    func testMissingFieldsTakeTheirDefaults() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{\"version\": 1, \"exercises\": {\"x\": {\"passed\": true}}}".write(to: store.url, atomically: true, encoding: .utf8)
        let (state, warning) = store.load()
        XCTAssertNil(warning)
        XCTAssertEqual(state.exercises["x"], ExerciseProgress(passed: true))
    }

    func testUpdateAppliesAndSaves() throws {
        let first = try store.update { $0.exercises["a", default: ExerciseProgress()].attempts += 1 }
        XCTAssertEqual(first.exercises["a"]?.attempts, 1)
        let second = try store.update {
            $0.exercises["a", default: ExerciseProgress()].attempts += 1
            $0.current = "a"
        }
        XCTAssertEqual(second.exercises["a"]?.attempts, 2)
        XCTAssertEqual(store.load().state, second)
    }

    func testConcurrentUpdatesDoNotLoseEachOther() throws {
        let store = self.store!
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            _ = try? store.update { $0.exercises["a", default: ExerciseProgress()].attempts += 1 }
        }
        XCTAssertEqual(store.load().state.exercises["a"]?.attempts, 20)
    }
}
