// BERT's next-sentence-prediction data: pairs (A, B) where B is A's real next sentence half of
// the time and a sentence from another document the other half.
//
// Reference: Devlin et al. (2019), "BERT", §3.1 ("Task #2: Next Sentence Prediction"), and
// Google's `create_pretraining_data.py` (`create_instances_from_document`). Labels follow
// Hugging Face's `next_sentence_label` (`BertForPreTraining`): 0 = B continues A (IsNext),
// 1 = B is a random sentence (NotNext).
//
// The algorithm, with every random step spelled out:
//   for each document d in order, for each sentence i of d that has a next sentence (i + 1 < count):
//     if nextUniform() < isNextProbability → (d[i], d[i + 1], label 0)
//     else → r = nextInt(below: number of *other* non-empty documents), the r-th of them in
//            document order, and in it sentence nextInt(below: its count) → (d[i], that, label 1)
// Google's script differs in how it builds pairs: it packs several sentences into each segment
// up to a target length, draws the random document up to 10 times until it differs from the
// current one, and puts the unused sentences of the current document back. Here a segment is one
// sentence, and the random document is drawn uniformly among the other ones, so a NotNext
// sentence never comes from A's own document.

/// One next-sentence-prediction example: two sentences and whether the second follows the
/// first (label 0, IsNext) or was drawn from another document (label 1, NotNext).
///
///     let pair = NextSentencePair(first: "The man went to the store.", second: "Penguins are flightless.", label: 1)
///     pair.isNext   // false
public struct NextSentencePair<Sentence> {
    /// Sentence A.
    ///
    ///     pair.first   // "The man went to the store."
    public var first: Sentence
    /// Sentence B: A's next sentence (label 0) or a random one (label 1).
    ///
    ///     pair.second   // "Penguins are flightless."
    public var second: Sentence
    /// Hugging Face's `next_sentence_label`: 0 = IsNext, 1 = NotNext.
    ///
    ///     pair.label   // 1
    public var label: Int

    /// The label of a pair whose B really follows A (Hugging Face: 0).
    ///
    ///     NextSentencePair<String>.isNextLabel   // 0
    public static var isNextLabel: Int { 0 }
    /// The label of a pair whose B is a random sentence (Hugging Face: 1).
    ///
    ///     NextSentencePair<String>.notNextLabel   // 1
    public static var notNextLabel: Int { 1 }

    /// A pair with its label (0 = IsNext, 1 = NotNext).
    ///
    ///     NextSentencePair(first: [5, 6], second: [7, 8], label: 0)
    public init(first: Sentence, second: Sentence, label: Int) {
        self.first = first
        self.second = second
        self.label = label
    }

    /// Whether B is A's real next sentence (`label == 0`).
    ///
    ///     NextSentencePair(first: "a", second: "b", label: 0).isNext   // true
    public var isNext: Bool { label == Self.isNextLabel }
}

extension NextSentencePair: Equatable where Sentence: Equatable {}
extension NextSentencePair: Hashable where Sentence: Hashable {}
extension NextSentencePair: Sendable where Sentence: Sendable {}

/// Next-sentence-prediction pairs from documents (each an array of sentences, in order): one
/// pair per sentence that has a next sentence in its document; B is that next sentence with
/// probability `isNextProbability` (label 0), else a uniformly drawn sentence of a uniformly
/// drawn *other* document (label 1).
///
///     let documents = [["The man went to the store.", "He bought a gallon of milk.", "He went home."],
///                      ["Penguins are flightless.", "They live in the south."]]
///     var rng = SeededGenerator(seed: 0)
///     let pairs = nextSentencePairs(documents: documents, using: &rng)   // 3 pairs, about half IsNext
///
/// The sentences can be strings, token ids, or anything else; the random steps are listed at the
/// top of this file, so the same generator state gives the same pairs.
///
/// - Precondition: `isNextProbability` is in [0, 1]; at least two documents hold a sentence (a
///   NotNext sentence must come from another document).
public func nextSentencePairs<Sentence>(documents: [[Sentence]], isNextProbability: Double = 0.5,
                                        using generator: inout SeededGenerator) -> [NextSentencePair<Sentence>] {
    require((0...1).contains(isNextProbability), "nextSentencePairs: isNextProbability must be in [0, 1], got \(isNextProbability)")
    let nonEmpty = documents.indices.filter { !documents[$0].isEmpty }
    require(nonEmpty.count >= 2,
            "nextSentencePairs: at least two documents must hold a sentence (a NotNext sentence comes from another document), got \(nonEmpty.count)")
    var pairs: [NextSentencePair<Sentence>] = []
    for (d, document) in documents.enumerated() where document.count > 1 {
        let others = nonEmpty.filter { $0 != d }                     // documents a random B may come from
        for i in 0..<(document.count - 1) {
            if Double(generator.nextUniform()) < isNextProbability {
                pairs.append(NextSentencePair(first: document[i], second: document[i + 1], label: 0))
            } else {
                let other = documents[others[generator.nextInt(below: others.count)]]
                pairs.append(NextSentencePair(first: document[i], second: other[generator.nextInt(below: other.count)], label: 1))
            }
        }
    }
    return pairs
}
