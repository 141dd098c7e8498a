// Small generated sequence-to-sequence tasks for the seq2seq, attention and Transformer lessons:
// copying, reversing and sorting a digit string, and converting dates to ISO 8601.
//
// Reference: the algorithmic toy tasks of the early seq2seq and attention papers — copy and
// reverse (Sutskever et al., NeurIPS 2014, §3.3 on reversing the source; A. Graves et al.,
// "Neural Turing Machines", 2014, the copy task), sort (O. Vinyals et al., "Pointer Networks",
// NeurIPS 2015) — and the date-normalisation exercise of the attention tutorials.
//
// Why generated from SeededGenerator only: the examples are drawn with `nextInt(below:)`,
// which is integer arithmetic, so the same seed gives the same data on macOS and Linux and a
// lesson's printed examples and accuracies are the same for every student.
//
// Why the split is built from one stream of distinct sources: a test example whose source also
// occurs in training measures memorisation, not generalisation. Sources are drawn until
// `train + test` distinct ones are found; the first `train` are the training set.

/// A generated seq2seq task: a recipe for drawing one random ``SequencePair``.
///
///     let task = Seq2SeqTask.reverse(lengths: 3...8)
///     let data = task.split(train: 2000, test: 200, seed: 0)
///     data.train[0]   // e.g. 40981 → 18904
///
///     Seq2SeqTask.dates().examples(count: 2, seed: 1)
///     // e.g. [Mar 14, 1987 → 1987-03-14, 02.11.2033 → 2033-11-02]
public struct Seq2SeqTask: Sendable {
    /// A short name for printing, e.g. `"reverse"`.
    ///
    ///     print(task.name)   // reverse
    public let name: String
    private let draw: @Sendable (inout SeededGenerator) -> SequencePair

    /// A task from a name and a function that draws one example.
    ///
    ///     let double = Seq2SeqTask(name: "double") { rng in
    ///         let n = rng.nextInt(below: 500)
    ///         return SequencePair(source: String(n), target: String(2 * n))
    ///     }
    public init(name: String, draw: @escaping @Sendable (inout SeededGenerator) -> SequencePair) {
        self.name = name
        self.draw = draw
    }

    /// One example drawn with `rng`.
    ///
    ///     var rng = SeededGenerator(seed: 3)
    ///     let pair = Seq2SeqTask.sort(lengths: 5...5).example(using: &rng)   // e.g. 52914 → 12459
    public func example(using rng: inout SeededGenerator) -> SequencePair { draw(&rng) }

    /// `count` examples drawn from `seed` (duplicates possible; use ``split(train:test:seed:)``
    /// for disjoint sets).
    ///
    ///     let sample = Seq2SeqTask.copy(lengths: 2...4).examples(count: 5, seed: 0)
    public func examples(count: Int, seed: UInt64) -> [SequencePair] {
        require(count >= 0, "Seq2SeqTask.examples: count must be non-negative, got \(count)")
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in draw(&rng) }
    }

    /// A training set and a test set with no source in common, and no repeated source within
    /// either set.
    ///
    ///     let data = Seq2SeqTask.reverse(lengths: 4...10).split(train: 5000, test: 500, seed: 0)
    ///     data.train.count, data.test.count   // 5000, 500
    ///
    /// - Precondition: the task can produce `train + test` distinct sources (reversing strings of
    ///   length 1...2 has only 110 of them); the precondition message says when it cannot.
    public func split(train: Int, test: Int, seed: UInt64) -> Seq2SeqSplit {
        require(train >= 0 && test >= 0, "Seq2SeqTask.split: counts must be non-negative, got \(train) and \(test)")
        let wanted = train + test
        var rng = SeededGenerator(seed: seed)
        var seen = Set<String>()
        var pairs: [SequencePair] = []
        pairs.reserveCapacity(wanted)
        // Enough draws to find the distinct sources of any reasonable request; past that the
        // space is (nearly) exhausted and looping on would hang the lesson.
        let maxDraws = 100 * wanted + 10_000
        var draws = 0
        while pairs.count < wanted {
            require(draws < maxDraws,
                    "Seq2SeqTask.split: found only \(pairs.count) distinct \(name) sources in \(draws) draws, \(wanted) wanted; ask for fewer examples or longer sequences")
            draws += 1
            let pair = draw(&rng)
            if seen.insert(pair.source).inserted { pairs.append(pair) }
        }
        return Seq2SeqSplit(train: Array(pairs[..<train]), test: Array(pairs[train...]))
    }
}

/// The disjoint training and test sets of a task (see ``Seq2SeqTask/split(train:test:seed:)``).
///
///     let data = Seq2SeqTask.sort(lengths: 3...6).split(train: 1000, test: 100, seed: 7)
///     let vocabulary = SequenceVocabulary.characters(in: data.train + data.test)
public struct Seq2SeqSplit: Sendable, Hashable {
    /// The training examples.
    ///
    ///     data.train.count   // 1000
    public let train: [SequencePair]
    /// The held-out examples; no source occurs in ``train``.
    ///
    ///     data.test.count   // 100
    public let test: [SequencePair]

    /// A split from its two sets (no disjointness check: the generator guarantees it).
    ///
    ///     let tiny = Seq2SeqSplit(train: [SequencePair(source: "1", target: "1")], test: [])
    public init(train: [SequencePair], test: [SequencePair]) {
        self.train = train
        self.test = test
    }
}

extension Seq2SeqTask {
    /// The decimal digits, the default alphabet of the string tasks.
    ///
    ///     Seq2SeqTask.digits   // "0123456789"
    public static let digits = "0123456789"

    /// Copy the source: `"4096" → "4096"`. The easiest task; a model that fails it has a bug.
    ///
    ///     let task = Seq2SeqTask.copy(lengths: 1...10)
    ///
    /// - Precondition: `lengths.lowerBound >= 1` and `alphabet` is not empty.
    public static func copy(lengths: ClosedRange<Int>, alphabet: String = digits) -> Seq2SeqTask {
        stringTask(name: "copy", lengths: lengths, alphabet: alphabet) { $0 }
    }

    /// Reverse the source: `"1234" → "4321"`. Hard for an RNN without attention on long inputs:
    /// the first output depends on the last input and vice versa.
    ///
    ///     let task = Seq2SeqTask.reverse(lengths: 3...12)
    ///
    /// - Precondition: `lengths.lowerBound >= 1` and `alphabet` is not empty.
    public static func reverse(lengths: ClosedRange<Int>, alphabet: String = digits) -> Seq2SeqTask {
        stringTask(name: "reverse", lengths: lengths, alphabet: alphabet) { $0.reversed() }
    }

    /// Sort the source's characters in ascending order (by their order in `alphabet`):
    /// `"3141" → "1134"`.
    ///
    ///     let task = Seq2SeqTask.sort(lengths: 3...8)
    ///
    /// - Precondition: `lengths.lowerBound >= 1` and `alphabet` is not empty.
    public static func sort(lengths: ClosedRange<Int>, alphabet: String = digits) -> Seq2SeqTask {
        // Sort by alphabet position, not by Character's Unicode order, so a custom alphabet
        // ("abc…") sorts the way it is written.
        let rank = Dictionary(Array(alphabet).enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return stringTask(name: "sort", lengths: lengths, alphabet: alphabet) { chars in
            chars.sorted { rank[$0, default: 0] < rank[$1, default: 0] }
        }
    }

    /// Convert a date written in one of `formats` (chosen at random per example) to ISO 8601:
    /// `"March 5, 2021" → "2021-03-05"`, `"05.03.2021" → "2021-03-05"`. Dates are uniform over
    /// the years, the months and the days of each month.
    ///
    ///     let task = Seq2SeqTask.dates()                                      // every format
    ///     let easy = Seq2SeqTask.dates(formats: [.dayFirstDotted], years: 2000...2009)
    ///
    /// - Precondition: `formats` is not empty.
    public static func dates(formats: [DateFormat] = DateFormat.allCases.filter { $0 != .iso },
                             years: ClosedRange<Int> = 1950...2049) -> Seq2SeqTask {
        require(!formats.isEmpty, "Seq2SeqTask.dates: give at least one input format")
        require(years.lowerBound >= 0, "Seq2SeqTask.dates: years must be non-negative, got \(years)")
        return Seq2SeqTask(name: "dates") { rng in
            let year = years.lowerBound + rng.nextInt(below: years.count)
            let month = 1 + rng.nextInt(below: 12)
            let day = 1 + rng.nextInt(below: DateFormat.daysIn(month: month, year: year))
            let format = formats[rng.nextInt(below: formats.count)]
            return SequencePair(source: format.render(year: year, month: month, day: day),
                                target: DateFormat.iso.render(year: year, month: month, day: day))
        }
    }

    /// A task whose source is a random string over `alphabet` with a length drawn uniformly from
    /// `lengths`, and whose target is `transform` of the source's characters.
    private static func stringTask(name: String, lengths: ClosedRange<Int>, alphabet: String,
                                   transform: @escaping @Sendable ([Character]) -> [Character]) -> Seq2SeqTask {
        require(lengths.lowerBound >= 1, "Seq2SeqTask.\(name): lengths must start at 1 or more, got \(lengths)")
        let symbols = Array(alphabet)
        require(!symbols.isEmpty, "Seq2SeqTask.\(name): the alphabet is empty")
        return Seq2SeqTask(name: name) { rng in
            let length = lengths.lowerBound + rng.nextInt(below: lengths.count)
            let source = (0..<length).map { _ in symbols[rng.nextInt(below: symbols.count)] }
            return SequencePair(source: String(source), target: String(transform(source)))
        }
    }
}
