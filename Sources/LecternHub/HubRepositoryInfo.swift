// Which commit a revision is, and which files the repository has there: the answer to
// `GET {endpoint}/api/models/{repo}/revision/{revision}`, JSON with "sha" (the commit hash)
// and "siblings": [{"rfilename": "config.json"}, …]. huggingface_hub's `snapshot_download`
// starts the same way (`HfApi.repo_info`), then downloads every file at that commit hash —
// not at "main" — so that a push during a long download cannot mix two versions.
//
// Departures from the reference: only "sha" and "siblings" are read.
import Foundation

/// A repository at one revision: its commit and its files.
///
/// ```swift
/// let info = try HubDownloader.standard().repositoryInfo("sentence-transformers/all-MiniLM-L6-v2")
/// info.commit   // "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
/// info.files    // ["1_Pooling/config.json", "README.md", "config.json", "model.safetensors", …]
/// ```
public struct HubRepositoryInfo: Sendable, Equatable {
    /// The commit hash the revision resolved to.
    public var commit: String
    /// Every file's path in the repository, as the hub lists them.
    public var files: [String]

    /// Repository information (for tests and custom downloaders).
    ///
    /// ```swift
    /// HubRepositoryInfo(commit: "0123456789abcdef0123456789abcdef01234567", files: ["config.json"])
    /// ```
    public init(commit: String, files: [String]) {
        self.commit = commit
        self.files = files
    }

    /// Reads the API's JSON; nil when it lacks "sha" or "siblings".
    init?(json: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let sha = object["sha"] as? String, !sha.isEmpty,
              let siblings = object["siblings"] as? [[String: Any]] else { return nil }
        self.init(commit: sha, files: siblings.compactMap { $0["rfilename"] as? String })
    }
}
