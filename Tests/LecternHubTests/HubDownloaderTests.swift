// HubDownloader against a fake hub on 127.0.0.1 (FakeHub): the cache layout huggingface_hub
// writes, the LFS redirect, resuming an interrupted download with a Range request, checksums,
// the token, and the errors a user sees. No network: everything is local and takes well
// under a second per test.
import Foundation
import XCTest
@testable import LecternHub

final class HubDownloaderTests: XCTestCase {
    var hub: FakeHub!
    var root: URL!

    override func setUpWithError() throws {
        hub = try FakeHub()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-hub-\(UUID().uuidString)/hub")
    }

    override func tearDownWithError() throws {
        hub.stop()
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    /// A downloader into the test's cache, from the fake hub, failing fast.
    func downloader(token: String? = nil, retries: Int = 0) -> HubDownloader {
        var downloader = HubDownloader(cache: HubCache(root: root), endpoint: hub.endpoint, token: token)
        downloader.timeout = 5
        downloader.retries = retries
        downloader.retryDelay = 0
        return downloader
    }

    static let weights = pseudoRandomBytes(200_000, seed: 7)
    var weights: Data { Self.weights }

    /// A sentence-transformers-like repository with files a model folder needs and files it does not.
    func addTypicalRepository() {
        hub.add("config.json", #"{"model_type": "bert", "hidden_size": 8}"#)
        hub.add("tokenizer.json", #"{"model": {"type": "WordPiece"}}"#)
        hub.add("vocab.txt", "[PAD]\n[UNK]\nhello\n")
        hub.add("modules.json", #"[{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#)
        hub.add("1_Pooling/config.json", #"{"word_embedding_dimension": 8, "pooling_mode_mean_tokens": true}"#)
        hub.add("model.safetensors", weights, lfs: true)
        hub.add("pytorch_model.bin", pseudoRandomBytes(1000, seed: 8), lfs: true)
        hub.add("onnx/model.onnx", pseudoRandomBytes(1000, seed: 9), lfs: true)
        hub.add("README.md", "# tiny")
    }

    var repoFolder: URL { HubCache(root: root).repoFolder("acme/tiny-bert") }

    func testAPullWritesHuggingFaceHubsCacheLayout() throws {
        addTypicalRepository()
        let snapshot = try downloader().download("acme/tiny-bert")
        XCTAssertEqual(snapshot.commit, hub.commit)
        XCTAssertEqual(snapshot.folder.path, repoFolder.appendingPathComponent("snapshots/\(hub.commit)").path)
        XCTAssertEqual(Set(snapshot.files), ["config.json", "tokenizer.json", "vocab.txt", "modules.json", "1_Pooling/config.json", "model.safetensors"])
        XCTAssertEqual(Set(snapshot.downloadedFiles), Set(snapshot.files))

        // refs/main holds the commit; each file is a relative link to blobs/<etag>.
        XCTAssertEqual(try String(contentsOf: repoFolder.appendingPathComponent("refs/main"), encoding: .utf8), hub.commit)
        let manager = FileManager.default
        for file in snapshot.files {
            let link = snapshot.folder.appendingPathComponent(file)
            let depth = file.split(separator: "/").count - 1
            XCTAssertEqual(try manager.destinationOfSymbolicLink(atPath: link.path),
                           String(repeating: "../", count: depth + 2) + "blobs/" + hub.etag(of: file), file)
        }
        XCTAssertEqual(try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors")), weights)
        XCTAssertEqual(try String(contentsOf: snapshot.folder.appendingPathComponent("1_Pooling/config.json"), encoding: .utf8),
                       #"{"word_embedding_dimension": 8, "pooling_mode_mean_tokens": true}"#)
        // The LFS blob is named by its SHA-256; nothing else was fetched and nothing is left half-done.
        let blobs = try manager.contentsOfDirectory(atPath: repoFolder.appendingPathComponent("blobs").path)
        XCTAssertTrue(blobs.contains(SHA256.hex(of: weights)), "\(blobs)")
        XCTAssertEqual(blobs.count, 6, "\(blobs)")
        XCTAssertFalse(blobs.contains { $0.hasSuffix(".incomplete") })
        XCTAssertFalse(hub.hub.requests.contains { $0.path.contains("pytorch_model.bin") || $0.path.contains("onnx") })
        // The loader finds it by name.
        XCTAssertEqual(try ModelLocator.resolve("acme/tiny-bert", cache: HubCache(root: root)).path, snapshot.folder.path)
    }

    func testFilesAreFetchedAtTheCommitAndTheLFSBytesFromTheRedirectTarget() throws {
        addTypicalRepository()
        try downloader().download("acme/tiny-bert")
        let resolves = hub.hub.requests.filter { $0.path.contains("/resolve/") }
        XCTAssertFalse(resolves.isEmpty)
        XCTAssertTrue(resolves.allSatisfy { $0.path.hasPrefix("/acme/tiny-bert/resolve/\(hub.commit)/") }, "\(resolves.map(\.path))")
        // Metadata by HEAD; the small files by GET from the hub; the weights by GET from the CDN only.
        XCTAssertTrue(resolves.contains { $0.method == "HEAD" && $0.path.hasSuffix("/model.safetensors") })
        XCTAssertFalse(resolves.contains { $0.method == "GET" && $0.path.hasSuffix("/model.safetensors") })
        XCTAssertEqual(hub.cdn.requests.map(\.method), ["GET"])
    }

    func testASecondPullDownloadsNothing() throws {
        addTypicalRepository()
        try downloader().download("acme/tiny-bert")
        let before = (hub.hub.requests.count, hub.cdn.requests.count)
        let again = try downloader().download("acme/tiny-bert")
        XCTAssertEqual(again.downloadedFiles, [])
        XCTAssertEqual(again.downloadedBytes, 0)
        XCTAssertEqual(hub.cdn.requests.count, before.1, "no bytes fetched again")
        XCTAssertEqual(hub.hub.requests.count, before.0 + 1, "only the API call")
    }

    func testABlobAlreadyInTheCacheIsLinkedNotDownloaded() throws {
        hub.add("config.json", "{}")
        hub.add("model.safetensors", weights, lfs: true)
        try downloader().download("acme/tiny-bert")
        // The same weights under a new commit's snapshot: the link is redone, the bytes are not.
        try FileManager.default.removeItem(at: repoFolder.appendingPathComponent("snapshots"))
        let again = try downloader().download("acme/tiny-bert")
        XCTAssertEqual(again.downloadedFiles, [])
        XCTAssertEqual(hub.cdn.requests.count, 1)
        XCTAssertEqual(try Data(contentsOf: again.folder.appendingPathComponent("model.safetensors")), weights)
    }

    func testShardedWeightsBringTheShardsTheIndexLists() throws {
        hub.add("config.json", "{}")
        hub.add("model-00001-of-00002.safetensors", pseudoRandomBytes(3000, seed: 1), lfs: true)
        hub.add("model-00002-of-00002.safetensors", pseudoRandomBytes(2000, seed: 2), lfs: true)
        hub.add("model-old-00001-of-00001.safetensors", pseudoRandomBytes(100, seed: 3), lfs: true)
        hub.add("model.safetensors.index.json", """
            {"metadata": {"total_size": 5000}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
             "b.weight": "model-00002-of-00002.safetensors", "c.weight": "model-00001-of-00002.safetensors"}}
            """)
        let reports = Reports()
        let snapshot = try downloader().download("acme/tiny-bert", progress: reports.add)
        XCTAssertEqual(snapshot.files, ["model.safetensors.index.json", "config.json",
                                        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        XCTAssertEqual(try Data(contentsOf: snapshot.folder.appendingPathComponent("model-00002-of-00002.safetensors")),
                       pseudoRandomBytes(2000, seed: 2))
        // Every file is reported finished, numbered out of the final count once the index is read.
        let finished = reports.all.filter { $0.phase == .finished }
        XCTAssertEqual(finished.map(\.file), snapshot.files)
        XCTAssertEqual(finished.last?.fileNumber, 4)
        XCTAssertEqual(finished.last?.fileCount, 4)
    }

    func testIncludePatternsReplaceTheSelection() throws {
        addTypicalRepository()
        let snapshot = try downloader().download("acme/tiny-bert", files: .matching(["*.json", "onnx/"]))
        XCTAssertEqual(Set(snapshot.files), ["config.json", "tokenizer.json", "modules.json", "1_Pooling/config.json", "onnx/model.onnx"])
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert", files: .matching(["*.gguf"]))) { error in
            guard case .noFilesSelected(_, let patterns, _) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertEqual(patterns, ["*.gguf"])
        }
    }

    func testAnInterruptedDownloadResumesWithARangeRequest() throws {
        addTypicalRepository()
        hub.cutNextDownload(of: "model.safetensors")
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert")) { error in
            guard case .interrupted(let file, _, let expected, _) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "model.safetensors")
            XCTAssertEqual(expected, Int64(weights.count))
            XCTAssertTrue("\(error)".contains("run the same command again to resume"), "\(error)")
        }
        // Half the bytes wait in blobs/<sha256>.incomplete, and refs/main is not written yet.
        let partial = repoFolder.appendingPathComponent("blobs/\(SHA256.hex(of: weights)).incomplete")
        let kept = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber).intValue
        XCTAssertGreaterThan(kept, 0)
        XCTAssertLessThan(kept, weights.count)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repoFolder.appendingPathComponent("refs/main").path))

        let snapshot = try downloader().download("acme/tiny-bert")
        XCTAssertEqual(hub.cdn.requests.last?.headers["range"], "bytes=\(kept)-")
        XCTAssertEqual(snapshot.downloadedFiles, ["model.safetensors"], "the files before it were kept")
        XCTAssertEqual(snapshot.downloadedBytes, Int64(weights.count - kept), "only the missing part was transferred")
        XCTAssertEqual(try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors")), weights)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.path))
    }

    func testABrokenConnectionIsResumedAutomaticallyWithRetries() throws {
        hub.add("config.json", "{}")
        hub.add("model.safetensors", weights, lfs: true)
        hub.cutNextDownload(of: "model.safetensors")
        let snapshot = try downloader(retries: 2).download("acme/tiny-bert")
        XCTAssertEqual(hub.cdn.requests.count, 2)
        XCTAssertNil(hub.cdn.requests[0].headers["range"])
        XCTAssertNotNil(hub.cdn.requests[1].headers["range"])
        XCTAssertEqual(try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors")), weights)
    }

    func testAServerThatIgnoresRangeStartsTheFileOver() throws {
        hub.add("model.safetensors", weights, lfs: true)
        hub.cutNextDownload(of: "model.safetensors")
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert"))
        hub.ignoreRangeRequests()
        let snapshot = try downloader().download("acme/tiny-bert")
        XCTAssertNotNil(hub.cdn.requests.last?.headers["range"], "it was asked to resume")
        XCTAssertEqual(try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors")), weights)
    }

    func testAWrongChecksumIsAnErrorAndLeavesNoBlob() throws {
        hub.add("config.json", "{}")
        hub.add("model.safetensors", weights, lfs: true)
        hub.announceWrongHash(for: "model.safetensors")
        let announced = hub.etag(of: "model.safetensors")
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert")) { error in
            XCTAssertEqual(error as? HubError, .checksumMismatch(file: "model.safetensors", expected: announced, actual: SHA256.hex(of: weights)))
            let message = "\(error)"
            XCTAssertTrue(message.contains("model.safetensors") && message.contains(announced) && message.contains(SHA256.hex(of: weights)), message)
        }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: repoFolder.appendingPathComponent("blobs").path)
        XCTAssertFalse(blobs.contains { $0.hasPrefix(announced) }, "\(blobs)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repoFolder.appendingPathComponent("snapshots/\(hub.commit)/model.safetensors").path))
    }

    func testTheTokenGoesToTheHubButNotToTheCDN() throws {
        hub.add("config.json", "{}")
        hub.add("model.safetensors", weights, lfs: true)
        try downloader(token: "hf_secret").download("acme/tiny-bert")
        XCTAssertTrue(hub.hub.requests.allSatisfy { $0.headers["authorization"] == "Bearer hf_secret" })
        XCTAssertEqual(hub.cdn.requests.count, 1)
        XCTAssertNil(hub.cdn.requests[0].headers["authorization"])
    }

    func testGatedAndMissingRepositoriesSayWhatToDo() throws {
        hub.failAPI(status: 401, code: "GatedRepo")
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert")) { error in
            guard case .accessDenied(_, 401, true, false, _) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("HF_TOKEN"), "\(error)")
        }
        hub.failAPI(status: 404, code: nil)
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert", revision: "v9")) { error in
            guard case .repoNotFound("acme/tiny-bert", "v9", _, _) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("was not found"), "\(error)")
        }
        hub.failAPI(status: 404, code: "RevisionNotFound")
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert", revision: "v9")) { error in
            XCTAssertEqual(error as? HubError, .revisionNotFound(repoID: "acme/tiny-bert", revision: "v9"))
        }
    }

    func testAnUnreachableHubIsReportedWithTheEndpoint() throws {
        // A port nothing listens on: the fake hub's, once stopped and closed.
        let closed = try LocalHTTPServer { _ in .text(200, "") }
        let endpoint = closed.base
        closed.stop()
        var downloader = downloader()
        downloader.endpoint = endpoint
        XCTAssertThrowsError(try downloader.download("acme/tiny-bert")) { error in
            guard case .cannotReach(let reported, _) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertEqual(reported, endpoint)
            XCTAssertTrue("\(error)".hasPrefix("cannot reach \(endpoint): "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("; check your connection or set HF_ENDPOINT"), "\(error)")
        }
    }

    func testNamesAreCheckedBeforeAnyRequest() throws {
        XCTAssertThrowsError(try downloader().download("../etc")) { XCTAssertEqual($0 as? HubError, .invalidRepoID("../etc")) }
        XCTAssertThrowsError(try downloader().download("acme/tiny-bert", revision: "../../x")) {
            XCTAssertEqual($0 as? HubError, .invalidRevision("../../x"))
        }
        var bad = downloader()
        bad.endpoint = "ftp://example.com"
        XCTAssertThrowsError(try bad.download("acme/tiny-bert")) { XCTAssertEqual($0 as? HubError, .invalidEndpoint("ftp://example.com")) }
        XCTAssertTrue(hub.hub.requests.isEmpty)
    }

    func testTheStandardDownloaderReadsTheEnvironment() throws {
        let home = root.deletingLastPathComponent().appendingPathComponent("hf-home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "hf_from_file\n".write(to: home.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let fromFile = HubDownloader.standard(environment: ["HF_HOME": home.path])
        XCTAssertEqual(fromFile.token, "hf_from_file")
        XCTAssertEqual(fromFile.endpoint, "https://huggingface.co")
        XCTAssertEqual(fromFile.cache.root.path, home.appendingPathComponent("hub").path)
        let fromEnvironment = HubDownloader.standard(environment: ["HF_HOME": home.path, "HF_TOKEN": "hf_env", "HF_ENDPOINT": "http://mirror.local"])
        XCTAssertEqual(fromEnvironment.token, "hf_env")
        XCTAssertEqual(fromEnvironment.endpoint, "http://mirror.local")
    }
}

/// Collects progress reports from the downloading thread.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [HubDownloadProgress] = []
    var all: [HubDownloadProgress] { lock.withLock { reports } }
    func add(_ report: HubDownloadProgress) { lock.withLock { reports.append(report) } }
}
