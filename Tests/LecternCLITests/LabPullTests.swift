// `lectern lab pull` end to end: the built executable against a fake hub on 127.0.0.1, into a
// temporary cache. Standard output must be exactly the snapshot folder (scripts use it as
// `--model "$(lectern lab pull ORG/NAME)"`); errors are one line on standard error with exit
// status 1 or 2, never a crash. No network.
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class LabPullTests: XCTestCase {
    let commit = "89abcdef0123456789abcdef0123456789abcdef"
    /// 64 × "a" and its SHA-256 (Python's hashlib), served as an LFS file.
    let weights = Data(repeating: UInt8(ascii: "a"), count: 64)
    let weightsSHA256 = "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
    let config = #"{"model_type": "bert"}"#
    var scratch: URL!
    var server: TinyHTTPServer!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-pull-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let (commit, config, weights, sha) = (commit, config, weights, weightsSHA256)
        server = try TinyHTTPServer { method, path in
            switch path {
            case "/api/models/acme/tiny/revision/main":
                let json = #"{"sha": "\#(commit)", "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors"}, {"rfilename": "pytorch_model.bin"}]}"#
                return (200, [], Data(json.utf8))
            case "/acme/tiny/resolve/\(commit)/config.json":
                return (200, [("X-Repo-Commit", commit), ("ETag", "\"0123456789012345678901234567890123456789\"")], Data(config.utf8))
            case "/acme/tiny/resolve/\(commit)/model.safetensors":
                return (302, [("Location", "/cdn/\(sha)"), ("X-Repo-Commit", commit), ("X-Linked-Etag", "\"\(sha)\""),
                              ("X-Linked-Size", "\(weights.count)")], Data())
            case "/cdn/\(sha)":
                return (200, [("ETag", "\"\(sha)\"")], weights)
            default:
                return (404, [("X-Error-Code", "RepoNotFound")], Data("Repository not found".utf8))
            }
        }
    }

    override func tearDownWithError() throws {
        server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    func pull(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), ["lab", "pull"] + arguments,
                              environment: ["HF_HOME": scratch.path, "HF_HUB_CACHE": nil, "HF_TOKEN": nil, "HF_ENDPOINT": nil, "NO_COLOR": "1"])
    }

    func testPullPrintsTheSnapshotFolderAndFillsTheCache() throws {
        let cache = scratch.appendingPathComponent("hub")
        let result = try pull(["acme/tiny", "--endpoint", server.base, "--cache-dir", cache.path])
        XCTAssertEqual(result.status, 0, result.err)
        let folder = cache.appendingPathComponent("models--acme--tiny/snapshots/\(commit)")
        XCTAssertEqual(result.out, folder.path + "\n")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8), config)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")), weights)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("pytorch_model.bin").path))
        XCTAssertTrue(result.err.contains("2 files, 2 downloaded"), result.err)

        // Again: the same folder, nothing downloaded, and no bytes asked for.
        let again = try pull(["acme/tiny", "--endpoint", server.base, "--cache-dir", cache.path])
        XCTAssertEqual(again.out, result.out)
        XCTAssertTrue(again.err.contains("0 downloaded (0 B), 2 already in the cache"), again.err)
        XCTAssertEqual(server.requests.filter { $0.hasPrefix("GET /cdn/") }.count, 1)
    }

    func testAnUnreachableHubIsAOneLineError() throws {
        let closed = try TinyHTTPServer { _, _ in (200, [], Data()) }
        let endpoint = closed.base
        closed.stop()
        let result = try pull(["acme/tiny", "--endpoint", endpoint, "--cache-dir", scratch.appendingPathComponent("hub").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.out, "")
        XCTAssertTrue(result.err.hasPrefix("lectern: cannot reach \(endpoint): "), result.err)
        XCTAssertTrue(result.err.contains("check your connection or set HF_ENDPOINT"), result.err)
        XCTAssertFalse(result.err.contains("Fatal error") || result.err.contains("Backtrace"), result.err)
    }

    func testAMissingRepositoryAndABadNameHaveTheirOwnExitStatus() throws {
        let missing = try pull(["acme/nothing", "--endpoint", server.base, "--cache-dir", scratch.appendingPathComponent("hub").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("repository 'acme/nothing' (revision 'main') was not found"), missing.err)
        let invalid = try pull(["acme/../x", "--endpoint", server.base])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.err.contains("is not a Hugging Face repository name"), invalid.err)
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 answering from a function of (method, path): a trimmed
/// copy of Tests/LecternHubTests/LocalHTTPServer.swift (test targets cannot share a file).
/// One request per connection, receive timeouts, and a polling accept loop, so nothing hangs.
final class TinyHTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (_ method: String, _ path: String) -> (status: Int, headers: [(String, String)], body: Data)

    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var log: [String] = []
    private let loopEnded = DispatchSemaphore(value: 0)
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }
    /// "METHOD /path" of every request so far.
    var requests: [String] { lock.withLock { log } }

    init(handler: @escaping Handler) throws {
        signal(SIGPIPE, SIG_IGN)
        self.handler = handler
        #if canImport(Glibc)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard listener >= 0, bound, listen(listener, 16) == 0 else { throw CocoaError(.fileWriteUnknown) }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and closes the port.
    func stop() {
        lock.withLock { stopped = true }
        _ = loopEnded.wait(timeout: .now() + 2)
    }

    private func acceptLoop() {
        defer { close(listener); loopEnded.signal() }
        while !lock.withLock({ stopped }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 10) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            if connection >= 0 { Thread { [self] in serve(connection) }.start() }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.range(of: Data("\r\n\r\n".utf8)) == nil, request.count < 65536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            request.append(buffer, count: count)
        }
        let line = String(decoding: request, as: UTF8.self).prefix { $0 != "\r" }.split(separator: " ")
        guard line.count >= 2 else { return }
        let (method, path) = (String(line[0]), String(line[1]))
        lock.withLock { log.append("\(method) \(path)") }
        let reply = handler(method, path)
        var head = "HTTP/1.1 \(reply.status) Status\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(reply.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Data(head.utf8) + (method == "HEAD" ? Data() : reply.body)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let start = raw.baseAddress {
                let sent = send(connection, start + offset, raw.count - offset, 0)
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }
}
