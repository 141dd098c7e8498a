import XCTest
import LecternModels

/// Hidden tests for `decodeGreedily`: scripted step functions with known answers, and an
/// untrained seeded `LecternModels.Seq2SeqModel` against its own `greedyDecode`.
final class DecodeGreedilyHiddenTests: XCTestCase {
    /// Logits (B, V) with a 1 at each row's `ids` entry.
    private func oneHot(_ ids: [Int], _ v: Int) -> Tensor {
        var s = [Float](repeating: 0, count: ids.count * v)
        for (row, id) in ids.enumerated() { s[row * v + id] = 1 }
        return Tensor(shape: [ids.count, v], scalars: s)
    }

    func testCountingMachine() {
        // The state is a step counter; row b emits 4 + b + step, and <eos> = 2 at step 2 + b.
        let v = 12
        let out = decodeGreedily(initialState: Tensor.zeros([1]), batchSize: 3, bosID: 1, eosID: 2, padID: 0, maxLength: 10) { tokens, state in
            let t = Int(state.scalars[0])
            let ids = (0..<tokens.count).map { b in t == 2 + b ? 2 : 4 + b + t }
            return (self.oneHot(ids, v), state + 1)
        }
        XCTAssertEqual(out, [[4, 5, 2, 0, 0], [5, 6, 7, 2, 0], [6, 7, 8, 9, 2]])
    }

    func testFeedsBackTheChosenTokens() {
        // The next token is the last one + 1 (mod 10, from <bos> = 1), <eos> = 9.
        var seen: [[Int]] = []
        let out = decodeGreedily(initialState: Tensor.zeros([1]), batchSize: 2, bosID: 1, eosID: 9, padID: 0, maxLength: 20) { tokens, state in
            seen.append(tokens)
            return (self.oneHot(tokens.map { ($0 + 1) % 10 }, 10), state)
        }
        XCTAssertEqual(out, [[2, 3, 4, 5, 6, 7, 8, 9], [2, 3, 4, 5, 6, 7, 8, 9]])
        XCTAssertEqual(seen.first, [1, 1], "the first step reads <bos>")
        XCTAssertEqual(seen.count, 8, "stop as soon as every row has produced <eos>")
    }

    func testStopsAtMaxLength() {
        let out = decodeGreedily(initialState: Tensor.zeros([1]), batchSize: 2, bosID: 1, eosID: 2, padID: 0, maxLength: 3) { tokens, state in
            (self.oneHot(tokens.map { _ in 5 }, 6), state)
        }
        XCTAssertEqual(out, [[5, 5, 5], [5, 5, 5]], "no <eos>: exactly maxLength tokens")
    }

    func testTiesTakeTheFirstId() {
        let out = decodeGreedily(initialState: Tensor.zeros([1]), batchSize: 1, bosID: 1, eosID: 2, padID: 0, maxLength: 2) { tokens, state in
            (Tensor(shape: [1, 5], scalars: [0, 0, 0, 3, 3]), state)
        }
        XCTAssertEqual(out, [[3, 3]], "two equal maxima: the lower id, like argmax")
    }

    func testMatchesTheLibraryModel() {
        var rng = SeededGenerator(seed: 51)
        let config = LecternModels.Seq2SeqConfig(vocabSize: 9, embeddingDim: 4, hiddenSize: 8, bosID: 1, eosID: 2)
        let model = LecternModels.Seq2SeqModel(config, using: &rng)
        let source = [[3, 4, 5, 6], [7, 8, 0, 0], [5, 5, 5, 0]]
        let got = decodeGreedily(initialState: model.encode(source).h, batchSize: 3, bosID: 1, eosID: 2, padID: 0, maxLength: 7) { tokens, state in
            let (logits, next) = model.decode(tokens.map { [$0] }, from: LecternModels.Seq2SeqState(h: state))
            return (logits.reshaped([tokens.count, 9]), next.h)
        }
        XCTAssertEqual(got, model.greedyDecode(source, maxLength: 7))
    }
}
