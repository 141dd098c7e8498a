// The loss history and its chart, the progress display's plain-line output, and `fit`.
import LecternNN
import XCTest

final class TrainingUtilitiesTests: XCTestCase {
    func testChartOfAShortHistory() {
        let chart = LossHistory(losses: [4, 3, 2, 1.5, 1.2, 1]).chart(width: 6, height: 3)
        XCTAssertEqual(chart, """
            4.0000 ┤█
                   │██▁
            1.0000 ┤███▅▃▁
                   └────── 6 steps
            """)
    }

    func testChartDimensionsAndExtremes() {
        let losses = (0..<1000).map { Float(3 * exp(-Double($0) / 200) + 0.1) }
        let chart = LossHistory(losses: losses).chart(width: 50, height: 6)
        let lines = chart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 7)
        let plotted = lines.prefix(6).map { $0.split(separator: "┤", maxSplits: 1).last.map(String.init) ?? String($0.split(separator: "│").last ?? "") }
        XCTAssertTrue(plotted.allSatisfy { $0.count <= 50 })
        XCTAssertEqual(plotted.last!.count, 50, "the bottom row has a block in every column")
        XCTAssertTrue(plotted.first!.hasPrefix("█"), "the first (largest) column reaches the top")
        XCTAssertTrue(plotted.last!.hasSuffix("▁"), "the last (smallest) column is one eighth high")
        XCTAssertTrue(lines[0].hasPrefix("2.9") && lines[0].contains("┤"), lines[0])   // mean of the first 20 steps
        XCTAssertTrue(lines[5].hasPrefix("0.1") && lines[5].contains("┤"), lines[5])
        XCTAssertTrue(lines[6].hasSuffix("─ 1000 steps"))
        XCTAssertEqual(LossHistory().chart(), "(no losses recorded)")
        XCTAssertEqual(LossHistory(losses: [2, 2]).chart(width: 4, height: 2), "2.0000 ┤\n2.0000 ┤▁▁\n       └── 2 steps")
    }

    func testEpochBookkeeping() {
        var history = LossHistory()
        for loss: Float in [3, 1] { history.append(loss) }
        history.endEpoch()
        history.endEpoch()   // an empty epoch is not recorded
        history.append(0.5)
        history.endEpoch()
        XCTAssertEqual(history.epochEnds, [2, 3])
        XCTAssertEqual(history.epochMeans, [2, 0.5])
    }

    func testProgressDisplayPlainLines() {
        var output: [String] = []
        var now = 0.0
        let display = ProgressDisplay(style: .lines(every: 2), output: { output.append($0) }, clock: { now })
        display.beginEpoch(1, of: 3, batches: 5)
        for (step, loss) in [Float(1), 2, 3, 4, 5].enumerated() {
            now = Double(step + 1)
            display.update(loss: loss, examples: 10)
        }
        XCTAssertEqual(display.endEpoch(), 3)
        XCTAssertEqual(output, [
            "epoch 1/3  batch 2/5  loss 1.5000  10 examples/s\n",
            "epoch 1/3  batch 4/5  loss 2.5000  10 examples/s\n",
            "epoch 1/3  batch 5/5  loss 3.0000  10 examples/s  5.0 s\n",
        ])
    }

    func testProgressDisplayRedrawsOneLine() {
        var output: [String] = []
        var now = 0.0
        let display = ProgressDisplay(style: .redraw, output: { output.append($0) }, clock: { now })
        display.beginEpoch(2, of: 2, batches: 2)
        now = 0.5
        display.update(loss: 1, examples: 4)
        display.endEpoch()
        XCTAssertEqual(output, ["\r\u{1B}[2Kepoch 2/2  batch 1/2  loss 1.0000  8 examples/s",
                                "\r\u{1B}[2Kepoch 2/2  batch 1/2  loss 1.0000  8 examples/s  0.5 s\n"])
    }

    func testRedrawIsThrottledToTenPerSecond() {
        var output: [String] = []
        var now = 0.0
        let display = ProgressDisplay(style: .redraw, output: { output.append($0) }, clock: { now })
        display.beginEpoch(1, of: 1, batches: 4)
        for t in [0.01, 0.05, 0.12, 0.15] {
            now = t
            display.update(loss: 1, examples: 1)
        }
        XCTAssertEqual(output.count, 2, "drawn at 0.01 s and 0.12 s only")
        display.endEpoch()
        XCTAssertEqual(output.count, 3, "the epoch summary is always written")
    }

    func testStyleDetection() {
        XCTAssertEqual(ProgressDisplay.Style.detect(environment: ["LECTERN_TTY": "1"]), .redraw)
        XCTAssertEqual(ProgressDisplay.Style.detect(environment: ["LECTERN_TTY": "0"]), .lines(every: 50))
    }

    func testFitRunsEveryBatchAndRecordsTheLosses() {
        let pairs = Seq2SeqTask.copy(lengths: 1...3).split(train: 10, test: 0, seed: 0).train
        let batcher = SequenceBatcher(pairs, vocabulary: .characters(in: pairs), batchSize: 4)
        var rng = SeededGenerator(seed: 0)
        var seen: [Int] = []
        var output: [String] = []
        let history = fit(epochs: 2, batches: { _ in batcher.batches(shuffledWith: &rng) },
                          display: ProgressDisplay(style: .lines(every: 100), output: { output.append($0) })) { batch in
            seen += batch.indices
            return Float(batch.count)
        }
        XCTAssertEqual(seen.count, 20)
        XCTAssertEqual(history.losses.count, 6)
        XCTAssertEqual(history.epochEnds, [3, 6])
        XCTAssertEqual(history.epochMeans, [10.0 / 3.0, 10.0 / 3.0])
        XCTAssertEqual(output.count, 2)
        XCTAssertTrue(output[1].hasPrefix("epoch 2/2  batch 3/3  loss 3.3333"), output[1])
    }

    func testALessonStyleLoopLearnsTheCopyTask() {
        // Position-wise copy (no recurrence): embedding → linear back to the vocabulary.
        let data = Seq2SeqTask.copy(lengths: 2...5).split(train: 200, test: 20, seed: 0)
        let vocabulary = SequenceVocabulary.characters(in: data.train + data.test)
        let batcher = SequenceBatcher(data.train, vocabulary: vocabulary, batchSize: 20)
        var rng = SeededGenerator(seed: 1)
        let embedding = Embedding(numEmbeddings: vocabulary.count, embeddingDim: 16, std: 0.5, using: &rng)
        let output = Linear(inFeatures: 16, outFeatures: vocabulary.count, using: &rng)
        let optimizer = Adam(embedding.parameters() + output.parameters(), lr: 0.05)
        func logits(_ batch: SequenceBatch) -> Tensor {
            output(embedding(batch.sourceIDs)).reshaped([-1, vocabulary.count])
        }
        let history = fit(epochs: 5, batches: { _ in batcher.batches(shuffledWith: &rng) },
                          display: ProgressDisplay(style: .silent)) { batch in
            optimizer.minimize {
                crossEntropy(logits: logits(batch), targets: batch.sourceIDs.flatMap { $0 }, ignoreIndex: vocabulary.padID)
            }
        }
        XCTAssertLessThan(history.epochMeans.last!, history.epochMeans.first! / 4)
        let test = SequenceBatcher(data.test, vocabulary: vocabulary, batchSize: 20).batches()[0]
        let width = test.sourceIDs[0].count
        let predicted = logits(test).argmax(axis: 1)
        let rows = (0..<test.count).map { Array(predicted[($0 * width)..<(($0 + 1) * width)]) }
        XCTAssertEqual(tokenAccuracy(predictions: rows, targets: test.sourceIDs, padID: vocabulary.padID), 1)
        XCTAssertEqual(exactMatchAccuracy(predictions: rows, targets: test.sourceIDs, padID: vocabulary.padID), 1)
    }

    func testMinimizeTakesAnOptimizerStep() {
        let w = Parameter(Tensor(shape: [1], scalars: [3]))
        let optimizer = SGD([w], lr: 0.25)
        for _ in 0..<2 {
            // loss = w², gradient 2w: 3 → 1.5 → 0.75, whatever gradient was there before.
            _ = optimizer.minimize { (w.value * w.value).sum() }
        }
        XCTAssertEqual(w.value.scalars, [0.75])
    }
}
