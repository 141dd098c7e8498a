// `lectern lab train-tokenizer` end to end: each type writes its standard files.
import Foundation
import XCTest

final class LabTrainTokenizerTests: XCTestCase {
    func testEachTypeWritesItsFiles() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let corpus = scratch.appendingPathComponent("corpus.txt")
        try String(repeating: "the cat sat on the mat; the cats sat on the mats.\nlow lower lowest newer wider\n", count: 20)
            .write(to: corpus, atomically: true, encoding: .utf8)
        let expected = ["wordpiece": ["vocab.txt", "tokenizer.json"], "byte-bpe": ["vocab.json", "merges.txt", "tokenizer.json"],
                        "bpe": ["merges.txt", "vocab.txt"]]
        for (type, files) in expected {
            let output = scratch.appendingPathComponent(type)
            let result = try BuildProducts.run(try BuildProducts.lectern(),
                                               ["lab", "train-tokenizer", "--type", type, "--vocab-size", "300",
                                                "--input", corpus.path, "--output", output.path], environment: [:])
            XCTAssertEqual(result.status, 0, "\(type): \(result.err)")
            for file in files {
                XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(type) wrote no \(file)")
            }
        }
        let vocab = try String(contentsOf: scratch.appendingPathComponent("wordpiece/vocab.txt"), encoding: .utf8)
        XCTAssertTrue(vocab.hasPrefix("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n"))
        let bad = try BuildProducts.run(try BuildProducts.lectern(),
                                        ["lab", "train-tokenizer", "--type", "unigram", "--vocab-size", "10", "--input", corpus.path,
                                         "--output", scratch.path], environment: [:])
        XCTAssertNotEqual(bad.status, 0)
    }
}
