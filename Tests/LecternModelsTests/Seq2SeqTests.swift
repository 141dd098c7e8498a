// The RNN encoder–decoder (Sutskever et al. 2014; Cho et al. 2014): shapes and PyTorch names,
// the Codable config, source padding that must not leak into the context, the teacher-forced
// loss against a hand-computed −Σ log softmax, padded targets, greedy decoding (stops at
// <eos>, respects the limit, batched = one row at a time), central differences for the loss,
// and learning a 3-digit copy task to ≥ 90% exact match with greedy decoding.
import Foundation
import LecternModels
import LecternTestSupport
import XCTest

/// Token ids of the tests' toy vocabulary: <pad> 0, <bos> 1, <eos> 2, then the digits 0–9 as 3–12.
private enum Toy {
    static let pad = 0, bos = 1, eos = 2, vocabSize = 13
    static func digit(_ d: Int) -> Int { 3 + d }
}

private func tinyConfig(_ cell: Seq2SeqCellKind, bidirectional: Bool, layers: Int = 1,
                        vocabSize: Int = 7, embeddingDim: Int = 3, hiddenSize: Int = 4) -> Seq2SeqConfig {
    Seq2SeqConfig(vocabSize: vocabSize, embeddingDim: embeddingDim, hiddenSize: hiddenSize, numLayers: layers,
                  cell: cell, bidirectionalEncoder: bidirectional, padID: 0, bosID: 1, eosID: 2)
}

/// Every (cell, bidirectional) combination.
private let allVariants: [(Seq2SeqCellKind, Bool)] = Seq2SeqCellKind.allCases.flatMap { [($0, false), ($0, true)] }

final class Seq2SeqTests: XCTestCase {
    func testShapesAndPyTorchParameterNames() {
        var rng = SeededGenerator(seed: 1)
        let model = Seq2SeqModel(tinyConfig(.gru, bidirectional: true, layers: 2), using: &rng)
        let names = model.namedParameters().map(\.name)
        XCTAssertEqual(names.first, "embedding.weight")
        for name in ["encoder.weight_ih_l0", "encoder.weight_hh_l1_reverse", "decoder.weight_ih_l0",
                     "decoder.bias_hh_l1", "bridge.weight", "bridge.bias", "output.weight", "output.bias"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertFalse(names.contains("decoder.weight_ih_l0_reverse"))   // the decoder is unidirectional
        XCTAssertFalse(names.contains { $0.hasPrefix("cell_bridge") })   // GRU: no cell state
        let shapes = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter.shape) })
        XCTAssertEqual(shapes["bridge.weight"], [4, 8])                  // (H, 2H)
        XCTAssertEqual(shapes["output.weight"], [7, 4])                  // (V, H)

        let source = [[3, 4, 5, 6], [5, 6, 0, 0], [4, 0, 0, 0]]
        let context = model.encode(source)
        XCTAssertEqual(context.h.shape, [2, 3, 4])                       // (L, B, H)
        XCTAssertNil(context.c)
        let logits = model(source: source, decoderInput: [[1, 3], [1, 5], [1, 4]])
        XCTAssertEqual(logits.shape, [3, 2, 7])                          // (B, T, V)
        XCTAssertEqual(model.loss(source: source, target: [[3, 2], [5, 2], [4, 2]], reduction: .none).shape, [3])

        let lstm = Seq2SeqModel(tinyConfig(.lstm, bidirectional: true), using: &rng)
        XCTAssertTrue(lstm.namedParameters().map(\.name).contains("cell_bridge.weight"))
        XCTAssertTrue(lstm.encoder is LSTM)
        XCTAssertEqual(lstm.encode(source).c?.shape, [1, 3, 4])          // (L, B, H)
        XCTAssertEqual(Seq2SeqModel(tinyConfig(.lstm, bidirectional: false), using: &rng).namedParameters().count,
                       1 + 4 + 4 + 2)                                   // embedding, encoder, decoder, output
    }

    func testConfigRoundTripsThroughJSONWithHuggingFaceKeys() throws {
        let config = tinyConfig(.lstm, bidirectional: true, layers: 2)
        let data = try JSONEncoder().encode(config)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["vocab_size"] as? Int, 7)
        XCTAssertEqual(object["cell"] as? String, "lstm")
        XCTAssertEqual(object["eos_token_id"] as? Int, 2)
        XCTAssertEqual(try JSONDecoder().decode(Seq2SeqConfig.self, from: data), config)
    }

    func testSourcePaddingChangesNeitherLogitsNorGreedyOutput() {
        let source = [[3, 4, 5], [6, 3, 0]]
        let padded = source.map { $0 + [0, 0, 0] }
        let decoderInput = [[1, 3, 4], [1, 6, 2]]
        for (cell, bidirectional) in allVariants {
            var rng = SeededGenerator(seed: 2)
            let model = Seq2SeqModel(tinyConfig(cell, bidirectional: bidirectional, layers: 2), using: &rng)
            let what = "\(cell) bidirectional=\(bidirectional)"
            XCTAssertEqual(model.sourceLengths(padded), [3, 2], what)
            let plain = model(source: source, decoderInput: decoderInput)   // (B, T, V)
            let extra = model(source: padded, decoderInput: decoderInput)   // (B, T, V)
            assertClose(extra.scalars, plain.scalars, absolute: 1e-6, what + " logits")
            XCTAssertEqual(model.greedyDecode(padded, maxLength: 6), model.greedyDecode(source, maxLength: 6), what)
            // Without lengths the padding would be read: the test can tell the difference.
            let leaky = model(source: padded, decoderInput: decoderInput, sourceLengths: [6, 6])
            XCTAssertNotEqual(leaky.scalars, plain.scalars, what + ": padding must matter when it is read")
        }
    }

    func testTeacherForcedLossIsTheSumOfPerTokenNegativeLogSoftmax() {
        var rng = SeededGenerator(seed: 3)
        let model = Seq2SeqModel(tinyConfig(.lstm, bidirectional: true), using: &rng)
        let source = [[3, 4, 5], [6, 0, 0]]
        let target = [[5, 4, 3, 2], [6, 2, 0, 0]]
        XCTAssertEqual(model.shiftedRight(target), [[1, 5, 4, 3], [1, 6, 2, 0]])
        let logits = model(source: source, decoderInput: model.shiftedRight(target)).scalars   // (B, T, V) flattened
        // −log softmax(logits_{b,t})[y_{b,t}] summed over the real tokens, in Double.
        let (v, t) = (7, 4)
        var perSequence = [0.0, 0.0], count = 0
        for b in 0..<2 {
            for step in 0..<t where target[b][step] != 0 {
                let row = logits[(b * t + step) * v ..< (b * t + step + 1) * v].map(Double.init)
                let logSumExp = Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +))
                perSequence[b] += logSumExp - row[target[b][step]]
                count += 1
            }
        }
        XCTAssertEqual(count, 6)
        let sum = perSequence.reduce(0, +)
        XCTAssertEqual(Double(model.loss(source: source, target: target, reduction: .sum).scalar), sum, accuracy: 1e-5)
        XCTAssertEqual(Double(model.loss(source: source, target: target).scalar), sum / 6, accuracy: 1e-5)
        assertClose(model.loss(source: source, target: target, reduction: .none).scalars,
                    perSequence.map(Float.init), absolute: 1e-5, "per-sequence loss")
    }

    func testLossIgnoresPaddedTargetPositions() {
        var rng = SeededGenerator(seed: 4)
        let model = Seq2SeqModel(tinyConfig(.gru, bidirectional: false), using: &rng)
        let alone = model.loss(source: [[3, 4]], target: [[4, 3, 2]], reduction: .sum).scalar
        let padded = model.loss(source: [[3, 4]], target: [[4, 3, 2, 0, 0]], reduction: .sum).scalar
        XCTAssertEqual(padded, alone, accuracy: 1e-6)
        XCTAssertEqual(model.loss(source: [[3, 4]], target: [[4, 3, 2, 0, 0]]).scalar, alone / 3, accuracy: 1e-6)
        // In a batch, the short row's loss is its loss alone.
        let batch = model.loss(source: [[3, 4, 0], [5, 6, 4]], target: [[4, 3, 2, 0, 0], [6, 5, 4, 3, 2]],
                               reduction: .none).scalars
        XCTAssertEqual(batch[0], alone, accuracy: 1e-5)
    }

    func testGreedyDecodingStopsAtEOSAndRespectsTheLimit() {
        var rng = SeededGenerator(seed: 5)
        let model = Seq2SeqModel(tinyConfig(.gru, bidirectional: true), using: &rng)
        let source = [[3, 4, 5], [6, 0, 0]]
        // Logits that always favour one token: <eos> stops every row after one step…
        let bias = model.output.bias!
        model.output.weight.value = Tensor.zeros([7, 4])
        bias.value = Tensor(shape: [7], scalars: [0, 0, 5, 0, 0, 0, 0])
        XCTAssertEqual(model.greedyDecode(source, maxLength: 4), [[2], [2]])
        // …and a token that is not <eos> runs to the limit.
        bias.value = Tensor(shape: [7], scalars: [0, 0, 0, 0, 0, 5, 0])
        XCTAssertEqual(model.greedyDecode(source, maxLength: 4), [[5, 5, 5, 5], [5, 5, 5, 5]])
        XCTAssertEqual(model.greedyDecode(source, maxLength: 1), [[5], [5]])
    }

    func testBatchedGreedyDecodingMatchesDecodingEachRowAlone() {
        // A random model whose rows end at different steps: finished rows emit <pad>, and each
        // row's tokens are those it gets when decoded alone.
        var rng = SeededGenerator(seed: 6)
        let model = Seq2SeqModel(tinyConfig(.lstm, bidirectional: true, hiddenSize: 8), using: &rng)
        // Untrained, the model's logits barely depend on the source; sharpen them (larger
        // embeddings and output weights), rule out <pad> and <bos>, and favour <eos> just
        // enough that some rows stop early and some reach the limit.
        model.embedding.weight.value = model.embedding.weight.value * 4       // (V, E)
        model.output.weight.value = model.output.weight.value * 8             // (V, H)
        model.output.bias!.value = Tensor(shape: [7], scalars: [-9, -9, 0.5, 0, 0, 0, 0])
        var sources: [[Int]] = []
        for _ in 0..<12 {
            let length = 1 + rng.nextInt(below: 4)
            let row = (0..<length).map { _ in 3 + rng.nextInt(below: 4) }
            sources.append(row + Array(repeating: 0, count: 4 - length))
        }
        let limit = 6
        let batched = model.greedyDecode(sources, maxLength: limit)
        var lengths = Set<Int>()
        for (row, source) in sources.enumerated() {
            let tokens = batched[row]
            let end = tokens.firstIndex(of: 2).map { $0 + 1 } ?? tokens.count
            lengths.insert(end)
            XCTAssertTrue(tokens[end...].allSatisfy { $0 == 0 }, "row \(row): \(tokens)")
            let alone = model.greedyDecode([Array(source.prefix(model.sourceLengths([source])[0]))], maxLength: limit)[0]
            XCTAssertEqual(Array(tokens[..<end]), alone, "row \(row)")
            XCTAssertTrue(alone.count == limit || alone.last == 2, "row \(row): stops only at <eos> or the limit")
        }
        XCTAssertGreaterThan(lengths.count, 2, "the rows should finish at different steps: \(batched)")
        XCTAssertTrue(lengths.contains(limit), "some row should reach the limit: \(batched)")
        XCTAssertEqual(batched[0].count, lengths.max())
    }

    func testLossGradientsAgreeWithCentralDifferences() {
        let source = [[3, 4, 5], [6, 3, 0]]
        let target = [[5, 4, 2], [3, 2, 0]]
        for (cell, bidirectional) in [(Seq2SeqCellKind.lstm, true), (.gru, true), (.gru, false)] {
            var rng = SeededGenerator(seed: 7)
            let model = Seq2SeqModel(tinyConfig(cell, bidirectional: bidirectional), using: &rng)
            checkSampledParameterGradients(of: model, "\(cell) \(bidirectional)") {
                model.loss(source: source, target: target, reduction: .sum)   // scalar
            }
            // Source padding is never read, so <pad>'s embedding row gets no gradient when no
            // decoder input is <pad> either (the shifted target here is [<bos>, 4]).
            model.zeroGrad()
            model.loss(source: [[3, 4, 0, 0]], target: [[4, 2]], reduction: .sum).backward()
            let padRow = model.embedding.weight.grad?.index(axis: 0, 0).scalars ?? []
            XCTAssertEqual(padRow, [0, 0, 0], "\(cell): the source padding must not be read")
        }
    }

    func testLearnsToCopyThreeDigitStrings() {
        // All 1,000 strings; 100 held out for evaluation, the rest for training.
        var rng = SeededGenerator(seed: 2014)
        let strings = rng.shuffled((0..<1000).map { n in [n / 100, n / 10 % 10, n % 10].map(Toy.digit) })
        let (test, train) = (Array(strings[..<100]), Array(strings[100...]))
        let config = Seq2SeqConfig(vocabSize: Toy.vocabSize, embeddingDim: 16, hiddenSize: 32, cell: .gru,
                                   bidirectionalEncoder: false, padID: Toy.pad, bosID: Toy.bos, eosID: Toy.eos)
        let model = Seq2SeqModel(config, using: &rng)
        let optimizer = AdamW(model.parameters(), lr: 1e-2, weightDecay: 0)
        let start = Date()
        for _ in 0..<300 {
            let batch = (0..<32).map { _ in train[rng.nextInt(below: train.count)] }
            let loss = model.loss(source: batch, target: batch.map { $0 + [Toy.eos] })   // scalar
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
        }
        let predictions = model.greedyDecode(test, maxLength: 6)
        let exact = zip(predictions, test).filter { $0.0 == $0.1 + [Toy.eos] }.count
        print("seq2seq copy: \(exact)/100 exact after 300 steps in \(Date().timeIntervalSince(start)) s")
        XCTAssertGreaterThanOrEqual(exact, 90, "exact match \(exact)% on held-out strings, e.g. \(predictions.prefix(3)) for \(test.prefix(3))")
    }
}
