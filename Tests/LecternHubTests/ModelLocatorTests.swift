// ModelLocator.resolve: a folder is used as is (absolute, relative to the current folder, or
// with ~), a name is looked up in the cache, and a miss says where it looked and what to run.
import Foundation
import XCTest
@testable import LecternHub

final class ModelLocatorTests: XCTestCase {
    var scratch: URL!
    var cache: HubCache!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-locator-\(UUID().uuidString)").standardizedFileURL
        cache = HubCache(root: scratch.appendingPathComponent("hub"))
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("models/bert"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: cache.root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func resolve(_ name: String, revision: String = "main") throws(HubError) -> URL {
        try ModelLocator.resolve(name, revision: revision, cache: cache, environment: ["HOME": scratch.path], currentDirectory: scratch)
    }

    func testAFolderIsUsedAsIs() throws {
        let folder = scratch.appendingPathComponent("models/bert")
        XCTAssertEqual(try resolve(folder.path).path, folder.path)
        XCTAssertEqual(try resolve("models/bert").path, folder.path, "relative to the current folder")
        XCTAssertEqual(try resolve("./models/bert/").path, folder.path)
        XCTAssertEqual(try resolve("~/models/bert").path, folder.path, "~ is the home folder")
    }

    func testAFolderWinsOverACachedModelOfTheSameName() throws {
        try FileManager.default.createDirectory(at: cache.snapshotFolder("models/bert", commit: "abc"), withIntermediateDirectories: true)
        XCTAssertEqual(try resolve("models/bert").path, scratch.appendingPathComponent("models/bert").path)
    }

    func testANameIsFoundInTheCache() throws {
        let snapshot = cache.snapshotFolder("acme/tiny-bert", commit: "5555555555555555555555555555555555555555")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        let ref = cache.refFile("acme/tiny-bert", revision: "main")
        try FileManager.default.createDirectory(at: ref.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "5555555555555555555555555555555555555555".write(to: ref, atomically: true, encoding: .utf8)
        XCTAssertEqual(try resolve("acme/tiny-bert"), snapshot)
        XCTAssertEqual(try resolve("acme/tiny-bert", revision: "5555555555555555555555555555555555555555"), snapshot)
        // Cached, but not at this revision: the message lists what is there.
        XCTAssertThrowsError(try resolve("acme/tiny-bert", revision: "v2")) { error in
            guard case .revisionNotCached(_, "v2", _, let cached) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertEqual(cached, ["main → 5555555555555555555555555555555555555555", "snapshots/5555555555555555555555555555555555555555"])
            XCTAssertTrue("\(error)".contains("lectern lab pull acme/tiny-bert --revision v2"), "\(error)")
        }
    }

    func testAMissingModelSaysWhereItLookedAndHowToDownloadIt() {
        XCTAssertThrowsError(try resolve("x/y")) { error in
            XCTAssertEqual("\(error)", "no model directory or cached model named 'x/y' (looked in \(cache.root.path)/models--x--y); "
                + "download it with `lectern lab pull x/y`, or pass the folder that holds config.json")
        }
    }

    func testPathsThatAreNotFoldersAreErrors() throws {
        try "{}".write(to: scratch.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try resolve("config.json")) { XCTAssertEqual($0 as? HubError, .notAFolder(path: "config.json")) }
        XCTAssertThrowsError(try resolve("./missing")) { XCTAssertEqual($0 as? HubError, .folderNotFound(path: "./missing")) }
        XCTAssertThrowsError(try resolve("/no/such/folder")) { XCTAssertEqual($0 as? HubError, .folderNotFound(path: "/no/such/folder")) }
        XCTAssertThrowsError(try resolve("a/b/c")) { XCTAssertEqual($0 as? HubError, .folderNotFound(path: "a/b/c")) }
    }
}
