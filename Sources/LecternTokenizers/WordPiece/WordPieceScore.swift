// The lecture's WordPiece merge score, f(ab) / (f(a)·f(b)) (Schuster & Nakajima 2012, as the
// course slides and the Hugging Face course state it): how much more often a and b occur
// together than their own frequencies predict. Compared exactly, by cross-multiplying in 128
// bits, so that ties are real ties and the training is the same on every machine.

/// The score of merging the pair (a, b): the pair's count over the product of the parts' counts.
///
/// ```swift
/// let score = WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 8)   // 4 / (4·8)
/// score.value                                                             // 0.125
/// score > WordPieceScore(pairCount: 9, leftCount: 9, rightCount: 9)       // true: 1/8 > 1/9
/// ```
public struct WordPieceScore: Comparable, Sendable, CustomStringConvertible {
    /// f(ab): how many times a is directly followed by b (words weighted by their counts).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 8).pairCount   // 4
    /// ```
    public var pairCount: Int
    /// f(a).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 8).leftCount   // 4
    /// ```
    public var leftCount: Int
    /// f(b).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 8).rightCount   // 8
    /// ```
    public var rightCount: Int

    /// A score from the three counts (each at least 1, and below 2³²).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 2, leftCount: 4, rightCount: 5).value   // 0.1
    /// ```
    public init(pairCount: Int, leftCount: Int, rightCount: Int) {
        self.pairCount = pairCount
        self.leftCount = leftCount
        self.rightCount = rightCount
    }

    /// The score as a number, f(ab) / (f(a)·f(b)).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 1, leftCount: 2, rightCount: 2).value   // 0.25
    /// ```
    public var value: Double { Double(pairCount) / (Double(leftCount) * Double(rightCount)) }

    /// Exact comparison: a/(b·c) < d/(e·f) ⟺ a·e·f < d·b·c.
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 1, leftCount: 3, rightCount: 1) < WordPieceScore(pairCount: 1, leftCount: 2, rightCount: 1)   // true
    /// ```
    public static func < (lhs: WordPieceScore, rhs: WordPieceScore) -> Bool {
        let left = UInt64(lhs.pairCount).multipliedFullWidth(by: UInt64(rhs.leftCount) * UInt64(rhs.rightCount))
        let right = UInt64(rhs.pairCount).multipliedFullWidth(by: UInt64(lhs.leftCount) * UInt64(lhs.rightCount))
        return left.high != right.high ? left.high < right.high : left.low < right.low
    }

    /// Equal scores (not necessarily equal counts): 1/(2·2) == 2/(2·4).
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 1, leftCount: 2, rightCount: 2) == WordPieceScore(pairCount: 2, leftCount: 2, rightCount: 4)   // true
    /// ```
    public static func == (lhs: WordPieceScore, rhs: WordPieceScore) -> Bool {
        !(lhs < rhs) && !(rhs < lhs)
    }

    /// "f(ab)/(f(a)·f(b)) = 4/(4·8) = 0.125".
    ///
    /// ```swift
    /// WordPieceScore(pairCount: 4, leftCount: 4, rightCount: 8).description   // "4/(4·8) = 0.125"
    /// ```
    public var description: String { "\(pairCount)/(\(leftCount)·\(rightCount)) = \(value)" }
}
