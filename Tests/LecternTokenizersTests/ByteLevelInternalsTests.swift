// The machinery under byte-level BPE encoding: the pre-token cache (growing, emptying when
// full), the merge table, and the model options Hugging Face files can set (ignore_merges).
import XCTest
@testable import LecternTokenizers

final class ByteLevelInternalsTests: XCTestCase {
    func testPieceCacheGrowsAndEmptiesWhenFull() {
        for limit in [100_000, 1_000] {
            let cache = PieceCache(limit: limit)
            var words: [[UInt8]] = []
            for index in 0..<20_000 {
                let word = Array("w\(index)".utf8)
                words.append(word)
                word.withUnsafeBufferPointer { cache.insert($0, hash: PieceCache.hash($0), ids: [index, -index][...]) }
            }
            // The most recent entries are always there; with the small limit the oldest are gone.
            for index in [0, 19_000, 19_999] {
                var ids: [Int] = []
                let found = words[index].withUnsafeBufferPointer { cache.lookup($0, hash: PieceCache.hash($0), into: &ids) }
                if found { XCTAssertEqual(ids, [index, -index]) }
                XCTAssertEqual(found, index >= 19_000 || limit > 20_000, "limit \(limit), word \(index)")
            }
        }
    }

    func testMergeTableKeepsTheFirstRank() {
        let table = MergeTable(merges: [(1, 2, 10), (3, 4, 11), (1, 2, 12)])
        XCTAssertEqual(table.lookup(1, 2), 0 << 32 | 10)
        XCTAssertEqual(table.lookup(3, 4), 1 << 32 | 11)
        XCTAssertEqual(table.lookup(2, 1), MergeTable.none)
    }

    func testIgnoreMergesTakesWholePreTokens() throws {
        var vocabulary = Vocabulary()
        for byte in 0..<256 { vocabulary.insert(ByteAlphabet.utf8[byte], id: byte) }
        vocabulary.insert("ab", id: 256)
        vocabulary.insert("abc", id: 257)   // in the vocabulary, but no merge makes it
        let merges = [(left: "a", right: "b")]
        let plain = try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges)
        let whole = try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges, ignoreMerges: true)
        XCTAssertEqual(plain.encode("abc").tokens, ["ab", "c"])
        XCTAssertEqual(whole.encode("abc").tokens, ["abc"])
        XCTAssertEqual(whole.encode("abcd").tokens, ["ab", "c", "d"])
        XCTAssertEqual(whole.decode(whole.encodeIDs("abc abcd")), "abc abcd")
    }

    func testMergeErrorsFromTheInitializer() {
        var vocabulary = Vocabulary()
        vocabulary.insert("a", id: 0)
        vocabulary.insert("b", id: 1)
        XCTAssertThrowsError(try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: [("a", "b")])) { error in
            XCTAssertEqual(error as? TokenizerError, .mergeNotInVocabulary(path: "merges", index: 0, merge: "a b", missing: "ab"))
        }
    }
}
