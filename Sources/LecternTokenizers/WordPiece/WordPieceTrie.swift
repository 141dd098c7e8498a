// The vocabulary as a byte trie, for WordPiece's greedy longest-match-first search. Hugging
// Face `tokenizers` (models/wordpiece/mod.rs) looks up s[start..end] in a hash map for every
// end from the longest down; walking a trie forward from `start` finds the same longest match
// in one pass over the bytes, without building the "##"-prefixed candidates.
//
// Nodes are stored flat (edges sorted by byte, per node), in memory allocated once and never
// changed after `init`: the walk reads it through raw pointers, without bounds checks or
// reference counting in the inner loop.

/// Token bytes in a trie; the continuation tokens ("##ing") hang below the prefix's node.
final class WordPieceTrie: @unchecked Sendable {
    // @unchecked: the buffers are written only in `init` and read-only afterwards.

    /// Node n's edges are `labels[edgeStart[n] ..< edgeStart[n + 1]]`, sorted, leading to
    /// `targets[…]`; `tokenIDs[n]` is the id of the token spelled by the path to n, or -1.
    private let edgeStart: UnsafeMutableBufferPointer<Int32>
    private let labels: UnsafeMutableBufferPointer<UInt8>
    private let targets: UnsafeMutableBufferPointer<Int32>
    private let tokenIDs: UnsafeMutableBufferPointer<Int32>
    /// The children of the root and of the continuation node, indexed by byte (-1: none): most
    /// lookups start at one of these two wide nodes.
    private let rootChildren: UnsafeMutableBufferPointer<Int32>
    private let continuationChildren: UnsafeMutableBufferPointer<Int32>

    /// Builds the trie of `entries` (token bytes and id); `continuationPrefix` ("##") marks the
    /// node whose subtree holds the tokens that continue a word.
    init(entries: [(bytes: [UInt8], id: Int)], continuationPrefix: [UInt8]) {
        // Build with per-node dictionaries, then flatten breadth-first.
        var children: [[UInt8: Int32]] = [[:]]
        var ids: [Int32] = [-1]
        func walk(_ bytes: [UInt8], create: Bool) -> Int32 {
            var node: Int32 = 0
            for byte in bytes {
                if let next = children[Int(node)][byte] { node = next; continue }
                guard create else { return -1 }
                let next = Int32(children.count)
                children.append([:])
                ids.append(-1)
                children[Int(node)][byte] = next
                node = next
            }
            return node
        }
        for (bytes, id) in entries where !bytes.isEmpty {
            ids[Int(walk(bytes, create: true))] = Int32(id)
        }
        let continuation = walk(continuationPrefix, create: false)

        let nodeCount = children.count
        let edgeCount = nodeCount - 1
        edgeStart = .allocate(capacity: nodeCount + 1)
        labels = .allocate(capacity: max(1, edgeCount))
        targets = .allocate(capacity: max(1, edgeCount))
        tokenIDs = .allocate(capacity: nodeCount)
        var edge = 0
        for node in 0..<nodeCount {
            edgeStart[node] = Int32(edge)
            tokenIDs[node] = ids[node]
            for (byte, target) in children[node].sorted(by: { $0.key < $1.key }) {
                labels[edge] = byte
                targets[edge] = target
                edge += 1
            }
        }
        edgeStart[nodeCount] = Int32(edge)

        rootChildren = .allocate(capacity: 256)
        continuationChildren = .allocate(capacity: 256)
        rootChildren.initialize(repeating: -1)
        continuationChildren.initialize(repeating: -1)
        for (byte, target) in children[0] { rootChildren[Int(byte)] = target }
        if continuation >= 0 {
            for (byte, target) in children[Int(continuation)] { continuationChildren[Int(byte)] = target }
        }
    }

    deinit {
        edgeStart.deallocate()
        labels.deallocate()
        targets.deallocate()
        tokenIDs.deallocate()
        rootChildren.deallocate()
        continuationChildren.deallocate()
    }

    /// The longest token that spells `word[start...]`'s beginning — a continuation token
    /// (prefix left out) when `continuation` — as its id and the index just past it.
    @inline(__always)
    func longestMatch(in word: UnsafeBufferPointer<UInt8>, from start: Int, continuation: Bool) -> (id: Int32, end: Int)? {
        var node = (continuation ? continuationChildren : rootChildren)[Int(word[start])]
        var index = start + 1
        var best: (id: Int32, end: Int)?
        while node >= 0 {
            let id = tokenIDs[Int(node)]
            if id >= 0 { best = (id, index) }
            if index == word.count { break }
            node = child(of: node, word[index])
            index += 1
        }
        return best
    }

    /// The child of `node` along `byte`, or -1.
    @inline(__always)
    private func child(of node: Int32, _ byte: UInt8) -> Int32 {
        var low = Int(edgeStart[Int(node)])
        var high = Int(edgeStart[Int(node) + 1])
        // Deep nodes have a handful of edges: scan them; wide ones: binary search.
        if high - low <= 8 {
            while low < high {
                if labels[low] == byte { return targets[low] }
                low += 1
            }
            return -1
        }
        while low < high {
            let middle = (low + high) >> 1
            let label = labels[middle]
            if label == byte { return targets[middle] }
            if label < byte { low = middle + 1 } else { high = middle }
        }
        return -1
    }
}
