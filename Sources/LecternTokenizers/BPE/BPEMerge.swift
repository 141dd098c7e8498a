// One learned merge of classic BPE (Sennrich et al. 2016, Algorithm 1: "replace each
// occurrence of the most frequent pair ('A', 'B') with a new symbol 'AB'"). Equality and
// hashing use the UTF-8 bytes of both parts (module header: `String ==` would call
// "é" + "x" and "e\u{301}" + "x" the same merge).

/// A merge rule: `left` followed by `right` becomes `left + right`.
///
/// ```swift
/// let merge = BPEMerge("a", "t")
/// merge.merged        // "at"
/// merge.description   // "a t"  (a line of a merges file)
/// ```
public struct BPEMerge: Hashable, Sendable, CustomStringConvertible {
    /// The first symbol of the pair.
    ///
    /// ```swift
    /// BPEMerge("th", "e</w>").left   // "th"
    /// ```
    public var left: String
    /// The second symbol of the pair.
    ///
    /// ```swift
    /// BPEMerge("th", "e</w>").right   // "e</w>"
    /// ```
    public var right: String

    /// The rule merging `left` and `right`.
    ///
    /// ```swift
    /// BPEMerge("m", "at").merged   // "mat"
    /// ```
    public init(_ left: String, _ right: String) {
        self.left = left
        self.right = right
    }

    /// The symbol the merge produces.
    ///
    /// ```swift
    /// BPEMerge("at", "e</w>").merged   // "ate</w>"
    /// ```
    public var merged: String { left + right }

    /// The merge as a line of a subword-nmt merges file: the two parts separated by a space.
    ///
    /// ```swift
    /// BPEMerge("th", "e</w>").description   // "th e</w>"
    /// ```
    public var description: String { "\(left) \(right)" }

    /// Byte-wise equality of both parts.
    ///
    /// ```swift
    /// BPEMerge("\u{E9}", "x") == BPEMerge("e\u{301}", "x")   // false
    /// ```
    public static func == (a: BPEMerge, b: BPEMerge) -> Bool {
        a.left.utf8.elementsEqual(b.left.utf8) && a.right.utf8.elementsEqual(b.right.utf8)
    }

    /// Hashes the bytes of both parts, consistently with ``==(_:_:)``.
    ///
    /// ```swift
    /// Set([BPEMerge("a", "t"), BPEMerge("a", "t")]).count   // 1
    /// ```
    public func hash(into hasher: inout Hasher) {
        hasher.combine(left.utf8.count)
        for byte in left.utf8 { hasher.combine(byte) }
        for byte in right.utf8 { hasher.combine(byte) }
    }
}
