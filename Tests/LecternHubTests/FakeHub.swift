// A fake Hugging Face hub for the download tests, on LocalHTTPServer: the routes and headers
// huggingface_hub's file_download.py reads, for one repository at one commit.
//   GET  /api/models/{repo}/revision/{rev}   {"sha": commit, "siblings": [{"rfilename": …}]}
//   HEAD/GET /{repo}/resolve/{rev}/{file}    a small file: 200, ETag = a 40-hex "git" hash,
//                                            X-Repo-Commit; an LFS file: 302 to the CDN with
//                                            X-Linked-Etag = its SHA-256 and X-Linked-Size
//   GET  {cdn}/blobs/{sha256}                the LFS bytes, with Range support (a second
//                                            server: another origin, as a real CDN is)
// Switches make it misbehave: cut a file's next download half-way, announce a wrong SHA-256,
// ignore Range, or answer the API with an error status.
import Foundation
@testable import LecternHub

final class FakeHub: @unchecked Sendable {
    struct File {
        var content: Data
        var lfs: Bool
    }

    let repo: String
    let commit = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    private let lock = NSLock()
    private var files: [String: File] = [:]
    private var order: [String] = []
    private var cuts: Set<String> = []
    private var wrongHash: Set<String> = []
    private var ignoreRange = false
    private var apiError: (status: Int, code: String?)?

    private(set) var hub: LocalHTTPServer!
    private(set) var cdn: LocalHTTPServer!

    init(repo: String = "acme/tiny-bert") throws {
        self.repo = repo
        hub = try LocalHTTPServer { [unowned self] in self.answerHub($0) }
        cdn = try LocalHTTPServer { [unowned self] in self.answerCDN($0) }
    }

    func stop() {
        hub.stop()
        cdn.stop()
    }

    var endpoint: String { hub.base }

    /// Adds a file (an LFS file is served through the CDN redirect, like weights on the hub).
    func add(_ path: String, _ content: Data, lfs: Bool = false) {
        lock.withLock {
            if files[path] == nil { order.append(path) }
            files[path] = File(content: content, lfs: lfs)
        }
    }

    func add(_ path: String, _ text: String) { add(path, Data(text.utf8)) }

    /// The next GET of `path`'s bytes sends half of them and hangs up.
    func cutNextDownload(of path: String) { lock.withLock { _ = cuts.insert(path) } }
    /// The hub announces a SHA-256 for `path` that its bytes do not have.
    func announceWrongHash(for path: String) { lock.withLock { _ = wrongHash.insert(path) } }
    /// Range headers are ignored: every GET is a 200 with the whole file.
    func ignoreRangeRequests() { lock.withLock { ignoreRange = true } }
    /// The API answers with this status (and X-Error-Code).
    func failAPI(status: Int, code: String?) { lock.withLock { apiError = (status, code) } }

    /// The hash the hub names a blob by: SHA-256 for LFS, else a 40-hex stand-in for the git hash.
    func etag(of path: String) -> String {
        lock.withLock {
            guard let file = files[path] else { return "" }
            let sha = SHA256.hex(of: file.content)
            if file.lfs { return wrongHash.contains(path) ? String(sha.reversed()) : sha }
            return String(sha.prefix(40))
        }
    }

    // MARK: - Routes

    private func answerHub(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Reply {
        let path = request.path.removingPercentEncoding ?? request.path
        if path.hasPrefix("/api/models/\(repo)/revision/") {
            if let (status, code) = lock.withLock({ apiError }) {
                var reply = LocalHTTPServer.Reply.text(status, #"{"error": "fake hub error"}"#)
                if let code { reply.headers.append(("X-Error-Code", code)) }
                return reply
            }
            let siblings = lock.withLock { order.map { ["rfilename": $0] } }
            let json = try! JSONSerialization.data(withJSONObject: ["sha": commit, "siblings": siblings, "id": repo])
            return LocalHTTPServer.Reply(status: 200, headers: [("Content-Type", "application/json")], body: json)
        }
        let prefix = "/\(repo)/resolve/"
        guard path.hasPrefix(prefix) else {
            return LocalHTTPServer.Reply(status: 404, headers: [("X-Error-Code", "RepoNotFound")], body: Data("Repository not found".utf8))
        }
        let rest = path.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return .text(404, "no file") }
        let name = String(rest[rest.index(after: slash)...])
        guard let file = lock.withLock({ files[name] }) else {
            return LocalHTTPServer.Reply(status: 404, headers: [("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", commit)],
                                         body: Data("Entry not found".utf8))
        }
        let etag = etag(of: name)
        if file.lfs {
            // The hub's reply for an LFS file: a redirect whose own headers carry the metadata.
            let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:\(etag)\nsize \(file.content.count)\n"
            return LocalHTTPServer.Reply(status: 302, headers: [
                ("Location", "\(cdn.base)/blobs/\(etag)?file=\(name)"),
                ("X-Repo-Commit", commit), ("X-Linked-Etag", "\"\(etag)\""), ("X-Linked-Size", "\(file.content.count)"),
                ("ETag", "\"\(String(etag.prefix(40)).uppercased())\""),
            ], body: Data(pointer.utf8))
        }
        return serve(file.content, name: name, request: request, headers: [("X-Repo-Commit", commit), ("ETag", "W/\"\(etag)\"")])
    }

    private func answerCDN(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Reply {
        guard let query = request.path.range(of: "?file=") else { return .text(404, "no such blob") }
        let name = String(request.path[query.upperBound...]).removingPercentEncoding ?? ""
        guard let file = lock.withLock({ files[name] }) else { return .text(404, "no such blob") }
        return serve(file.content, name: name, request: request, headers: [("ETag", "\"\(SHA256.hex(of: file.content))\"")])
    }

    /// The bytes of a file, honouring `Range: bytes=N-` with a 206, and the switches.
    private func serve(_ content: Data, name: String, request: LocalHTTPServer.Request,
                       headers: [(String, String)]) -> LocalHTTPServer.Reply {
        var reply = LocalHTTPServer.Reply(status: 200, headers: headers + [("Accept-Ranges", "bytes")], body: content)
        if let range = request.headers["range"], !lock.withLock({ ignoreRange }),
           range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).prefix { $0 != "-" }) {
            guard start < content.count else { return .text(416, "range not satisfiable") }
            reply.status = 206
            reply.body = content.subdata(in: start..<content.count)
            reply.headers.append(("Content-Range", "bytes \(start)-\(content.count - 1)/\(content.count)"))
        }
        if request.method == "GET", lock.withLock({ cuts.remove(name) }) != nil {
            reply.cutAfter = reply.body.count / 2
        }
        return reply
    }
}

/// Deterministic bytes that are not all alike, so that an offset error changes the hash.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {   // a plain loop: this runs in debug builds
        state = state &* 6364136223846793005 &+ 1442695040888963407
        bytes[index] = UInt8(truncatingIfNeeded: state &>> 56)
        index += 1
    }
    return Data(bytes)
}
