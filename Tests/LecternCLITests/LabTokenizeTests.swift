// `lectern lab tokenize` end to end, on the byte-level BPE fixture that Hugging Face trained
// (Tests/LecternTokenizersTests/Fixtures/byte_bpe): the id lines, the JSON, decoding back to
// the exact input, and the error for a missing tokenizer.
import Foundation
import XCTest

final class LabTokenizeTests: XCTestCase {
    static let fixture = BuildProducts.course.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/byte_bpe")
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-tokenize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func tokenize(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), ["lab", "tokenize"] + arguments, environment: ["NO_COLOR": "1"])
    }

    func input(_ text: String) throws -> String {
        let url = scratch.appendingPathComponent("input-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The ids Hugging Face produced for `text`, from the fixture's cases.json.
    func expectedIDs(_ text: String) throws -> [Int] {
        let data = try Data(contentsOf: Self.fixture.appendingPathComponent("cases.json"))
        let cases = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["encode"] as? [[String: Any]])
        let found = try XCTUnwrap(cases.first { ($0["text"] as? String).map { Array($0.utf8) } == Array(text.utf8) })
        return try XCTUnwrap(found["ids"] as? [Int])
    }

    func testIdLinesMatchHuggingFace() throws {
        let lines = ["Hello world", "", "It's he's I'M we'RE they'Ve it'S you'll I'd don't", "before<|endoftext|>after"]
        let result = try tokenize(["--tokenizer", Self.fixture.appendingPathComponent("tokenizer.json").path,
                                   "--input", try input(lines.joined(separator: "\n") + "\n")])
        XCTAssertEqual(result.status, 0, result.err)
        let expected = try lines.map { try expectedIDs($0).map(String.init).joined(separator: " ") }
        XCTAssertEqual(result.out, expected.joined(separator: "\n") + "\n")
    }

    func testJSONAndDecodeRoundTrip() throws {
        let text = "emoji 👩‍👩‍👧 family\n\ncafe\u{301}  \t end \n"
        let path = try input(text)
        let json = try tokenize(["--tokenizer", Self.fixture.path, "--input", path, "--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(entries[1]["ids"] as? [Int], [])
        let tokens = try XCTUnwrap(entries[0]["tokens"] as? [String])
        XCTAssertEqual(tokens.count, (entries[0]["ids"] as? [Int])?.count)
        XCTAssertEqual(tokens.joined().hasPrefix("emojiĠ"), true, "\(tokens)")   // spelled in GPT-2's byte alphabet

        let ids = try tokenize(["--tokenizer", Self.fixture.path, "--input", path])
        let decoded = try tokenize(["--tokenizer", Self.fixture.appendingPathComponent("vocab.json").path,
                                    "--input", try input(ids.out), "--decode"])
        XCTAssertEqual(decoded.status, 0, decoded.err)
        XCTAssertEqual(Array(decoded.out.utf8), Array(text.utf8))
    }

    func testErrors() throws {
        let missing = try tokenize(["--tokenizer", scratch.appendingPathComponent("nothing").path, "--input", try input("x\n")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("no such file"), missing.err)
        let notAnID = try tokenize(["--tokenizer", Self.fixture.path, "--input", try input("12 x\n"), "--decode"])
        XCTAssertEqual(notAnID.status, 1)
        XCTAssertTrue(notAnID.err.contains(":1: \"x\" is not a token id"), notAnID.err)
    }
}
