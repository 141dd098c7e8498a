// A whole pull: a repository at a revision into the cache — huggingface_hub's
// `snapshot_download` (_snapshot_download.py), one file after another:
//   1. GET /api/models/{repo}/revision/{revision}: the commit hash and the file list
//      (HubRepositoryInfo).
//   2. Choose the files (HubFileSelection). A sharded checkpoint's index is fetched first,
//      and the shards it lists join the list.
//   3. Fetch each file at the commit hash (BlobDownload), so every file is from one version.
//   4. Record refs/<revision> → the commit, last: a pull interrupted half-way leaves the ref
//      at the snapshot that was complete, and ModelLocator never finds a half-filled folder.
// The endpoint is HF_ENDPOINT (default https://huggingface.co), the token HF_TOKEN (or the
// file `huggingface-cli login` writes), as in huggingface_hub's constants.py and utils/_auth.py.
//
// Departures from the reference: one file at a time (Python uses 8 threads — the speed of one
// connection is usually the limit for the few large files a model has); no offline fallback to
// an already-cached snapshot (ModelLocator finds it without a pull); refs are written after the
// files, not before; by default a model folder's files, not all files.
import Foundation

/// Downloads models from the Hugging Face hub into the local cache, in huggingface_hub's layout.
///
/// ```swift
/// let downloader = HubDownloader.standard()          // HF_ENDPOINT, HF_TOKEN, the standard cache
/// let snapshot = try downloader.download("sentence-transformers/all-MiniLM-L6-v2")
/// snapshot.folder      // …/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<commit>
/// try ModelLocator.resolve("sentence-transformers/all-MiniLM-L6-v2") == snapshot.folder   // true
/// ```
public struct HubDownloader: Sendable {
    /// Where the files go.
    public var cache: HubCache
    /// The hub's base URL, such as "https://huggingface.co" or a mirror.
    public var endpoint: String
    /// An access token for gated and private repositories, sent as `Authorization: Bearer`
    /// to the endpoint (never to the CDN a large file is redirected to).
    public var token: String?
    /// Seconds without any data after which a request is given up.
    public var timeout: TimeInterval = 30
    /// How many times a broken download is resumed before giving up (attempts that make
    /// progress do not count).
    public var retries = 3
    /// Seconds to wait before resuming.
    public var retryDelay: TimeInterval = 1

    /// The public hub.
    public static let defaultEndpoint = "https://huggingface.co"

    /// A downloader into `cache` from `endpoint`, with an optional access token.
    ///
    /// ```swift
    /// var downloader = HubDownloader(cache: HubCache(root: URL(fileURLWithPath: "/data/hub")), token: "hf_…")
    /// downloader.retries = 0
    /// ```
    public init(cache: HubCache = .standard(), endpoint: String = HubDownloader.defaultEndpoint, token: String? = nil) {
        self.cache = cache
        self.endpoint = endpoint
        self.token = token
    }

    /// The downloader huggingface_hub would be with this environment: the standard cache
    /// (`HubCache.standard`), `HF_ENDPOINT` (else https://huggingface.co), and the token from
    /// `HF_TOKEN` (or the legacy `HUGGING_FACE_HUB_TOKEN`), else the file at `HF_TOKEN_PATH`,
    /// else `$HF_HOME/token` (written by `huggingface-cli login`).
    ///
    /// ```swift
    /// let downloader = HubDownloader.standard(environment: ["HF_ENDPOINT": "https://hf-mirror.com", "HF_TOKEN": "hf_…"])
    /// downloader.endpoint   // "https://hf-mirror.com"
    /// ```
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> HubDownloader {
        func nonEmpty(_ key: String) -> String? {
            environment[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let tokenFile = nonEmpty("HF_TOKEN_PATH").map { HubCache.fileURL($0, environment: environment) }
            ?? HubCache.huggingFaceHome(environment: environment).appendingPathComponent("token")
        let savedToken = FileManager.default.contents(atPath: tokenFile.path)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
        return HubDownloader(cache: .standard(environment: environment), endpoint: nonEmpty("HF_ENDPOINT") ?? defaultEndpoint,
                             token: nonEmpty("HF_TOKEN") ?? nonEmpty("HUGGING_FACE_HUB_TOKEN") ?? savedToken)
    }

    /// The commit `revision` resolves to and the repository's files there.
    ///
    /// ```swift
    /// let info = try HubDownloader.standard().repositoryInfo("acme/tiny-bert", revision: "v1.0")
    /// info.commit   // 40 hex digits
    /// ```
    public func repositoryInfo(_ repoID: String, revision: String = "main") throws(HubError) -> HubRepositoryInfo {
        let endpoint = try validatedEndpoint()
        try Self.check(repoID, revision)
        let url = Self.url(endpoint, "api/models/\(repoID)/revision/\(Self.encode(revision, keepingSlashes: false))")
        let reply: HTTPReply
        do { reply = try client.send("GET", url, headers: authorization(for: url, endpoint: endpoint), followRedirects: true) }
        catch { throw Self.hubError(error, endpoint: endpoint) }
        guard (200...299).contains(reply.status) else {
            throw HubStatus.error(for: reply, HubStatus.Context(repoID: repoID, revision: revision, file: nil,
                                                                endpoint: Self.display(endpoint), sentToken: token != nil))
        }
        guard let info = HubRepositoryInfo(json: reply.body) else {
            throw .unexpectedResponse(url: url.absoluteString, problem: "the reply is not the hub's JSON with \"sha\" and \"siblings\"")
        }
        guard FileMetadata.isSafeBlobName(info.commit) else {
            throw .unexpectedResponse(url: url.absoluteString, problem: "the commit \"\(info.commit)\" cannot name a folder")
        }
        return info
    }

    /// Downloads the `files` of `repoID` at `revision` into the cache and returns the snapshot.
    /// Files already in the cache are not downloaded again, and a download interrupted earlier
    /// (Ctrl-C, a lost connection) resumes from its `.incomplete` file. `progress` is called
    /// from the thread that receives the bytes.
    ///
    /// ```swift
    /// let snapshot = try HubDownloader.standard().download("google-bert/bert-base-uncased") { progress in
    ///     if progress.phase == .finished { print("got \(progress.file)") }
    /// }
    /// print(snapshot.folder.path, snapshot.downloadedFiles.count)
    /// ```
    @discardableResult
    public func download(_ repoID: String, revision: String = "main", files selection: HubFileSelection = .modelFolder,
                         progress: (@Sendable (HubDownloadProgress) -> Void)? = nil) throws(HubError) -> HubSnapshot {
        let endpoint = try validatedEndpoint()
        let info = try repositoryInfo(repoID, revision: revision)
        var files = selection.files(in: info.files)
        if selection == .modelFolder, let index = files.firstIndex(of: HubFileSelection.weightIndex) {
            files.insert(files.remove(at: index), at: 0)   // first, so the file count is known early
        }
        guard !files.isEmpty else {
            let patterns: [String]
            if case .matching(let globs) = selection { patterns = globs } else { patterns = ["the model folder's files (config.json, model.safetensors, tokenizer files)"] }
            throw .noFilesSelected(repoID: repoID, patterns: patterns, available: info.files)
        }
        let fetcher = BlobDownload(cache: cache, client: client, repoID: repoID, commit: info.commit, endpoint: endpoint,
                                   token: token, retries: max(0, retries), retryDelay: retryDelay)
        var downloaded: [String] = []
        var bytes: Int64 = 0
        var position = 0
        while position < files.count {
            let file = files[position]
            guard Self.isSafeRelativePath(file) else {
                throw .unexpectedResponse(url: Self.display(endpoint), problem: "the file name \"\(file)\" is not a safe relative path")
            }
            let (number, count) = (position + 1, files.count)
            let outcome = try fetcher.fetch(file) { phase, onDisk, total, resumedFrom in
                progress?(HubDownloadProgress(file: file, fileNumber: number, fileCount: count, phase: phase,
                                              bytes: onDisk, totalBytes: total, resumedFrom: resumedFrom))
            }
            if case .downloaded(let received) = outcome {
                downloaded.append(file)
                bytes += received
            }
            if selection == .modelFolder, file == HubFileSelection.weightIndex {
                files += try shards(listedIn: file, commit: info.commit, repoID: repoID).filter { !files.contains($0) }
            }
            position += 1
        }
        if revision != info.commit { try recordRef(repoID, revision: revision, commit: info.commit) }
        return HubSnapshot(folder: cache.snapshotFolder(repoID, commit: info.commit), commit: info.commit, files: files,
                           downloadedFiles: downloaded, downloadedBytes: bytes)
    }

    // MARK: - Steps

    private var client: HTTPClient { HTTPClient(idleTimeout: timeout) }

    /// The shards named by the downloaded index.
    private func shards(listedIn index: String, commit: String, repoID: String) throws(HubError) -> [String] {
        let url = cache.snapshotFolder(repoID, commit: commit).appendingPathComponent(index)
        guard let data = FileManager.default.contents(atPath: url.path), let shards = HubFileSelection.shards(inIndex: data) else {
            throw .unexpectedResponse(url: url.path, problem: "\(index) is not a safetensors index (a JSON object with a \"weight_map\")")
        }
        return shards
    }

    /// refs/<revision> := commit, atomically, and only when it changes (the cache may be shared
    /// read-only, as huggingface_hub's `_cache_commit_hash_for_specific_revision` notes).
    private func recordRef(_ repoID: String, revision: String, commit: String) throws(HubError) {
        guard cache.commit(repoID, revision: revision) != commit else { return }
        let file = cache.refFile(repoID, revision: revision)
        try BlobDownload.createFolder(file.deletingLastPathComponent())
        do { try Data(commit.utf8).write(to: file, options: .atomic) } catch {
            throw .fileSystem(path: file.path, reason: "cannot record the revision: \(error.localizedDescription)")
        }
    }

    private func authorization(for url: URL, endpoint: URL) -> [String: String] {
        guard let token, Origin(url) == Origin(endpoint) else { return [:] }
        return ["Authorization": "Bearer \(token)"]
    }

    private func validatedEndpoint() throws(HubError) -> URL {
        var text = endpoint.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host?.isEmpty == false else { throw .invalidEndpoint(endpoint) }
        return url
    }

    // MARK: - URLs and errors, shared with BlobDownload

    /// `{endpoint}/{repo}/resolve/{revision}/{file}`, as huggingface_hub's `hf_hub_url`.
    static func resolveURL(_ endpoint: URL, repoID: String, revision: String, file: String) -> URL {
        url(endpoint, "\(repoID)/resolve/\(encode(revision, keepingSlashes: false))/\(encode(file, keepingSlashes: true))")
    }

    static func url(_ endpoint: URL, _ path: String) -> URL {
        URL(string: display(endpoint) + "/" + path) ?? endpoint.appendingPathComponent(path)
    }

    /// Percent-encodes all but letters, digits and "-._~" (Python's `quote(…, safe="")`),
    /// and "/" too when `keepingSlashes`.
    static func encode(_ text: String, keepingSlashes: Bool) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + (keepingSlashes ? "/" : ""))
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The endpoint as users write it, without a trailing "/".
    static func display(_ endpoint: URL) -> String {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func hubError(_ failure: HTTPFailure, endpoint: URL) -> HubError {
        switch failure {
        case .transport(let reason, _): .cannotReach(endpoint: display(endpoint), reason: reason)
        case .receiver(let error): error
        }
    }

    static func check(_ repoID: String, _ revision: String) throws(HubError) {
        guard RepoID.isValid(repoID) else { throw .invalidRepoID(repoID) }
        guard RepoID.isValidRevision(revision) else { throw .invalidRevision(revision) }
    }

    /// A repository path that stays inside the snapshot folder (huggingface_hub's
    /// `_validate_relative_filename`): no leading "/", no "..", ".", or empty parts.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}

/// The result of a pull: the snapshot folder (a model folder to load) and what was done.
///
/// ```swift
/// let snapshot = try HubDownloader.standard().download("acme/tiny-bert")
/// print(snapshot.folder.path)                       // the folder to pass to a model loader
/// print("\(snapshot.downloadedFiles.count) of \(snapshot.files.count) files downloaded")
/// ```
public struct HubSnapshot: Sendable, Equatable {
    /// `snapshots/<commit>` in the cache.
    public var folder: URL
    /// The commit the revision resolved to.
    public var commit: String
    /// Every file the pull took, in the order fetched.
    public var files: [String]
    /// The files that were downloaded (the others were already in the cache).
    public var downloadedFiles: [String]
    /// Bytes received by this pull (resumed parts count once).
    public var downloadedBytes: Int64

    /// A snapshot description (for tests and custom downloaders).
    ///
    /// ```swift
    /// HubSnapshot(folder: folder, commit: commit, files: ["config.json"], downloadedFiles: [], downloadedBytes: 0)
    /// ```
    public init(folder: URL, commit: String, files: [String], downloadedFiles: [String], downloadedBytes: Int64) {
        self.folder = folder
        self.commit = commit
        self.files = files
        self.downloadedFiles = downloadedFiles
        self.downloadedBytes = downloadedBytes
    }
}
