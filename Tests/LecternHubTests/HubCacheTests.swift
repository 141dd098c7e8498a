// Where the cache is (huggingface_hub's environment variables, in its order) and how a name
// and a revision become a snapshot folder: through refs/<revision>, or a commit folder.
import Foundation
import XCTest
@testable import LecternHub

final class HubCacheTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func testTheEnvironmentIsReadInHuggingFaceHubsOrder() {
        func path(_ environment: [String: String]) -> String { HubCache.standard(environment: environment).root.path }
        let all = ["HF_HUB_CACHE": "/a/hub", "HUGGINGFACE_HUB_CACHE": "/b/hub", "HF_HOME": "/c", "XDG_CACHE_HOME": "/d", "HOME": "/e"]
        XCTAssertEqual(path(all), "/a/hub")
        XCTAssertEqual(path(all.filter { $0.key != "HF_HUB_CACHE" }), "/b/hub", "the legacy name")
        XCTAssertEqual(path(["HF_HOME": "/c", "XDG_CACHE_HOME": "/d", "HOME": "/e"]), "/c/hub")
        XCTAssertEqual(path(["XDG_CACHE_HOME": "/d", "HOME": "/e"]), "/d/huggingface/hub")
        XCTAssertEqual(path(["HOME": "/e"]), "/e/.cache/huggingface/hub")
        XCTAssertEqual(path(["HF_HOME": "~/hf", "HOME": "/home/me"]), "/home/me/hf/hub", "~ is expanded")
        XCTAssertEqual(path(["HF_HUB_CACHE": "", "HF_HOME": "/c"]), "/c/hub", "an empty variable counts as unset")
    }

    func testTheRepositoryFolderName() {
        let cache = HubCache(root: URL(fileURLWithPath: "/c/hub"))
        XCTAssertEqual(cache.repoFolder("sentence-transformers/all-MiniLM-L6-v2").path, "/c/hub/models--sentence-transformers--all-MiniLM-L6-v2")
        XCTAssertEqual(cache.repoFolder("gpt2").path, "/c/hub/models--gpt2")
    }

    /// A snapshot folder as huggingface_hub leaves it, with refs/<ref> pointing at it for each ref.
    func makeSnapshot(_ repoID: String, commit: String, refs: [String]) throws -> URL {
        let cache = HubCache(root: root)
        let folder = cache.snapshotFolder(repoID, commit: commit)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{}".write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        for ref in refs {
            let file = cache.refFile(repoID, revision: ref)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try commit.write(to: file, atomically: true, encoding: .utf8)
        }
        return folder
    }

    func testASnapshotIsFoundThroughItsRefOrItsCommit() throws {
        let old = "1111111111111111111111111111111111111111", new = "2222222222222222222222222222222222222222"
        let oldFolder = try makeSnapshot("acme/tiny", commit: old, refs: ["v1", "refs/pr/3"])
        let newFolder = try makeSnapshot("acme/tiny", commit: new, refs: ["main"])
        let cache = HubCache(root: root)
        XCTAssertEqual(cache.snapshot("acme/tiny"), newFolder)
        XCTAssertEqual(cache.snapshot("acme/tiny", revision: "v1"), oldFolder)
        XCTAssertEqual(cache.snapshot("acme/tiny", revision: "refs/pr/3"), oldFolder, "refs may be nested")
        XCTAssertEqual(cache.snapshot("acme/tiny", revision: old), oldFolder, "a commit hash is a folder")
        XCTAssertNil(cache.snapshot("acme/tiny", revision: "v2"))
        XCTAssertNil(cache.snapshot("acme/other"))
        XCTAssertNil(cache.snapshot("acme/tiny", revision: "../../acme"), "revisions cannot leave the repository folder")
    }

    func testARefToAMissingSnapshotIsNotASnapshot() throws {
        let folder = try makeSnapshot("acme/tiny", commit: "3333333333333333333333333333333333333333", refs: ["main"])
        try FileManager.default.removeItem(at: folder)
        XCTAssertNil(HubCache(root: root).snapshot("acme/tiny"))
    }

    func testRefsWrittenWithATrailingNewlineAreRead() throws {
        let commit = "4444444444444444444444444444444444444444"
        let folder = try makeSnapshot("acme/tiny", commit: commit, refs: [])
        let ref = HubCache(root: root).refFile("acme/tiny", revision: "main")
        try FileManager.default.createDirectory(at: ref.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (commit + "\n").write(to: ref, atomically: true, encoding: .utf8)
        XCTAssertEqual(HubCache(root: root).snapshot("acme/tiny"), folder)
    }

    func testRepositoryNamesFollowHuggingFaceHubsRules() {
        for valid in ["gpt2", "acme/tiny-bert", "Foo-BAR_foo.bar123", "sentence-transformers/all-MiniLM-L6-v2", "a/b"] {
            XCTAssertTrue(RepoID.isValid(valid), valid)
        }
        for invalid in ["", "a/b/c", "./x", "/x", "x/", "foo--bar", "a..b", "x.git", ".x", "x-", "café", "a b", String(repeating: "a", count: 97)] {
            XCTAssertFalse(RepoID.isValid(invalid), invalid)
        }
    }
}
