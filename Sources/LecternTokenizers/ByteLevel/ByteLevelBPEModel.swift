// The engine behind ByteLevelBPETokenizer: steps 1–4 of that file's header as integer tables —
// Hugging Face tokenizers' `BPE` model (vocab, merges as (pair → rank, new id), cache) fused
// with the ByteLevel pre-tokenizer and decoder, working on the text's UTF-8 bytes throughout.
import Foundation

/// The tables encoding runs on, built once; immutable apart from the cache, which is handed to
/// one encoding at a time (an encoding that finds it taken uses a fresh one), so concurrent
/// encodings never wait for each other.
final class ByteLevelBPEModel: @unchecked Sendable {
    let mergeTable: MergeTable
    /// The id of each byte's single-character token (-1 when absent), indexed by the byte.
    let byteIDs: [Int32]
    let unknownID: Int?
    let tokenStrings: [String]
    let decodedBytes: [[UInt8]?]
    let matcher: AddedTokenMatcher
    let addPrefixSpace: Bool
    let ignoreMerges: Bool
    let vocabulary: Vocabulary

    private let lock = NSLock()
    private var sharedCache: PieceCache?

    init(vocabulary: Vocabulary, merges: [(left: Int, right: Int, merged: Int)], addedTokens: [AddedToken],
         addPrefixSpace: Bool, ignoreMerges: Bool, unknownID: Int?) {
        mergeTable = MergeTable(merges: merges)
        byteIDs = (0..<256).map { byte in Int32(vocabulary.id(of: ByteAlphabet.utf8[byte]) ?? -1) }
        self.unknownID = unknownID
        var strings = [String](repeating: "", count: vocabulary.idLimit)
        var decoded = [[UInt8]?](repeating: nil, count: vocabulary.idLimit)
        for (bytes, id) in vocabulary.entries {
            let token = String(decoding: bytes, as: UTF8.self)
            strings[id] = token
            decoded[id] = ByteAlphabet.decodedBytes(of: token)
        }
        tokenStrings = strings
        decodedBytes = decoded
        matcher = AddedTokenMatcher(addedTokens)
        self.addPrefixSpace = addPrefixSpace
        self.ignoreMerges = ignoreMerges
        self.vocabulary = vocabulary
    }

    func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 1)
        lock.lock()
        let cache = sharedCache ?? PieceCache()
        sharedCache = nil
        lock.unlock()
        var parts: [Int32] = []
        var text = text
        text.withUTF8 { bytes in
            if matcher.isEmpty {
                encodeSegment(bytes, into: &ids, cache: cache, parts: &parts)
            } else {
                matcher.split(bytes, text: { range in
                    encodeSegment(UnsafeBufferPointer(rebasing: bytes[range]), into: &ids, cache: cache, parts: &parts)
                }, token: { ids.append($0) })
            }
        }
        lock.lock()
        sharedCache = cache
        lock.unlock()
        return ids
    }

    /// One stretch of text between added tokens.
    private func encodeSegment(_ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int], cache: PieceCache,
                               parts: inout [Int32]) {
        if addPrefixSpace, let first = bytes.first, first != UInt8(ascii: " ") {
            let prefixed = [UInt8(ascii: " ")] + bytes
            prefixed.withUnsafeBufferPointer { encodePieces($0, into: &ids, cache: cache, parts: &parts) }
        } else {
            encodePieces(bytes, into: &ids, cache: cache, parts: &parts)
        }
    }

    private func encodePieces(_ bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int], cache: PieceCache,
                              parts: inout [Int32]) {
        GPT2PreTokenizer.forEachPiece(in: bytes) { range in
            let piece = UnsafeBufferPointer(rebasing: bytes[range])
            let cacheable = piece.count <= PieceCache.maxKeyLength
            let hash = cacheable ? PieceCache.hash(piece) : 0
            if cacheable, cache.lookup(piece, hash: hash, into: &ids) { return }
            mergePiece(piece, into: &parts)
            let start = ids.count
            for part in parts { ids.append(Int(part)) }
            if cacheable { cache.insert(piece, hash: hash, ids: ids[start...]) }
        }
    }

    /// The merged ids of one pre-token, in `parts`.
    private func mergePiece(_ piece: UnsafeBufferPointer<UInt8>, into parts: inout [Int32]) {
        parts.removeAll(keepingCapacity: true)
        if ignoreMerges {
            var spelled: [UInt8] = []
            for byte in piece { spelled.append(contentsOf: ByteAlphabet.utf8[Int(byte)]) }
            if let id = vocabulary.id(of: spelled) {
                parts.append(Int32(id))
                return
            }
        }
        for byte in piece {
            let id = byteIDs[Int(byte)]
            if id >= 0 { parts.append(id) } else if let unknownID { parts.append(Int32(unknownID)) }
        }
        PieceMerger.merge(&parts, table: mergeTable)
    }

    func decodeBytes(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && id < decodedBytes.count {
            if let token = decodedBytes[id] { bytes.append(contentsOf: token) }
        }
        return bytes
    }
}
