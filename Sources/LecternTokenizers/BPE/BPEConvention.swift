// How a classic BPE marks the end of a word and breaks ties between equally frequent pairs —
// the two details on which implementations of Sennrich, Haddow & Birch (2016), "Neural Machine
// Translation of Rare Words with Subword Units" (ACL), disagree, and on which their merge
// tables therefore differ.
//
// - `.plain` is BPE as the lecture teaches it (SYLLABUS §4): words are split into characters
//   and nothing else, so "at" inside "mate" and "at" at the end of "cat" are the same symbol.
//   Ties go to the smallest pair, which is what the lecture's worked example does when
//   "at + e" and "mat + e" both occur 3 times.
// - `.subwordNMT` is subword-nmt 0.3.x (`learn_bpe.py`, merges file `#version: 0.2`): "</w>"
//   is glued to the last character of every word ("c a t</w>"), so word-final pieces are
//   learnt apart from word-internal ones, and `max(stats, key=lambda x: (stats[x], x))` makes
//   the highest count win and, among equal counts, the lexicographically largest pair.

/// The end-of-word and tie-break rules a classic BPE learns and applies with.
///
/// ```swift
/// BPEConvention.subwordNMT.endOfWord   // "</w>"
/// BPEConvention.plain.endOfWord        // nil
/// ```
public enum BPEConvention: Sendable, Equatable {
    /// As taught: characters only, no end-of-word marker; ties go to the smallest pair.
    case plain
    /// subword-nmt's: "</w>" glued to each word's last character; ties go to the largest pair.
    case subwordNMT

    /// The marker appended to the last symbol of every word, or nil for none.
    ///
    /// ```swift
    /// BPEConvention.subwordNMT.endOfWord   // "</w>"
    /// ```
    public var endOfWord: String? {
        switch self {
        case .plain: nil
        case .subwordNMT: "</w>"
        }
    }

    /// Whether, among pairs with the same count, the lexicographically largest one (compared
    /// by UTF-8 bytes, the same order as Python's code-point comparison) is merged first.
    ///
    /// ```swift
    /// BPEConvention.subwordNMT.prefersLargestPairOnTies   // true
    /// ```
    public var prefersLargestPairOnTies: Bool { self == .subwordNMT }
}
