// From what a user types to a model folder. Hugging Face's `from_pretrained(name_or_path)`
// decides the same way: an existing folder wins, otherwise the text is a hub name and the
// files come from the cache (transformers' `cached_file` → huggingface_hub's
// `try_to_load_from_cache`: refs/<revision> → snapshots/<commit>).
//
// Departures from the reference: nothing is downloaded here (Python would fetch a missing
// model); a missing model is an error that says how to download it (`lectern lab pull`).
import Foundation

/// Finds a model folder by path or by hub name.
///
/// ```swift
/// let folder = try ModelLocator.resolve("sentence-transformers/all-MiniLM-L6-v2")   // from the hub cache
/// let local = try ModelLocator.resolve("~/models/tiny-bert")                        // a folder, used as is
/// let pinned = try ModelLocator.resolve("acme/tiny-bert", revision: "v1.0")
/// ```
public enum ModelLocator {
    /// A directory path (absolute/relative, ~ expanded) is used as is; otherwise "ORG/NAME" (or "NAME") is looked up in the cache.
    ///
    /// An existing folder wins over a cached model of the same name, as in Python. Errors:
    /// a path that is a file (``HubError/notAFolder(path:)``), a path that does not exist and
    /// is not a repository name (``HubError/folderNotFound(path:)``), a name not in the cache
    /// (``HubError/modelNotFound(name:lookedIn:)``) or cached at other revisions only
    /// (``HubError/revisionNotCached(repoID:revision:repoFolder:cached:)``).
    ///
    /// ```swift
    /// try ModelLocator.resolve("/data/models/bert")        // file:///data/models/bert/
    /// try ModelLocator.resolve("acme/tiny-bert")           // …/hub/models--acme--tiny-bert/snapshots/<commit>/
    /// try ModelLocator.resolve("acme/missing")             // throws .modelNotFound
    /// ```
    public static func resolve(_ nameOrPath: String, revision: String = "main", cache: HubCache = .standard()) throws(HubError) -> URL {
        try resolve(nameOrPath, revision: revision, cache: cache, environment: ProcessInfo.processInfo.environment,
                    currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    }

    /// `resolve` with the environment (for "~") and the current folder given, for tests.
    static func resolve(_ nameOrPath: String, revision: String, cache: HubCache, environment: [String: String],
                        currentDirectory: URL) throws(HubError) -> URL {
        let expanded = HubCache.expandingTilde(nameOrPath, environment: environment)
        let base = URL(fileURLWithPath: currentDirectory.path, isDirectory: true)   // a base without the flag drops its last part
        let url = URL(fileURLWithPath: expanded, isDirectory: true, relativeTo: base).absoluteURL.standardizedFileURL
        var isDirectory: ObjCBool = false
        if !nameOrPath.isEmpty, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notAFolder(path: nameOrPath) }
            return url
        }
        let looksLikePath = nameOrPath.hasPrefix("/") || nameOrPath.hasPrefix(".") || nameOrPath.hasPrefix("~")
        guard !looksLikePath, RepoID.isValid(nameOrPath) else { throw .folderNotFound(path: nameOrPath) }
        guard RepoID.isValidRevision(revision) else { throw .invalidRevision(revision) }
        if let snapshot = cache.snapshot(nameOrPath, revision: revision) { return snapshot }
        let folder = cache.repoFolder(nameOrPath)
        let cached = cache.cachedRevisions(nameOrPath)
        if !cached.isEmpty {
            throw .revisionNotCached(repoID: nameOrPath, revision: revision, repoFolder: folder, cached: cached)
        }
        throw .modelNotFound(name: nameOrPath, lookedIn: folder)
    }
}
