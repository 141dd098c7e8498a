// The HEAD reply's headers as huggingface_hub reads them (get_hf_file_metadata): X-Linked-Etag
// before ETag, quotes and W/ stripped; X-Linked-Size before Content-Length, which a redirect's
// own body makes meaningless; the Location of a redirect as the download URL.
import Foundation
import XCTest
@testable import LecternHub

final class FileMetadataTests: XCTestCase {
    let url = URL(string: "https://hub.example/acme/tiny/resolve/main/model.safetensors")!
    let sha = String(repeating: "ab", count: 32)

    func testAnLFSRedirectCarriesTheMetadata() throws {
        let reply = HTTPReply(status: 302, headers: [
            "location": "https://cdn.example/blob?sig=1", "x-repo-commit": "c0ffee", "x-linked-etag": "\"\(sha)\"",
            "x-linked-size": "1234", "etag": "\"pointer\"", "content-length": "134",
        ], url: url, body: Data())
        let metadata = try FileMetadata(reply: reply)
        XCTAssertEqual(metadata, FileMetadata(commit: "c0ffee", etag: sha, size: 1234, location: URL(string: "https://cdn.example/blob?sig=1")!))
        XCTAssertTrue(metadata.isSHA256)
    }

    func testASmallFileUsesItsETagAndLength() throws {
        let reply = HTTPReply(status: 200, headers: ["x-repo-commit": "c0ffee", "etag": "W/\"0123abcd\"", "content-length": "57"], url: url, body: Data())
        let metadata = try FileMetadata(reply: reply)
        XCTAssertEqual(metadata, FileMetadata(commit: "c0ffee", etag: "0123abcd", size: 57, location: url))
        XCTAssertFalse(metadata.isSHA256)
    }

    func testARelativeLocationIsResolvedAndARedirectsOwnLengthIsIgnored() throws {
        let reply = HTTPReply(status: 302, headers: ["location": "/blobs/x", "x-repo-commit": "c", "etag": "\"e\"", "content-length": "10"],
                              url: url, body: Data())
        let metadata = try FileMetadata(reply: reply)
        XCTAssertEqual(metadata.location.absoluteString, "https://hub.example/blobs/x")
        XCTAssertNil(metadata.size)
    }

    func testMissingOrUnsafeHeadersAreErrors() {
        XCTAssertThrowsError(try FileMetadata(reply: HTTPReply(status: 200, headers: ["etag": "\"e\""], url: url, body: Data()))) {
            XCTAssertTrue("\($0)".contains("X-Repo-Commit"), "\($0)")
        }
        XCTAssertThrowsError(try FileMetadata(reply: HTTPReply(status: 200, headers: ["x-repo-commit": "c"], url: url, body: Data())))
        XCTAssertThrowsError(try FileMetadata(reply: HTTPReply(status: 200, headers: ["x-repo-commit": "c", "etag": "\"../../x\""], url: url, body: Data())))
    }
}
