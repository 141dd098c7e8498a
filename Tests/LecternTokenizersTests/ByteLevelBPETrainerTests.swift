// Training (ByteLevelBPETrainer.swift) and saving (ByteLevelBPEFiles.swift): the result
// round-trips, loads back from each file layout, and — when the oracle environment is present
// (.venv-oracle with `tokenizers`) — Hugging Face loads our files and produces our ids.
import Foundation
import XCTest
@testable import LecternTokenizers

final class ByteLevelBPETrainerTests: XCTestCase {
    static let corpus: [String] = {
        let base = [
            "The quick brown fox jumps over the lazy dog.",
            "It's the lowest, the newest and the widest license: don't copy it!",
            "Привет, мир! 日本語のテキスト 👩‍👩‍👧 café café",
            "  indented\tcode = f(x) + 42;\n",
            "the lower the better, the newer the wider",
        ]
        return (0..<20).flatMap { _ in base }
    }()

    static let probes = ["The lowest newest fox", " the the the", "unseen words: zebra, qua\u{308}rk 1234", "<|endoftext|>the<|endoftext|>", ""]

    func testTrainingBuildsTheRequestedVocabulary() {
        let tokenizer = ByteLevelBPETrainer.train(texts: Self.corpus, vocabSize: 320, minFrequency: 2, specialTokens: ["<|endoftext|>"])
        XCTAssertEqual(tokenizer.vocabularySize, 320)
        XCTAssertEqual(tokenizer.id(of: "<|endoftext|>"), 0)
        XCTAssertEqual(tokenizer.id(of: "Ġ"), 1 + 0x20)
        XCTAssertEqual(tokenizer.merges.count, 320 - 257)
        XCTAssertNotNil(tokenizer.id(of: "Ġthe"))
        for text in Self.corpus + Self.probes {
            XCTAssertEqual(Array(tokenizer.decode(tokenizer.encodeIDs(text)).utf8), Array(text.utf8))
        }
        // Fewer tokens than bytes on the training text.
        XCTAssertLessThan(Double(tokenizer.encodeIDs(Self.corpus[0]).count), Double(Self.corpus[0].utf8.count) * 0.6)
    }

    func testMinFrequencyStopsEarly() {
        let tokenizer = ByteLevelBPETrainer.train(texts: ["abab cdcd"], vocabSize: 1000, minFrequency: 2)
        XCTAssertEqual(tokenizer.merges.map { "\($0.left) \($0.right)" }, ["a b", "c d"])
        XCTAssertEqual(tokenizer.vocabularySize, 258)
    }

    func testSavedFilesLoadBack() throws {
        let tokenizer = ByteLevelBPETrainer.train(texts: Self.corpus, vocabSize: 400, minFrequency: 2, specialTokens: ["<|endoftext|>", "<pad>"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-bbpe-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder)
        for name in ["tokenizer.json", "vocab.json"] {
            let loaded = try TokenizerFile.load(folder.appendingPathComponent(name))
            for text in Self.corpus.prefix(5) + Self.probes {
                XCTAssertEqual(loaded.encode(text).ids, tokenizer.encodeIDs(text), "\(name): \(ByteLevelFixtures.show(text))")
            }
        }
        let reloaded = try XCTUnwrap(TokenizerFile.load(folder.appendingPathComponent("tokenizer.json")) as? ByteLevelBPETokenizer)
        XCTAssertEqual(reloaded.addedTokens, tokenizer.addedTokens)
        XCTAssertEqual(reloaded.tokenizerJSON(), tokenizer.tokenizerJSON())
    }

    /// Hugging Face reads what we write and encodes as we do (skipped without the oracle).
    func testHuggingFaceLoadsOurFiles() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let python = root.appendingPathComponent(".venv-oracle/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { throw XCTSkip("no .venv-oracle: cannot run Hugging Face") }
        let tokenizer = ByteLevelBPETrainer.train(texts: Self.corpus, vocabSize: 400, minFrequency: 2, specialTokens: ["<|endoftext|>"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-bbpe-hf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder)
        let texts = Self.corpus.prefix(5) + Self.probes
        try JSONSerialization.data(withJSONObject: Array(texts)).write(to: folder.appendingPathComponent("texts.json"))
        let script = """
        import json, sys
        from tokenizers import Tokenizer
        from transformers import GPT2Tokenizer
        folder = sys.argv[1]
        texts = json.load(open(folder + "/texts.json", encoding="utf-8"))
        fast = Tokenizer.from_file(folder + "/tokenizer.json")
        slow = GPT2Tokenizer(folder + "/vocab.json", folder + "/merges.txt")
        print(json.dumps({"fast": [fast.encode(t).ids for t in texts],
                          "slow": [slow.encode(t) for t in texts if "<|" not in t]}))
        """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, folder.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [[Int]]])
        XCTAssertEqual(result["fast"], texts.map { tokenizer.encodeIDs($0) })
        XCTAssertEqual(result["slow"], texts.filter { !$0.contains("<|") }.map { tokenizer.encodeIDs($0) })
    }
}
