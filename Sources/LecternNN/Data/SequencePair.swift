// One example of a sequence-to-sequence task: a source string and the target string a model
// should produce from it.
//
// Reference: the (source, target) pairs of I. Sutskever, O. Vinyals, Q. V. Le, "Sequence to
// Sequence Learning with Neural Networks", NeurIPS 2014. Kept as plain strings (not ids) so a
// lesson can print them, and so the same data serves a character-level and a token-level model.

/// A source string and its target, e.g. `"12345" → "54321"` for the reversal task.
///
///     let pair = SequencePair(source: "March 5, 2021", target: "2021-03-05")
///     vocabulary.encode(pair.source)   // the source as ids
public struct SequencePair: Sendable, Hashable, CustomStringConvertible {
    /// The input sequence.
    ///
    ///     pair.source   // "31415"
    public var source: String
    /// The sequence the model should produce.
    ///
    ///     pair.target   // "51413"
    public var target: String

    /// A pair from its two strings.
    ///
    ///     let pair = SequencePair(source: "321", target: "123")
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }

    /// `source → target`, for printing examples in a lesson.
    ///
    ///     print(pair)   // 321 → 123
    public var description: String { "\(source) → \(target)" }
}
