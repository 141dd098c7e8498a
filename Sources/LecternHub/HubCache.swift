// The Hugging Face hub cache on disk: where it is, and how a repository and a revision map to
// folders in it. Follows huggingface_hub's constants.py (the environment variables, in its
// order) and file_download.py (`repo_folder_name`, `try_to_load_from_cache`: a revision is read
// through refs/<revision>, or is itself a commit folder under snapshots/).
//
// Departures from the reference: an environment variable set to "" counts as unset (Python
// would use "" as a relative path); values get "~" expanded but not "$VAR" (Python also runs
// os.path.expandvars — a shell has normally done that already); model repositories only.
import Foundation

/// The local hub cache: the `hub` folder that `huggingface_hub` fills, holding one
/// `models--ORG--NAME` folder per repository.
///
/// ```swift
/// let cache = HubCache.standard()                    // ~/.cache/huggingface/hub, or as configured
/// cache.repoFolder("sentence-transformers/all-MiniLM-L6-v2").path
/// // "/home/me/.cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2"
/// if let folder = cache.snapshot("sentence-transformers/all-MiniLM-L6-v2") {
///     print(folder.appendingPathComponent("config.json").path)   // …/snapshots/<commit>/config.json
/// }
/// ```
public struct HubCache: Sendable {
    /// The `hub` folder itself (it holds the `models--…` folders).
    public let root: URL

    /// A cache at `root`, the folder that holds the `models--ORG--NAME` folders.
    ///
    /// ```swift
    /// let cache = HubCache(root: URL(fileURLWithPath: "/data/hf/hub"))
    /// ```
    public init(root: URL) {
        self.root = root
    }

    /// The cache `huggingface_hub` would use with this environment: `HF_HUB_CACHE` if set
    /// (or its legacy name `HUGGINGFACE_HUB_CACHE`); else `$HF_HOME/hub`; else
    /// `$XDG_CACHE_HOME/huggingface/hub`; else `~/.cache/huggingface/hub`. A leading `~` is the
    /// home folder (`HOME`).
    ///
    /// ```swift
    /// HubCache.standard(environment: ["HF_HOME": "/data/hf"]).root.path           // "/data/hf/hub"
    /// HubCache.standard(environment: ["HOME": "/home/me"]).root.path             // "/home/me/.cache/huggingface/hub"
    /// HubCache.standard(environment: ["HF_HUB_CACHE": "/ssd/hub", "HF_HOME": "/data/hf"]).root.path   // "/ssd/hub"
    /// ```
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> HubCache {
        if let hub = nonEmpty(environment["HF_HUB_CACHE"]) ?? nonEmpty(environment["HUGGINGFACE_HUB_CACHE"]) {
            return HubCache(root: fileURL(hub, environment: environment))
        }
        return HubCache(root: huggingFaceHome(environment: environment).appendingPathComponent("hub", isDirectory: true))
    }

    /// The repository's folder, `root/models--ORG--NAME` (it need not exist).
    ///
    /// ```swift
    /// HubCache(root: URL(fileURLWithPath: "/c/hub")).repoFolder("google-bert/bert-base-uncased").path
    /// // "/c/hub/models--google-bert--bert-base-uncased"
    /// HubCache(root: URL(fileURLWithPath: "/c/hub")).repoFolder("gpt2").path   // "/c/hub/models--gpt2"
    /// ```
    public func repoFolder(_ repoID: String) -> URL {
        root.appendingPathComponent(RepoID.folderName(repoID), isDirectory: true)
    }

    /// The snapshot folder of `repoID` at `revision`, or nil when the cache does not hold it.
    /// A branch or tag is read through `refs/<revision>` (a file holding a commit hash, written
    /// by every download); a commit hash is also found as a folder under `snapshots/` directly.
    ///
    /// ```swift
    /// cache.snapshot("acme/tiny-bert")                 // …/models--acme--tiny-bert/snapshots/<refs/main>
    /// cache.snapshot("acme/tiny-bert", revision: "v1") // via refs/v1
    /// cache.snapshot("acme/tiny-bert", revision: "0123456789abcdef0123456789abcdef01234567")
    /// ```
    public func snapshot(_ repoID: String, revision: String = "main") -> URL? {
        guard RepoID.isValid(repoID), RepoID.isValidRevision(revision) else { return nil }
        if let commit = commit(repoID, revision: revision), let folder = existingSnapshot(repoID, commit) { return folder }
        // Not a ref: the revision may be a commit folder itself. ("main" could also be a folder
        // name only if someone made it by hand; huggingface_hub looks the same way.)
        return revision.contains("/") ? nil : existingSnapshot(repoID, revision)
    }

    // MARK: - The layout, for the downloader and the locator

    /// `refs/<revision>`: the file holding the commit a branch or tag pointed at when last downloaded.
    func refFile(_ repoID: String, revision: String) -> URL {
        repoFolder(repoID).appendingPathComponent("refs", isDirectory: true).appendingPathComponent(revision)
    }

    /// The commit hash recorded in refs/<revision>, if any.
    func commit(_ repoID: String, revision: String) -> String? {
        guard let data = FileManager.default.contents(atPath: refFile(repoID, revision: revision).path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || text.contains("/") ? nil : text
    }

    /// `snapshots/<commit>`: the folder of symlinks that is the model folder.
    func snapshotFolder(_ repoID: String, commit: String) -> URL {
        repoFolder(repoID).appendingPathComponent("snapshots", isDirectory: true).appendingPathComponent(commit, isDirectory: true)
    }

    /// `blobs/<etag>`: a file's bytes, named by the hash the hub gave as its ETag.
    func blob(_ repoID: String, etag: String) -> URL {
        repoFolder(repoID).appendingPathComponent("blobs", isDirectory: true).appendingPathComponent(etag)
    }

    /// What the cache holds for `repoID`: "ref → commit" for each ref, then the snapshot
    /// folders, for error messages.
    func cachedRevisions(_ repoID: String) -> [String] {
        let manager = FileManager.default
        let refsFolder = repoFolder(repoID).appendingPathComponent("refs", isDirectory: true)
        let refs = (manager.subpaths(atPath: refsFolder.path) ?? []).sorted().compactMap { name -> String? in
            commit(repoID, revision: name).map { "\(name) → \($0)" }
        }
        let snapshots = (try? manager.contentsOfDirectory(atPath: repoFolder(repoID).appendingPathComponent("snapshots").path)) ?? []
        return refs + snapshots.sorted().map { "snapshots/\($0)" }
    }

    private func existingSnapshot(_ repoID: String, _ commit: String) -> URL? {
        let folder = snapshotFolder(repoID, commit: commit)
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue ? folder : nil
    }

    // MARK: - Environment

    /// `HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`: the folder
    /// holding `hub/` and the login token.
    static func huggingFaceHome(environment: [String: String]) -> URL {
        if let home = nonEmpty(environment["HF_HOME"]) { return fileURL(home, environment: environment) }
        let cache = nonEmpty(environment["XDG_CACHE_HOME"]) ?? "~/.cache"
        return fileURL(cache, environment: environment).appendingPathComponent("huggingface", isDirectory: true)
    }

    /// `path` with a leading "~" or "~/" replaced by the home folder (`HOME`, else the
    /// account's home), as a file URL (relative paths are taken from the current folder).
    static func fileURL(_ path: String, environment: [String: String]) -> URL {
        URL(fileURLWithPath: expandingTilde(path, environment: environment)).standardizedFileURL
    }

    /// "~/x" → "/home/me/x"; "~" → "/home/me"; anything else unchanged ("~user" is not expanded).
    static func expandingTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = nonEmpty(environment["HOME"]) ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + path.dropFirst()
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }
}
