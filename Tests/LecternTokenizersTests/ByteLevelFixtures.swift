// Fixtures for the byte-level BPE tests, written by Scripts/fixtures/byte_level_bpe.py with
// Hugging Face `tokenizers` (the oracle): a tokenizer it trained, in all three file layouts,
// and what it produced for hostile text.
import Foundation
import XCTest
@testable import LecternTokenizers

enum ByteLevelFixtures {
    /// Fixtures/byte_bpe, in the test bundle.
    static func folder() throws -> URL {
        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "no Fixtures in the test bundle")
        return root.appendingPathComponent("byte_bpe")
    }

    static func url(_ name: String) throws -> URL { try folder().appendingPathComponent(name) }

    /// The HF-trained tokenizer, loaded from its tokenizer.json.
    static func tokenizer() throws -> ByteLevelBPETokenizer {
        let loaded = try TokenizerFile.load(url("tokenizer.json"))
        return try XCTUnwrap(loaded as? ByteLevelBPETokenizer, "tokenizer.json did not load as byte-level BPE")
    }

    struct EncodeCase: Decodable {
        var text: String
        var ids: [Int]
        var tokens: [String]
        var pre_tokens: [String]
    }

    struct PrefixCase: Decodable {
        var text: String
        var ids: [Int]
    }

    struct DecodeCase: Decodable {
        var ids: [Int]
        var text: String
    }

    struct Cases: Decodable {
        var encode: [EncodeCase]
        var encode_prefix_space: [PrefixCase]
        var encode_random: [PrefixCase]
        var decode: [DecodeCase]
    }

    static func cases() throws -> Cases {
        try JSONDecoder().decode(Cases.self, from: Data(contentsOf: url("cases.json")))
    }

    /// Shows invisible characters in failure messages.
    static func show(_ text: String) -> String {
        text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }
}
