// The toy seq2seq tasks (determinism, disjoint splits, hand-worked dates), the sequence
// vocabulary and the padded, shifted batches.
import LecternNN
import XCTest

final class Seq2SeqDataTests: XCTestCase {
    func testTasksAreDeterministicForASeedAndDifferForAnother() {
        for task in [Seq2SeqTask.copy(lengths: 3...8), .reverse(lengths: 3...8), .sort(lengths: 3...8), .dates()] {
            let a = task.examples(count: 20, seed: 42), b = task.examples(count: 20, seed: 42)
            XCTAssertEqual(a, b, task.name)
            XCTAssertNotEqual(a, task.examples(count: 20, seed: 43), task.name)
        }
    }

    func testStringTasksTransformTheSourceWithinTheLengthRange() {
        for pair in Seq2SeqTask.reverse(lengths: 2...5).examples(count: 100, seed: 1) {
            XCTAssertEqual(pair.target, String(pair.source.reversed()))
            XCTAssertTrue((2...5).contains(pair.source.count))
            XCTAssertTrue(pair.source.allSatisfy(\.isNumber))
        }
        for pair in Seq2SeqTask.sort(lengths: 4...4).examples(count: 50, seed: 2) {
            XCTAssertEqual(pair.target, String(pair.source.sorted()))
            XCTAssertEqual(pair.source.count, 4)
        }
        for pair in Seq2SeqTask.copy(lengths: 1...3, alphabet: "ab").examples(count: 50, seed: 3) {
            XCTAssertEqual(pair.target, pair.source)
            XCTAssertTrue(pair.source.allSatisfy { "ab".contains($0) })
        }
        // Sorting follows the alphabet's order, not Unicode's.
        let custom = Seq2SeqTask.sort(lengths: 6...6, alphabet: "zyx").examples(count: 20, seed: 4)
        for pair in custom {
            let rank: [Character: Int] = ["z": 0, "y": 1, "x": 2]
            XCTAssertEqual(pair.target.map { rank[$0]! }, pair.target.map { rank[$0]! }.sorted())
        }
    }

    func testSplitsAreDisjointAndDeterministic() {
        let task = Seq2SeqTask.reverse(lengths: 2...4)
        let data = task.split(train: 500, test: 100, seed: 9)
        XCTAssertEqual(data.train.count, 500)
        XCTAssertEqual(data.test.count, 100)
        let trainSources = Set(data.train.map(\.source)), testSources = Set(data.test.map(\.source))
        XCTAssertEqual(trainSources.count, 500, "no repeated source in training")
        XCTAssertEqual(testSources.count, 100, "no repeated source in test")
        XCTAssertTrue(trainSources.isDisjoint(with: testSources))
        XCTAssertEqual(data, task.split(train: 500, test: 100, seed: 9))
        XCTAssertNotEqual(data, task.split(train: 500, test: 100, seed: 10))
        // The whole space of 1-digit and 2-digit strings (110) can be used up exactly.
        let all = Seq2SeqTask.copy(lengths: 1...2).split(train: 100, test: 10, seed: 0)
        XCTAssertEqual(Set((all.train + all.test).map(\.source)).count, 110)
    }

    func testDateFormatsOnHandWorkedExamples() {
        XCTAssertEqual(DateFormat.longMonthFirst.render(year: 2021, month: 3, day: 5), "March 5, 2021")
        XCTAssertEqual(DateFormat.shortMonthFirst.render(year: 2021, month: 3, day: 5), "Mar 5, 2021")
        XCTAssertEqual(DateFormat.longDayFirst.render(year: 2021, month: 3, day: 5), "5 March 2021")
        XCTAssertEqual(DateFormat.shortDayFirst.render(year: 1999, month: 12, day: 31), "31 Dec 1999")
        XCTAssertEqual(DateFormat.dayFirstDotted.render(year: 2021, month: 3, day: 5), "05.03.2021")
        XCTAssertEqual(DateFormat.monthFirstSlashed.render(year: 2021, month: 3, day: 5), "03/05/2021")
        XCTAssertEqual(DateFormat.iso.render(year: 2021, month: 3, day: 5), "2021-03-05")
        XCTAssertEqual(DateFormat.iso.render(year: 987, month: 1, day: 9), "0987-01-09")
        XCTAssertTrue(DateFormat.isLeapYear(2000))
        XCTAssertTrue(DateFormat.isLeapYear(2024))
        XCTAssertFalse(DateFormat.isLeapYear(1900))
        XCTAssertFalse(DateFormat.isLeapYear(2023))
        XCTAssertEqual(DateFormat.daysIn(month: 2, year: 2024), 29)
        XCTAssertEqual(DateFormat.daysIn(month: 2, year: 2100), 28)
        XCTAssertEqual(DateFormat.daysIn(month: 4, year: 2021), 30)
        XCTAssertEqual(DateFormat.daysIn(month: 12, year: 2021), 31)
    }

    func testDateTaskTargetsAreTheISOFormOfTheSource() throws {
        let formats = DateFormat.allCases.filter { $0 != .iso }
        let pairs = Seq2SeqTask.dates(years: 1990...2010).examples(count: 300, seed: 5)
        var used = Set<DateFormat>()
        for pair in pairs {
            let parts = pair.target.split(separator: "-").compactMap { Int($0) }
            XCTAssertEqual(parts.count, 3, pair.description)
            let (y, m, d) = (parts[0], parts[1], parts[2])
            XCTAssertTrue((1990...2010).contains(y))
            let format = try XCTUnwrap(formats.first { $0.render(year: y, month: m, day: d) == pair.source }, pair.description)
            used.insert(format)
        }
        XCTAssertEqual(used, Set(formats), "every format is drawn")
        let dotted = Seq2SeqTask.dates(formats: [.dayFirstDotted]).examples(count: 10, seed: 6)
        XCTAssertTrue(dotted.allSatisfy { $0.source.split(separator: ".").count == 3 })
    }

    func testVocabularyEncodesAndDecodes() {
        let v = SequenceVocabulary.characters(in: ["21", "12"])
        XCTAssertEqual(v.tokens, ["<pad>", "<bos>", "<eos>", "<unk>", "1", "2"])
        XCTAssertEqual([v.padID, v.bosID, v.eosID, v.unkID], [0, 1, 2, 3])
        XCTAssertEqual(v.count, 6)
        XCTAssertEqual(v.encode("211"), [5, 4, 4])
        XCTAssertEqual(v.encode("2x"), [5, 3])
        XCTAssertEqual(v.decode([5, 4, 2, 0]), "21")
        XCTAssertEqual(v.decode([1, 5, 3, 0, 4]), "2<unk>1")
        XCTAssertEqual(v.decode([5, 2, 4], stopAtEOS: false), "21")
        XCTAssertEqual(v.decodeTokens([1, 5, 2], stopAtEOS: false, skipSpecial: false), ["<bos>", "2", "<eos>"])
        XCTAssertEqual(v.id(of: "<eos>"), 2)
        XCTAssertEqual(v.token(for: 4), "1")
        XCTAssertEqual(SequenceVocabulary(tokens: ["b", "a", "b", "<pad>"]).tokens, ["<pad>", "<bos>", "<eos>", "<unk>", "b", "a"])
        let dates = SequenceVocabulary.characters(in: Seq2SeqTask.dates().examples(count: 50, seed: 0))
        XCTAssertEqual(dates.decode(dates.encode("2021-03-05")), "2021-03-05")
    }

    func testBatchesArePaddedAndShiftedForTeacherForcing() {
        let pairs = [SequencePair(source: "12", target: "21"), SequencePair(source: "123", target: "321")]
        let v = SequenceVocabulary.characters(in: pairs)   // "1" = 4, "2" = 5, "3" = 6
        let batch = SequenceBatcher(pairs, vocabulary: v, batchSize: 2).batch(indices: [0, 1])
        XCTAssertEqual(batch.sourceIDs, [[4, 5, 0], [4, 5, 6]])
        XCTAssertEqual(batch.sourceLengths, [2, 3])
        XCTAssertEqual(batch.targetInputIDs, [[1, 5, 4, 0], [1, 6, 5, 4]])
        XCTAssertEqual(batch.targetOutputIDs, [[5, 4, 2, 0], [6, 5, 4, 2]])
        XCTAssertEqual(batch.targetLengths, [3, 4])
        XCTAssertEqual(batch.sourcePaddingMask, [[false, false, true], [false, false, false]])
        XCTAssertEqual(batch.count, 2)
        XCTAssertEqual(batch.exampleCount, 2)
        // The decoder input at t + 1 is the target output at t.
        for (input, output) in zip(batch.targetInputIDs, batch.targetOutputIDs) {
            XCTAssertEqual(Array(input.dropFirst()).filter { $0 != 0 }, Array(output.dropLast()).filter { $0 != 0 && $0 != 2 })
        }
        let withEOS = SequenceBatcher(pairs, vocabulary: v, batchSize: 2, sourceEOS: true).batch(indices: [1, 0])
        XCTAssertEqual(withEOS.sourceIDs, [[4, 5, 6, 2], [4, 5, 2, 0]])
        XCTAssertEqual(withEOS.sourceLengths, [4, 3])
        XCTAssertEqual(withEOS.indices, [1, 0])
    }

    func testEpochsAreShuffledDeterministically() {
        let data = Seq2SeqTask.copy(lengths: 1...6).split(train: 103, test: 0, seed: 1)
        let batcher = SequenceBatcher(data.train, vocabulary: .characters(in: data.train), batchSize: 10)
        XCTAssertEqual(batcher.batchCount, 11)
        let ordered = batcher.batches()
        XCTAssertEqual(ordered.flatMap(\.indices), Array(0..<103))
        XCTAssertEqual(ordered.map(\.count), Array(repeating: 10, count: 10) + [3])

        var rng = SeededGenerator(seed: 5)
        let epoch1 = batcher.batches(shuffledWith: &rng), epoch2 = batcher.batches(shuffledWith: &rng)
        XCTAssertEqual(epoch1.flatMap(\.indices).sorted(), Array(0..<103))
        XCTAssertNotEqual(epoch1.flatMap(\.indices), epoch2.flatMap(\.indices))
        XCTAssertNotEqual(epoch1.flatMap(\.indices), Array(0..<103))
        var again = SeededGenerator(seed: 5)
        XCTAssertEqual(batcher.batches(shuffledWith: &again), epoch1)
        // Every batch is padded to its own longest row.
        for batch in epoch1 {
            XCTAssertEqual(Set(batch.sourceIDs.map(\.count)), [batch.sourceLengths.max()!])
        }
    }
}
