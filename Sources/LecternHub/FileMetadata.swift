// What the hub says about one file before it is downloaded: the answer to
// `HEAD {endpoint}/{repo}/resolve/{revision}/{file}`, redirects not followed. This is
// huggingface_hub's `get_hf_file_metadata` (file_download.py):
//   X-Repo-Commit                   the commit the revision resolved to
//   X-Linked-Etag, else ETag        the file's hash: for a Git LFS file (weights) the hub
//                                   answers 302 to a CDN, and X-Linked-Etag is the SHA-256 of
//                                   the content; for a small file in git it is the git blob hash
//   X-Linked-Size, else Content-Length   the size (Content-Length of a 302 is the redirect's own)
//   Location                        where the bytes are (a 302's target), else the same URL
// The ETag names the blob in the cache, which is why it is normalized the way Python does it
// (`_normalize_etag`: drop a weak "W/" prefix and the quotes) — the two must agree on names.
//
// Departures from the reference: the ETag is checked to be a safe file name (letters, digits,
// "-", "_", "." and no leading "."), since it becomes one.
import Foundation

/// A file's commit, hash, size and download URL, from the hub's HEAD reply.
///
/// ```swift
/// let metadata = try FileMetadata(reply: reply)
/// metadata.etag          // "3f1a…" (64 hex digits: a SHA-256 to check the download against)
/// metadata.location      // the CDN URL of an LFS file
/// ```
struct FileMetadata: Sendable, Equatable {
    /// The commit hash the revision resolved to.
    var commit: String
    /// The normalized ETag: the blob's name in the cache.
    var etag: String
    /// The size in bytes, when the hub gave it.
    var size: Int64?
    /// Where to GET the bytes.
    var location: URL

    /// Whether the ETag is a SHA-256 (64 hex digits), which the download is checked against.
    var isSHA256: Bool {
        etag.utf8.count == 64 && etag.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
    }

    init(commit: String, etag: String, size: Int64?, location: URL) {
        self.commit = commit
        self.etag = etag
        self.size = size
        self.location = location
    }

    /// The metadata in a HEAD `reply` (2xx, or a 3xx that carries the hub's headers).
    init(reply: HTTPReply) throws(HubError) {
        let url = reply.url.absoluteString
        guard let commit = reply.header("x-repo-commit"), !commit.isEmpty else {
            throw .unexpectedResponse(url: url, problem: "no X-Repo-Commit header, so this is not a Hugging Face hub")
        }
        guard let raw = reply.header("x-linked-etag") ?? reply.header("etag") else {
            throw .unexpectedResponse(url: url, problem: "no ETag header, so the file's version is unknown")
        }
        let etag = FileMetadata.normalizeETag(raw)
        guard FileMetadata.isSafeBlobName(etag) else {
            throw .unexpectedResponse(url: url, problem: "the ETag \(raw) cannot name a file in the cache")
        }
        self.commit = commit
        self.etag = etag
        let redirect = reply.redirectTarget
        self.size = (reply.header("x-linked-size") ?? (redirect == nil ? reply.header("content-length") : nil)).flatMap { Int64($0) }
        self.location = redirect ?? reply.url
    }

    /// `W/"abc"` → `abc`; `"abc"` → `abc`.
    static func normalizeETag(_ etag: String) -> String {
        var text = Substring(etag.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        while text.first == "\"" { text = text.dropFirst() }
        while text.last == "\"" { text = text.dropLast() }
        return String(text)
    }

    static func isSafeBlobName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 200 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
            default: false
            }
        }
    }
}
