// Every Unicode code point through BertNormalizer (each step alone, and all of them) and
// BertPreTokenizer, against Fixtures/wordpiece/unicode_blocks.json: Hugging Face's results
// hashed per block of 4096 code points (FNV-1a 64 over each result's UTF-8 and a 0xFF), so
// that 1.1 million answers fit in a few KB and a mismatch still names its block.
import Foundation
import XCTest
@testable import LecternTokenizers

final class WordPieceUnicodeTests: XCTestCase {
    struct BlockFile: Decodable {
        let blockSize: Int
        let blocks: [String: [String]]
    }

    func testEveryCodePointIsNormalizedAndSplitAsHuggingFaceDoes() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(BlockFile.self, from: Data(contentsOf: WordPieceFixtures.url("unicode_blocks.json")))
        let normalizers: [(String, BertNormalizer)] = [
            ("clean", BertNormalizer(cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false)),
            ("chinese", BertNormalizer(cleanText: false, handleChineseChars: true, stripAccents: false, lowercase: false)),
            ("strip", BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false)),
            ("lowercase", BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true)),
            ("uncased", BertNormalizer()),
        ]
        let preTokenizer = BertPreTokenizer()
        var mismatches: [String] = []
        for block in 0..<(0x110000 / file.blockSize) {
            var hashes = [UInt64](repeating: 0xCBF2_9CE4_8422_2325, count: normalizers.count + 1)
            for code in block * file.blockSize..<(block + 1) * file.blockSize {
                guard let scalar = Unicode.Scalar(UInt32(code)) else { continue }   // surrogates
                let text = String(Character(scalar))
                for (index, (_, normalizer)) in normalizers.enumerated() {
                    hashes[index] = Self.fnv(Array(normalizer.normalize(text).utf8) + [0xFF], hashes[index])
                }
                let words = preTokenizer.preTokenize("a" + text + "a").joined(separator: "\u{FE}")
                hashes[normalizers.count] = Self.fnv(Array(words.utf8) + [0xFF], hashes[normalizers.count])
            }
            for (index, name) in (normalizers.map(\.0) + ["pre_tokenize"]).enumerated() {
                let expected = file.blocks[name]?[block]
                if expected != String(format: "%016llx", hashes[index]) {
                    mismatches.append("\(name) U+\(String(block * file.blockSize, radix: 16, uppercase: true))…")
                }
            }
        }
        XCTAssertEqual(mismatches, [], "blocks where we differ from Hugging Face")
    }

    static func fnv(_ bytes: [UInt8], _ start: UInt64) -> UInt64 {
        var hash = start
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
