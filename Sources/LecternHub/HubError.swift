// What can go wrong finding a model or downloading one, each case with the facts a user needs
// and the next thing to try. The message (`description`) is meant to be printed as is, after
// "lectern: " or inside another error; it names paths, URLs and files exactly.
//
// huggingface_hub raises a hierarchy of exceptions (RepositoryNotFoundError, GatedRepoError,
// RevisionNotFoundError, EntryNotFoundError, LocalEntryNotFoundError, …; utils/_errors.py);
// here they are the cases of one enum, so a caller can switch over them and `throws(HubError)`
// says exactly what a function can throw.
//
// Departures from the reference: one enum instead of exception classes, and every message says
// what to do next (Python's messages mostly say what happened).
import Foundation

/// Why a model could not be found or downloaded.
///
/// ```swift
/// do { _ = try ModelLocator.resolve("acme/missing") } catch {
///     print(error)   // no model directory or cached model named 'acme/missing' (looked in …); download it with …
///     if case .modelNotFound(let name, _) = error { print(name) }   // acme/missing
/// }
/// ```
public enum HubError: Error, CustomStringConvertible, Equatable, Sendable {
    // Finding a model on disk.

    /// Neither a folder nor a cached model has this name; `lookedIn` is the repository folder
    /// in the cache that would hold it.
    case modelNotFound(name: String, lookedIn: URL)
    /// The model is cached, but not at this revision; `cached` lists what is (refs and snapshots).
    case revisionNotCached(repoID: String, revision: String, repoFolder: URL, cached: [String])
    /// A path that exists but is a file, not a model folder.
    case notAFolder(path: String)
    /// A path (it starts with /, ., or ~, or is not a repository name) that does not exist.
    case folderNotFound(path: String)

    // Names and settings.

    /// Not "ORG/NAME" or "NAME" (letters, digits, "-", "_", "."; no "--" or "..").
    case invalidRepoID(String)
    /// A revision that cannot name a branch, tag or commit (empty, "..", a leading "/").
    case invalidRevision(String)
    /// The endpoint (HF_ENDPOINT or --endpoint) is not an http(s) URL.
    case invalidEndpoint(String)

    // Talking to the hub.

    /// No answer at all: no network, DNS, refused connection, TLS, or a timeout.
    case cannotReach(endpoint: String, reason: String)
    /// HTTP 401/403: a gated or private repository, and no token or a token without access.
    case accessDenied(repoID: String, status: Int, gated: Bool, sentToken: Bool, endpoint: String)
    /// HTTP 404 (or the hub's RepoNotFound): no such repository, or it is private.
    case repoNotFound(repoID: String, revision: String, endpoint: String, sentToken: Bool)
    /// The repository exists but has no such branch, tag or commit.
    case revisionNotFound(repoID: String, revision: String)
    /// The repository has no such file at this revision.
    case fileNotFound(repoID: String, revision: String, file: String)
    /// Any other HTTP error status, with the hub's message when it sent one.
    case httpError(url: String, status: Int, message: String)
    /// An answer that is not what a Hugging Face hub sends (a missing header, invalid JSON).
    case unexpectedResponse(url: String, problem: String)

    // Files.

    /// The connection broke off during a download; the partial file is kept to resume from.
    case interrupted(file: String, received: Int64, expected: Int64?, reason: String)
    /// The downloaded bytes do not have the SHA-256 the hub announced; the file was deleted.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The downloaded file is larger than the hub announced; the file was deleted.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// Reading or writing the cache failed; `reason` says what was attempted ("cannot create
    /// the folder: Permission denied").
    case fileSystem(path: String, reason: String)
    /// The selection (the model-folder files, or --include patterns) matched no file.
    case noFilesSelected(repoID: String, patterns: [String], available: [String])

    /// The message to show, one line, with what to do next.
    public var description: String {
        switch self {
        case let .modelNotFound(name, folder):
            return "no model directory or cached model named '\(name)' (looked in \(folder.path)); "
                + "download it with `lectern lab pull \(name)`, or pass the folder that holds config.json"
        case let .revisionNotCached(repoID, revision, folder, cached):
            let have = cached.isEmpty ? "no snapshots" : "cached: " + cached.joined(separator: ", ")
            return "the cached model '\(repoID)' has no snapshot for revision '\(revision)' (\(have), in \(folder.path)); "
                + "download it with `lectern lab pull \(repoID) --revision \(revision)`"
        case let .notAFolder(path):
            return "'\(path)' is a file, not a model folder; pass the folder that holds config.json"
        case let .folderNotFound(path):
            return "no such model folder: '\(path)' (a model is a folder holding config.json, or a hub name ORG/NAME)"
        case let .invalidRepoID(name):
            return "'\(name)' is not a Hugging Face repository name: use ORG/NAME or NAME, with letters, digits, '-', '_' and '.' (no '--' or '..')"
        case let .invalidRevision(revision):
            return "'\(revision)' is not a revision: use a branch, a tag or a commit hash (no '..', no leading '/')"
        case let .invalidEndpoint(endpoint):
            return "'\(endpoint)' is not an http(s) URL; set HF_ENDPOINT (or --endpoint) to a hub such as https://huggingface.co"
        case let .cannotReach(endpoint, reason):
            return "cannot reach \(endpoint): \(reason); check your connection or set HF_ENDPOINT"
        case let .accessDenied(repoID, status, gated, sentToken, endpoint):
            let what = gated ? "is gated" : "is gated or private"
            let next = sentToken
                ? "the token that was sent (HF_TOKEN, or the token file of `huggingface-cli login`) has no access: request access on \(endpoint)/\(repoID) and use a token with read permission"
                : "request access on \(endpoint)/\(repoID) if it is gated, then set HF_TOKEN to an access token (\(endpoint)/settings/tokens)"
            return "access to '\(repoID)' was refused (HTTP \(status)): the repository \(what); \(next)"
        case let .repoNotFound(repoID, revision, endpoint, sentToken):
            let privately = sentToken ? "" : "; if it is private, set HF_TOKEN to an access token that can read it"
            return "repository '\(repoID)' (revision '\(revision)') was not found on \(endpoint): check the name and the revision\(privately)"
        case let .revisionNotFound(repoID, revision):
            return "repository '\(repoID)' has no revision '\(revision)' (a branch, tag or commit hash); the default branch is usually 'main'"
        case let .fileNotFound(repoID, revision, file):
            return "'\(file)' is not in '\(repoID)' at revision '\(revision)'"
        case let .httpError(url, status, message):
            return "HTTP \(status) from \(url)" + (message.isEmpty ? "" : ": \(message)")
        case let .unexpectedResponse(url, problem):
            return "unexpected response from \(url): \(problem); if HF_ENDPOINT is set, check that it points to a Hugging Face hub"
        case let .interrupted(file, received, expected, reason):
            let progress = expected.map { "\(received) of \($0) bytes" } ?? "\(received) bytes"
            return "the download of \(file) stopped after \(progress) (\(reason)); run the same command again to resume"
        case let .checksumMismatch(file, expected, actual):
            return "\(file) is corrupt: its SHA-256 is \(actual), the hub announced \(expected); the download was deleted, run the same command again"
        case let .sizeMismatch(file, expected, actual):
            return "\(file) has \(actual) bytes, the hub announced \(expected); the download was deleted, run the same command again"
        case let .fileSystem(path, reason):
            return "\(path): \(reason)"
        case let .noFilesSelected(repoID, patterns, available):
            let files = available.isEmpty ? "no files" : available.prefix(20).joined(separator: ", ") + (available.count > 20 ? ", …" : "")
            return "no file of '\(repoID)' matches \(patterns.joined(separator: ", ")) (it has: \(files))"
        }
    }
}
