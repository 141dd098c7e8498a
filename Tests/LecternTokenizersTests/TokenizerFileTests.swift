// Loading (TokenizerFile.swift and Loading/): the three layouts give the same tokenizer, and
// every way a file can be wrong gives the error that names it.
import Foundation
import XCTest
@testable import LecternTokenizers

final class TokenizerFileTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-tokenizer-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func write(_ name: String, _ text: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func expectError(_ url: URL, _ expected: TokenizerError, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try TokenizerFile.load(url)
            XCTFail("loaded \(url.lastPathComponent), expected \(expected)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    /// The fixture's tokenizer.json with `edit` applied to its parsed JSON.
    private func editedTokenizerJSON(_ edit: (inout [String: Any]) -> Void) throws -> URL {
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: ByteLevelFixtures.url("tokenizer.json"))) as? [String: Any])
        edit(&root)
        let url = scratch.appendingPathComponent("edited-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        return url
    }

    func testAllLayoutsGiveTheSameIds() throws {
        let folder = scratch.appendingPathComponent("gpt2")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: ByteLevelFixtures.url(name), to: folder.appendingPathComponent(name))
        }
        let loaded: [any Tokenizer] = [
            try TokenizerFile.load(ByteLevelFixtures.url("tokenizer.json")),
            try TokenizerFile.load(ByteLevelFixtures.folder()),   // tokenizer.json wins
            try TokenizerFile.load(folder),                        // vocab.json + merges.txt
            try TokenizerFile.load(ByteLevelFixtures.url("vocab.json")),
            try TokenizerFile.load(ByteLevelFixtures.url("merges.txt")),
        ]
        for testCase in try ByteLevelFixtures.cases().encode {
            for tokenizer in loaded {
                XCTAssertEqual(tokenizer.encode(testCase.text).ids, testCase.ids, ByteLevelFixtures.show(testCase.text))
            }
        }
        for tokenizer in loaded { XCTAssertEqual(tokenizer.vocabularySize, 2000) }
    }

    func testWordPieceFilesGoToWordPiece() throws {
        let url = try write("bert/vocab.txt", "[PAD]\n[UNK]\nhello\n")
        let fromText = try TokenizerFile.load(url)
        XCTAssertTrue(fromText is BertWordPieceTokenizer, "\(type(of: fromText))")
        XCTAssertEqual(fromText.id(of: "hello"), 2)
        XCTAssertEqual(try TokenizerFile.load(url.deletingLastPathComponent()).id(of: "hello"), 2)   // folder with vocab.txt

        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let trained = root.appendingPathComponent("wordpiece/trained-cased")
        let fromJSON = try TokenizerFile.load(trained.appendingPathComponent("tokenizer.json"))
        XCTAssertTrue(fromJSON is BertWordPieceTokenizer, "\(type(of: fromJSON))")
        let fromFolder = try TokenizerFile.load(trained)   // tokenizer.json wins over vocab.txt
        XCTAssertEqual(fromFolder.encode("Hello, world!").ids, fromJSON.encode("Hello, world!").ids)
        XCTAssertEqual(fromJSON.vocabularySize, fromFolder.vocabularySize)
    }

    func testExactVocabularyKeepsCanonicallyEquivalentKeys() throws {
        let text = #"{"version": "1.0", "added_tokens": [{"id": 1, "x": [1, 2.5e3, {"a": null}], "ok": true}], "#
            + #""model": {"type": "BPE", "vocab": {"\u00e9": 0, "e\u0301": 1, "\ud83d\ude00": 2, "q\"\\\n": 3, "é": 4}}}"#
        let exact = try XCTUnwrap(ExactJSONVocabulary.read(Data(text.utf8), at: ["model", "vocab"]))
        XCTAssertEqual(exact.count, 4)   // "\u00e9" and "é" are the same bytes: the later id wins
        XCTAssertEqual(exact.id(of: "\u{e9}"), 4)
        XCTAssertEqual(exact.id(of: "e\u{301}"), 1)
        XCTAssertEqual(exact.id(of: "😀"), 2)
        XCTAssertEqual(exact.id(of: "q\"\\\n"), 3)
        XCTAssertNil(ExactJSONVocabulary.read(Data(text.utf8), at: ["model", "merges"]))
        XCTAssertNil(ExactJSONVocabulary.read(Data(#"{"a": {"b": 1.5}}"#.utf8), at: ["a"]))
        XCTAssertEqual(ExactJSONVocabulary.read(Data(#"{"a": 0, "b": 1}"#.utf8), at: [])?.count, 2)

        // Through the WordPiece loader: both spellings keep their own ids.
        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        var json = try String(contentsOf: root.appendingPathComponent("wordpiece/trained-cased/tokenizer.json"), encoding: .utf8)
        let vocabStart = try XCTUnwrap(json.range(of: #""vocab":\s*\{"#, options: .regularExpression))
        json.replaceSubrange(vocabStart, with: #""vocab": {"\u00e9": 900001, "e\u0301": 900002, "#)
        let url = try write("wordpiece-equivalent/tokenizer.json", json)
        let tokenizer = try TokenizerFile.load(url)
        XCTAssertEqual(tokenizer.id(of: "\u{e9}"), 900001)
        XCTAssertEqual(tokenizer.id(of: "e\u{301}"), 900002)
    }

    func testFileNotFound() throws {
        let missing = scratch.appendingPathComponent("nothing/tokenizer.json")
        expectError(missing, .fileNotFound(path: missing.path))
        let empty = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        expectError(empty, .fileNotFound(path: empty.path))
    }

    func testMalformedJSON() throws {
        let url = try write("tokenizer.json", "{\"model\": ")
        XCTAssertThrowsError(try TokenizerFile.load(url)) { error in
            guard case let .malformed(path, keyPath, _)? = error as? TokenizerError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, url.path)
            XCTAssertEqual(keyPath, "")
        }
        let badVocab = try editedTokenizerJSON { root in
            var model = root["model"] as! [String: Any]
            model["vocab"] = ["a", "b"]
            root["model"] = model
        }
        XCTAssertThrowsError(try TokenizerFile.load(badVocab)) { error in
            guard case let .malformed(_, keyPath, _)? = error as? TokenizerError else { return XCTFail("\(error)") }
            XCTAssertEqual(keyPath, "model.vocab")
        }
        let badAdded = try editedTokenizerJSON { root in root["added_tokens"] = [["content": "<x>"]] }
        XCTAssertThrowsError(try TokenizerFile.load(badAdded)) { error in
            guard case let .malformed(_, keyPath, reason)? = error as? TokenizerError else { return XCTFail("\(error)") }
            XCTAssertEqual(keyPath, "added_tokens[0].id")
            XCTAssertEqual(reason, "missing")
        }
        let badMerge = try editedTokenizerJSON { root in
            var model = root["model"] as! [String: Any]
            model["merges"] = [["a", "b"], 7]
            root["model"] = model
        }
        XCTAssertThrowsError(try TokenizerFile.load(badMerge)) { error in
            guard case let .malformed(_, keyPath, _)? = error as? TokenizerError else { return XCTFail("\(error)") }
            XCTAssertEqual(keyPath, "model.merges[1]")
        }
    }

    func testUnsupportedModelAndComponents() throws {
        let unigram = try editedTokenizerJSON { root in
            var model = root["model"] as! [String: Any]
            model["type"] = "Unigram"
            root["model"] = model
        }
        expectError(unigram, .unsupportedModel(path: unigram.path, type: "Unigram"))
        XCTAssertTrue(TokenizerError.unsupportedModel(path: "t.json", type: "Unigram").description.contains("\"Unigram\""))

        let metaspace = try editedTokenizerJSON { root in root["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁"] }
        expectError(metaspace, .unsupportedComponent(path: metaspace.path, keyPath: "pre_tokenizer.type", type: "Metaspace"))

        let sequence = try editedTokenizerJSON { root in
            root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Split"], ["type": "ByteLevel"]]]
        }
        expectError(sequence, .unsupportedComponent(path: sequence.path, keyPath: "pre_tokenizer.type", type: "Split, ByteLevel"))

        let normalizer = try editedTokenizerJSON { root in root["normalizer"] = ["type": "NFKC"] }
        expectError(normalizer, .unsupportedComponent(path: normalizer.path, keyPath: "normalizer", type: "NFKC"))

        let template = try editedTokenizerJSON { root in root["post_processor"] = ["type": "TemplateProcessing"] }
        expectError(template, .unsupportedComponent(path: template.path, keyPath: "post_processor.type", type: "TemplateProcessing"))
    }

    func testMissingMerges() throws {
        let noMerges = try editedTokenizerJSON { root in
            var model = root["model"] as! [String: Any]
            model["merges"] = nil
            model["type"] = "BPE"
            root["model"] = model
        }
        expectError(noMerges, .missingMerges(path: noMerges.path))
        let folder = scratch.appendingPathComponent("only-vocab")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ByteLevelFixtures.url("vocab.json"), to: folder.appendingPathComponent("vocab.json"))
        expectError(folder, .missingMerges(path: folder.appendingPathComponent("merges.txt").path))
    }

    func testMergeNotInVocabulary() throws {
        let vocab = try write("bad/vocab.json", #"{"a": 0, "b": 1, "ab": 2}"#)
        let merges = try write("bad/merges.txt", "#version: 0.2\na b\nab c\n")
        expectError(vocab, .mergeNotInVocabulary(path: merges.path, index: 1, merge: "ab c", missing: "c"))
        _ = try write("bad/merges.txt", "a b\nb a\n")
        expectError(vocab, .mergeNotInVocabulary(path: merges.path, index: 1, merge: "b a", missing: "ba"))
        _ = try write("bad/merges.txt", "a b c\n")
        expectError(vocab, .malformed(path: merges.path, keyPath: "line 1", reason: "expected two tokens separated by one space, found \"a b c\""))
    }

    func testErrorsReadWell() {
        XCTAssertEqual(TokenizerError.mergeNotInVocabulary(path: "m.txt", index: 1, merge: "ab c", missing: "c").description,
                       "m.txt: merge 2 \"ab c\": \"c\" is not in the vocabulary")
        XCTAssertEqual(TokenizerError.malformed(path: "t.json", keyPath: "model.vocab", reason: "expected an object").description,
                       "t.json: model.vocab: expected an object")
    }
}
