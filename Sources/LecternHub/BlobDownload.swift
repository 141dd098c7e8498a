// One file of one commit into the cache, resumably — huggingface_hub's
// `_hf_hub_download_to_cache_dir` and `http_get` (file_download.py):
//   1. snapshots/<commit>/<file> exists: nothing to do.
//   2. HEAD the resolve URL (FileMetadata): the ETag names the blob. blobs/<etag> exists (the
//      same bytes under another name or commit): only link it.
//   3. GET the bytes into blobs/<etag>.incomplete. If that file is already there from an
//      interrupted run, ask for the rest with `Range: bytes=N-`; a 206 reply appends, a 200
//      (a server that ignores Range) starts over.
//   4. Check the size (as http_get does), and the SHA-256 when the ETag is one (an LFS file;
//      huggingface_hub does not check it). A mismatch deletes the file: resuming from corrupt
//      bytes would never succeed.
//   5. Rename .incomplete to blobs/<etag> (atomic: a blob is complete or absent), and link
//      snapshots/<commit>/<file> → ../../blobs/<etag> (one "../" more per folder in <file>;
//      relative, so the cache can be moved).
//
// Departures from the reference: current huggingface_hub downloads into a fresh temporary
// file each time and deletes it on failure (older versions resumed <etag>.incomplete as here);
// keeping it is what makes `lectern lab pull` resumable after Ctrl-C. No file lock (one pull
// per cache at a time is assumed; the rename keeps even two racing pulls correct). No
// symlink-less fallback (Windows). Git blob hashes (40 hex digits) are not recomputed: small
// files are checked by size only.
import Foundation

/// Downloads files of one repository commit into the cache.
///
/// ```swift
/// let download = BlobDownload(cache: cache, client: HTTPClient(idleTimeout: 30), repoID: "acme/tiny-bert",
///                             commit: commit, endpoint: endpointURL, token: nil, retries: 3, retryDelay: 1)
/// let outcome = try download.fetch("config.json") { phase, bytes, total, resumedFrom in … }
/// ```
struct BlobDownload: Sendable {
    /// What happened to a file.
    enum Outcome: Sendable, Equatable {
        /// Already linked, or its blob was already there (from another file or commit).
        case cached
        /// Downloaded; the bytes transferred by this run.
        case downloaded(bytes: Int64)
    }

    /// Progress: the phase, bytes on disk, total (if known), bytes resumed from.
    typealias Report = @Sendable (HubDownloadProgress.Phase, Int64, Int64?, Int64) -> Void

    var cache: HubCache
    var client: HTTPClient
    var repoID: String
    var commit: String
    var endpoint: URL
    var token: String?
    var retries: Int
    var retryDelay: TimeInterval

    /// Puts `file` (a path in the repository) into the snapshot of `commit`.
    func fetch(_ file: String, report: @escaping Report) throws(HubError) -> Outcome {
        let pointer = cache.snapshotFolder(repoID, commit: commit).appendingPathComponent(file)
        if FileManager.default.fileExists(atPath: pointer.path) {   // follows the link: a dangling one is redone
            let size = (try? FileManager.default.attributesOfItem(atPath: pointer.path)[.size] as? NSNumber)?.int64Value ?? 0
            report(.alreadyCached, size, size, 0)
            return .cached
        }
        report(.checking, 0, nil, 0)
        let metadata = try self.metadata(file)
        let blob = cache.blob(repoID, etag: metadata.etag)
        var outcome = Outcome.cached
        if !FileManager.default.fileExists(atPath: blob.path) {
            outcome = .downloaded(bytes: try transfer(file, metadata, into: blob, report: report))
        }
        try link(pointer, toBlob: metadata.etag, file: file)
        let size = BlobDownload.size(of: blob)
        report(outcome == .cached ? .alreadyCached : .finished, size, size, 0)
        return outcome
    }

    // MARK: - 2. Metadata

    /// HEAD the file's resolve URL. Redirects are not followed — except one within the hub
    /// that carries no metadata (a renamed repository), which is followed to its new name.
    private func metadata(_ file: String) throws(HubError) -> FileMetadata {
        var url = HubDownloader.resolveURL(endpoint, repoID: repoID, revision: commit, file: file)
        for _ in 0..<5 {
            let reply: HTTPReply
            do { reply = try client.send("HEAD", url, headers: headers(for: url), followRedirects: false) }
            catch { throw HubDownloader.hubError(error, endpoint: endpoint) }
            if let target = reply.redirectTarget, reply.header("x-repo-commit") == nil, Origin(target) == Origin(url) {
                url = target
                continue
            }
            guard (200...399).contains(reply.status) else { throw HubStatus.error(for: reply, context(file)) }
            return try FileMetadata(reply: reply)
        }
        throw .unexpectedResponse(url: url.absoluteString, problem: "too many redirects")
    }

    // MARK: - 3, 4. The bytes

    /// Downloads into blobs/<etag>.incomplete, resuming, with retries after a broken
    /// connection; checks it and renames it to `blob`. Returns the bytes transferred.
    private func transfer(_ file: String, _ metadata: FileMetadata, into blob: URL, report: @escaping Report) throws(HubError) -> Int64 {
        let partial = URL(fileURLWithPath: blob.path + ".incomplete")
        try BlobDownload.createFolder(blob.deletingLastPathComponent())
        var transferred: Int64 = 0
        var attemptsLeft = retries
        while true {
            let before = BlobDownload.size(of: partial)
            do {
                transferred += try receive(file, metadata, into: partial, report: report)
                break
            } catch .interrupted(let name, let received, let expected, let reason) {
                // Like huggingface_hub, count only attempts that made no progress.
                let after = BlobDownload.size(of: partial)
                transferred += max(0, after - before)
                attemptsLeft = after > before ? retries : attemptsLeft - 1
                guard attemptsLeft >= 0, retries > 0 else {
                    throw .interrupted(file: name, received: received, expected: expected, reason: reason)
                }
                Thread.sleep(forTimeInterval: retryDelay)
            }
        }
        try verify(file, metadata, partial, report: report)
        if rename(partial.path, blob.path) != 0 {
            let reason = String(cString: strerror(errno))
            guard FileManager.default.fileExists(atPath: blob.path) else {
                throw .fileSystem(path: blob.path, reason: "cannot move the download into place: \(reason)")
            }
            try? FileManager.default.removeItem(at: partial)   // another pull finished it first
        }
        return transferred
    }

    /// One GET into `partial`, from its current size. Returns the bytes received.
    private func receive(_ file: String, _ metadata: FileMetadata, into partial: URL, report: @escaping Report) throws(HubError) -> Int64 {
        var onDisk = BlobDownload.size(of: partial)
        if let size = metadata.size, onDisk > size {   // not a prefix of this file: start over
            try? FileManager.default.removeItem(at: partial)
            onDisk = 0
        }
        if let size = metadata.size, onDisk == size, size > 0 { return 0 }   // complete; only the checks remain
        if !FileManager.default.fileExists(atPath: partial.path), !FileManager.default.createFile(atPath: partial.path, contents: nil) {
            throw .fileSystem(path: partial.path, reason: "cannot create the file")
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: partial)
            try handle.seekToEnd()
        } catch {
            throw .fileSystem(path: partial.path, reason: "cannot open the file: \(error.localizedDescription)")
        }
        defer { try? handle.close() }

        let sink = Sink(handle: handle, path: partial.path, onDisk: onDisk, total: metadata.size, report: report)
        var headers = self.headers(for: metadata.location)
        if onDisk > 0 { headers["Range"] = "bytes=\(onDisk)-" }
        report(.downloading, onDisk, metadata.size, onDisk)
        let reply: HTTPReply
        do {
            reply = try client.send("GET", metadata.location, headers: headers, followRedirects: true,
                                    receiver: BodyReceiver(begin: sink.begin, write: sink.write))
        } catch {
            switch error {
            case .receiver(let error): throw error
            case .transport(let reason, _):
                throw .interrupted(file: file, received: BlobDownload.size(of: partial), expected: metadata.size, reason: reason)
            }
        }
        if reply.status == 416, onDisk > 0 {
            // The server will not send from that offset: the partial file does not fit this blob.
            try? FileManager.default.removeItem(at: partial)
            throw .interrupted(file: file, received: 0, expected: metadata.size,
                               reason: "the server refused to resume (HTTP 416), so the partial file was deleted")
        }
        guard (200...299).contains(reply.status) else { throw HubStatus.error(for: reply, context(file)) }
        return sink.received
    }

    /// Size and SHA-256 against the metadata; a file that cannot be right is deleted.
    private func verify(_ file: String, _ metadata: FileMetadata, _ partial: URL, report: Report) throws(HubError) {
        let actual = BlobDownload.size(of: partial)
        if let expected = metadata.size, actual != expected {
            guard actual > expected else {
                throw .interrupted(file: file, received: actual, expected: expected, reason: "the connection closed early")
            }
            try? FileManager.default.removeItem(at: partial)
            throw .sizeMismatch(file: file, expected: expected, actual: actual)
        }
        guard metadata.isSHA256 else { return }
        report(.verifying, actual, metadata.size, 0)
        let digest: String
        do { digest = try SHA256.hex(ofFileAt: partial) } catch {
            throw .fileSystem(path: partial.path, reason: "cannot read the download back: \(error.localizedDescription)")
        }
        if digest != metadata.etag.lowercased() {
            try? FileManager.default.removeItem(at: partial)
            throw .checksumMismatch(file: file, expected: metadata.etag.lowercased(), actual: digest)
        }
    }

    // MARK: - 5. The link

    /// snapshots/<commit>/<file> → ../../blobs/<etag> (plus "../" per folder in `file`).
    private func link(_ pointer: URL, toBlob etag: String, file: String) throws(HubError) {
        try BlobDownload.createFolder(pointer.deletingLastPathComponent())
        let depth = file.split(separator: "/").count - 1
        let destination = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        try? FileManager.default.removeItem(at: pointer)   // a dangling link from a deleted blob
        do {
            try FileManager.default.createSymbolicLink(atPath: pointer.path, withDestinationPath: destination)
        } catch {
            throw .fileSystem(path: pointer.path, reason: "cannot create the link to blobs/\(etag): \(error.localizedDescription)")
        }
    }

    // MARK: - Helpers

    /// The token goes to the hub's own origin only, never to a CDN.
    private func headers(for url: URL) -> [String: String] {
        guard let token, Origin(url) == Origin(endpoint) else { return [:] }
        return ["Authorization": "Bearer \(token)"]
    }

    private func context(_ file: String) -> HubStatus.Context {
        HubStatus.Context(repoID: repoID, revision: commit, file: file, endpoint: HubDownloader.display(endpoint), sentToken: token != nil)
    }

    static func size(of url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func createFolder(_ url: URL) throws(HubError) {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw .fileSystem(path: url.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}

/// Writes a reply's body to the partial file and counts it. Its methods run on URLSession's
/// delegate queue, one at a time; `received` is read after the transfer has finished.
private final class Sink: @unchecked Sendable {
    private let handle: FileHandle
    private let path: String
    private let total: Int64?
    private let report: BlobDownload.Report
    private var onDisk: Int64
    private var resumedFrom: Int64
    private(set) var received: Int64 = 0

    init(handle: FileHandle, path: String, onDisk: Int64, total: Int64?, report: @escaping BlobDownload.Report) {
        self.handle = handle
        self.path = path
        self.onDisk = onDisk
        self.resumedFrom = onDisk
        self.total = total
        self.report = report
    }

    /// A 206 must continue exactly where the file ends; a 200 is the whole file, so start over.
    func begin(_ reply: HTTPReply) throws(HubError) {
        if reply.status == 206 {
            let start = reply.header("content-range").flatMap(Sink.rangeStart)
            guard start == onDisk else {
                throw .unexpectedResponse(url: reply.url.absoluteString,
                                          problem: "asked for bytes from \(onDisk), got Content-Range \(reply.header("content-range") ?? "none")")
            }
        } else if onDisk > 0 {
            do { try handle.truncate(atOffset: 0) } catch {
                throw .fileSystem(path: path, reason: "cannot truncate the partial file: \(error.localizedDescription)")
            }
            onDisk = 0
            resumedFrom = 0
        }
    }

    func write(_ data: Data) throws(HubError) {
        do { try handle.write(contentsOf: data) } catch {
            throw .fileSystem(path: path, reason: "cannot write the download: \(error.localizedDescription)")
        }
        onDisk += Int64(data.count)
        received += Int64(data.count)
        report(.downloading, onDisk, total, resumedFrom)
    }

    /// "bytes 100-199/200" → 100.
    static func rangeStart(_ contentRange: String) -> Int64? {
        let spec = contentRange.trimmingCharacters(in: .whitespaces)
        guard spec.hasPrefix("bytes ") else { return nil }
        return spec.dropFirst(6).split(separator: "-").first.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    }
}
