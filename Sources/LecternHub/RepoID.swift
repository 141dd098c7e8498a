// Repository names ("ORG/NAME" or "NAME") and revision names, checked before they become parts
// of a path or a URL. The rules are huggingface_hub's `validate_repo_id`
// (utils/_validators.py): one or two parts, each 1–96 ASCII letters, digits, "-", "_" or ".",
// starting and ending with a letter, digit or "_", with no "--" or ".." and no ".git" ending.
// The folder name is `repo_folder_name` (file_download.py): "models--" + the parts joined by
// "--" — which is why "--" cannot appear inside a name.
//
// Departures from the reference: only model repositories (no datasets--/spaces--); a revision
// is checked for path safety (no "..", no leading "/") because it names a file under refs/.

/// Names of hub repositories and revisions.
///
/// ```swift
/// RepoID.isValid("sentence-transformers/all-MiniLM-L6-v2")   // true
/// RepoID.isValid("gpt2")                                       // true
/// RepoID.isValid("./models/bert")                              // false: a path
/// RepoID.folderName("google-bert/bert-base-uncased")          // "models--google-bert--bert-base-uncased"
/// ```
enum RepoID {
    /// Whether `name` is a hub repository name, "ORG/NAME" or "NAME".
    static func isValid(_ name: String) -> Bool {
        guard !name.contains("--"), !name.contains(".."), !name.hasSuffix(".git") else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            guard (1...96).contains(part.count), let first = part.unicodeScalars.first, let last = part.unicodeScalars.last,
                  isWordCharacter(first), isWordCharacter(last) else { return false }
            return part.unicodeScalars.allSatisfy { isWordCharacter($0) || $0 == "-" || $0 == "." }
        }
    }

    /// "models--ORG--NAME": the repository's folder in the cache.
    static func folderName(_ repoID: String) -> String {
        (["models"] + repoID.split(separator: "/").map(String.init)).joined(separator: "--")
    }

    /// Whether `revision` (a branch, a tag such as "v1.0", "refs/pr/1", or a commit hash) can
    /// safely name a file under refs/ and a URL path segment.
    static func isValidRevision(_ revision: String) -> Bool {
        guard !revision.isEmpty, !revision.hasPrefix("/"), !revision.hasSuffix("/"), !revision.contains("\\") else { return false }
        return revision.split(separator: "/").allSatisfy { $0 != ".." && $0 != "." && !$0.isEmpty }
            && revision.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    /// A full commit hash: 40 lowercase hex digits (huggingface_hub's REGEX_COMMIT_HASH).
    static func isCommitHash(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}
