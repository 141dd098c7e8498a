// Loading the Hugging Face fixtures written by Scripts/fixtures/wordpiece.py: the tokenizers it
// saved (trained on the common licenses, and the real MiniLM/BERT vocabulary) and the cases
// it ran through them.
import Foundation
import XCTest
@testable import LecternTokenizers

enum WordPieceFixtures {
    /// The URL of a file in Fixtures/wordpiece/ (e.g. "minilm/vocab.txt").
    static func url(_ relative: String) throws -> URL {
        let base = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/wordpiece")
        let url = base.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("Fixtures/wordpiece/\(relative) is missing; run Scripts/fixtures/wordpiece.py")
        }
        return url
    }

    /// One recorded encoding.
    struct Case: Decodable {
        struct Truncation: Decodable {
            let maxLength: Int
            let strategy: String?
            let direction: String?
        }
        struct Padding: Decodable {
            let length: Int?
            let padToMultipleOf: Int?
            let direction: String?
        }
        let tokenizer: String
        let text: String
        let pair: String?
        let addSpecialTokens: Bool
        let truncation: Truncation?
        let padding: Padding?
        let ids: [Int]
        let tokens: [String]
        let typeIds: [Int]
        let attentionMask: [Int]
        let decoded: String
        let decodedWithSpecial: String
        let normalized: String?
        let words: [String]?
    }

    struct CaseFile: Decodable {
        let tokenizersVersion: String
        let cases: [Case]
    }

    static func cases() throws -> CaseFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CaseFile.self, from: Data(contentsOf: url("cases.json")))
    }

    static func jsonObject(_ relative: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url(relative))) as? [String: Any])
    }

    /// The tokenizer a case names, loaded the way the fixture script loaded it.
    static func tokenizer(_ name: String) throws -> BertWordPieceTokenizer {
        switch name {
        case "trained-uncased", "trained-cased":
            return try BertWordPieceTokenizer(tokenizerJSON: jsonObject("\(name)/tokenizer.json"), path: name)
        case "minilm-uncased":
            return try BertWordPieceTokenizer(vocabTXT: url("minilm/vocab.txt"), lowercase: true)
        case "minilm-cased":
            return try BertWordPieceTokenizer(vocabTXT: url("minilm/vocab.txt"), lowercase: false)
        case "minilm-shipped":
            return try BertWordPieceTokenizer(tokenizerJSON: minilmTokenizerJSON(), path: name)
        default:
            throw XCTSkip("unknown fixture tokenizer \(name)")
        }
    }

    /// MiniLM's own tokenizer.json: the fixture keeps it without its vocabulary, which is
    /// vocab.txt line by line.
    static func minilmTokenizerJSON() throws -> [String: Any] {
        var object = try jsonObject("minilm/tokenizer-without-vocab.json")
        var model = try XCTUnwrap(object["model"] as? [String: Any])
        let lines = try String(contentsOf: url("minilm/vocab.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        var vocab: [String: Int] = [:]
        for (id, line) in lines.enumerated() { vocab[line] = id }
        model["vocab"] = vocab
        object["model"] = model
        return object
    }

    /// `base` with the case's truncation and padding.
    static func configured(_ base: BertWordPieceTokenizer, for item: Case) -> BertWordPieceTokenizer {
        var tokenizer = base
        if item.tokenizer == "minilm-shipped" { return tokenizer }
        tokenizer.truncation = item.truncation.map { truncation in
            let strategy: BertWordPieceTokenizer.Truncation.Strategy = switch truncation.strategy {
            case "only_first": .onlyFirst
            case "only_second": .onlySecond
            default: .longestFirst
            }
            return BertWordPieceTokenizer.Truncation(maxLength: truncation.maxLength, strategy: strategy, fromLeft: truncation.direction == "left")
        }
        tokenizer.padding = item.padding.map { padding in
            BertWordPieceTokenizer.Padding(length: padding.length, padToMultipleOf: padding.padToMultipleOf,
                                           padID: base.id(of: "[PAD]") ?? 0, fromLeft: padding.direction == "left")
        }
        return tokenizer
    }

    /// A short, readable name for a case in failure messages.
    static func describe(_ item: Case) -> String {
        func clip(_ text: String) -> String {
            let escaped = text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
            return escaped.count > 60 ? String(escaped.prefix(60)) + "…" : escaped
        }
        return "[\(item.tokenizer)] \"\(clip(item.text))\"" + (item.pair.map { " + \"\(clip($0))\"" } ?? "")
    }
}
