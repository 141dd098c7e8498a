// An HTTP error from the hub, as the HubError a user can act on. The hub says what went wrong
// in an `X-Error-Code` header (RepoNotFound, GatedRepo, RevisionNotFound, EntryNotFound) and
// a human message in `X-Error-Message` or a JSON body {"error": "..."}; huggingface_hub's
// `hf_raise_for_status` (utils/_http.py) turns them into its exception classes the same way.
// Without a code, the status decides: 401/403 refused, 404 not found.
//
// Note the hub answers 401, not 404, for a repository that does not exist when no token is
// sent (so that private names do not leak); its code is then RepoNotFound.
//
// Departures from the reference: no separate classes for "disabled", "bad request" or egress
// limits — they keep the hub's own message (`httpError`).
import Foundation

/// HTTP errors from the hub, as HubError.
///
/// ```swift
/// let context = HubStatus.Context(repoID: "acme/tiny", revision: "main", file: nil, endpoint: "https://huggingface.co", sentToken: false)
/// HubStatus.error(for: reply, context)   // .repoNotFound(...), .accessDenied(...), …
/// ```
enum HubStatus {
    /// What was being asked for, for the message.
    struct Context: Sendable {
        var repoID: String
        var revision: String
        /// The file, for a resolve request; nil for the repository's API.
        var file: String?
        var endpoint: String
        var sentToken: Bool
    }

    /// The error for a non-2xx `reply`.
    static func error(for reply: HTTPReply, _ context: Context) -> HubError {
        switch reply.header("x-error-code") {
        case "RepoNotFound":
            return .repoNotFound(repoID: context.repoID, revision: context.revision, endpoint: context.endpoint, sentToken: context.sentToken)
        case "GatedRepo":
            return .accessDenied(repoID: context.repoID, status: reply.status, gated: true, sentToken: context.sentToken, endpoint: context.endpoint)
        case "RevisionNotFound":
            return .revisionNotFound(repoID: context.repoID, revision: context.revision)
        case "EntryNotFound":
            return .fileNotFound(repoID: context.repoID, revision: context.revision, file: context.file ?? "")
        default:
            break
        }
        switch reply.status {
        case 401, 403:
            return .accessDenied(repoID: context.repoID, status: reply.status, gated: false, sentToken: context.sentToken, endpoint: context.endpoint)
        case 404:
            if let file = context.file { return .fileNotFound(repoID: context.repoID, revision: context.revision, file: file) }
            return .repoNotFound(repoID: context.repoID, revision: context.revision, endpoint: context.endpoint, sentToken: context.sentToken)
        default:
            return .httpError(url: reply.url.absoluteString, status: reply.status, message: message(of: reply))
        }
    }

    /// The hub's explanation: X-Error-Message, a JSON body's "error", or the start of the body.
    static func message(of reply: HTTPReply) -> String {
        if let message = reply.header("x-error-message"), !message.isEmpty { return message }
        if let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any], let message = object["error"] as? String {
            return message
        }
        let text = String(decoding: reply.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
}
