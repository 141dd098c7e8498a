// Recurrent layers against PyTorch: RNN (tanh, relu), LSTM and GRU, 1–2 layers, both
// directions, ragged lengths (pack_padded_sequence), from Fixtures/recurrent.json
// (Scripts/fixtures/recurrent_reference.py): outputs, final states and the gradients of
// sum(output·u) + sum(h_n·u_h) (+ sum(c_n·u_c)) for the input, the initial states and every
// weight. Also: a central-difference check of each cell, loading a torch-saved safetensors
// state dict with PyTorch's exact names, and a 1,000-step backward (no recursion overflow).
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct RecurrentFixtures: Decodable {
    struct Named: Decodable {
        let name: String
        let value: TensorFixture
    }
    struct Case: Decodable {
        let name, kind: String
        let nonlinearity: String?
        let numLayers, inputSize, hiddenSize: Int
        let bidirectional: Bool
        let lengths: [Int]?
        let parameters, gradients: [Named]
        let input, output, hN, upstreamOutput, upstreamH, gradInput: TensorFixture
        let h0, gradH0, c0, gradC0, cN, upstreamC: TensorFixture?
    }
    struct SafetensorsCase: Decodable {
        let `case`: String
        let file: String
        let names: [String]
    }
    let cases: [Case]
    let safetensors: SafetensorsCase
}

/// The three layers behind one signature: (x, h0, c0, lengths) → (output, h_n, c_n).
private func makeLayer(_ c: RecurrentFixtures.Case) -> (any Module, (Tensor, Tensor?, Tensor?, [Int]?) -> (Tensor, Tensor, Tensor?)) {
    var rng = SeededGenerator(seed: 99)
    switch c.kind {
    case "rnn":
        let rnn = RNN(inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                      nonlinearity: RNNNonlinearity(rawValue: c.nonlinearity ?? "tanh")!,
                      bidirectional: c.bidirectional, using: &rng)
        return (rnn, { x, h0, _, lengths in let r = rnn(x, h0, lengths: lengths); return (r.output, r.h, nil) })
    case "lstm":
        let lstm = LSTM(inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                        bidirectional: c.bidirectional, using: &rng)
        return (lstm, { x, h0, c0, lengths in
            let state = h0.map { ($0, c0!) }
            let r = lstm(x, state, lengths: lengths)
            return (r.output, r.state.h, r.state.c)
        })
    default:
        let gru = GRU(inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                      bidirectional: c.bidirectional, using: &rng)
        return (gru, { x, h0, _, lengths in let r = gru(x, h0, lengths: lengths); return (r.output, r.h, nil) })
    }
}

final class RecurrentTests: XCTestCase {
    private var fixtures: RecurrentFixtures!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(RecurrentFixtures.self, from: "recurrent.json")
    }

    func testLayersMatchPyTorchForwardAndBackward() throws {
        XCTAssertEqual(fixtures.cases.count, 10)
        for c in fixtures.cases {
            let (module, run) = makeLayer(c)
            // PyTorch's named_parameters() order and names, exactly.
            XCTAssertEqual(module.stateDictNames(), c.parameters.map(\.name), c.name)
            try module.loadStateDict(Dictionary(uniqueKeysWithValues: c.parameters.map { ($0.name, $0.value.tensor) }))
            let x = c.input.leaf, h0 = c.h0?.leaf, c0 = c.c0?.leaf
            let (output, hN, cN) = run(x, h0, c0, c.lengths)   // (B, T, D·H), (L·D, B, H), (L·D, B, H)?
            assertClose(output, c.output, absolute: 1e-5, c.name + " output")
            assertClose(hN, c.hN, absolute: 1e-5, c.name + " h_n")
            if let expected = c.cN { assertClose(cN, expected, absolute: 1e-5, c.name + " c_n") }
            var loss = (output * c.upstreamOutput.tensor).sum() + (hN * c.upstreamH.tensor).sum()   // scalar
            if let cN, let u = c.upstreamC { loss = loss + (cN * u.tensor).sum() }
            loss.backward()
            assertClose(x.grad, c.gradInput, absolute: 1e-5, c.name + " grad input")
            if let expected = c.gradH0 { assertClose(h0?.grad, expected, absolute: 1e-5, c.name + " grad h0") }
            if let expected = c.gradC0 { assertClose(c0?.grad, expected, absolute: 1e-5, c.name + " grad c0") }
            let parameters = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter) })
            for g in c.gradients {
                assertClose(parameters[g.name]?.grad, g.value, absolute: 1e-5, c.name + " grad " + g.name)
            }
        }
    }

    func testLoadsATorchSavedStateDictWithPyTorchNames() throws {
        let spec = fixtures.safetensors
        let c = try XCTUnwrap(fixtures.cases.first { $0.name == spec.case })
        var rng = SeededGenerator(seed: 5)
        let lstm = LSTM(inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                        bidirectional: c.bidirectional, using: &rng)
        XCTAssertEqual(lstm.stateDictNames(), spec.names)
        XCTAssertTrue(spec.names.contains("weight_hh_l1_reverse"))
        let result = try lstm.load(from: Fixtures.url(spec.file))
        XCTAssertEqual(result.missingKeys, [])
        XCTAssertEqual(result.unexpectedKeys, [])
        let (output, state) = lstm(c.input.tensor, (c.h0!.tensor, c.c0!.tensor), lengths: c.lengths)
        assertClose(output, c.output, absolute: 1e-5, "output after loading safetensors")
        assertClose(state.h, c.hN, absolute: 1e-5, "h_n after loading safetensors")
    }

    func testShapesNamesAndInitialisationBound() {
        var rng = SeededGenerator(seed: 3)
        let gru = GRU(inputSize: 5, hiddenSize: 4, numLayers: 2, bidirectional: true, using: &rng)
        let shapes = Dictionary(uniqueKeysWithValues: gru.namedParameters().map { ($0.name, $0.parameter.shape) })
        XCTAssertEqual(shapes["weight_ih_l0"], [12, 5])
        XCTAssertEqual(shapes["weight_hh_l0_reverse"], [12, 4])
        XCTAssertEqual(shapes["weight_ih_l1"], [12, 8])
        XCTAssertEqual(shapes["bias_hh_l1_reverse"], [12])
        XCTAssertEqual(shapes.count, 16)
        for p in gru.parameters() { XCTAssertTrue(p.value.scalars.allSatisfy { Swift.abs($0) <= 0.5 }) }   // 1/√4
        let x = Tensor.zeros([3, 6, 5])                                  // (B, T, I)
        let (output, h) = gru(x)
        XCTAssertEqual(output.shape, [3, 6, 8])                          // (B, T, D·H)
        XCTAssertEqual(h.shape, [4, 3, 4])                               // (L·D, B, H)
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, bias: false, using: &rng)
        XCTAssertEqual(lstm.stateDictNames(), ["weight_ih_l0", "weight_hh_l0"])
    }

    func testPaddingDoesNotChangeTheResultOfTheRealSteps() {
        // A sequence of length 2 padded to 4 with garbage gives the same final state and the
        // same real outputs as the sequence alone.
        var rng = SeededGenerator(seed: 8)
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, bidirectional: true, using: &rng)
        let real = Tensor.randn([1, 2, 2], std: 1, using: &rng)                          // (1, 2, I)
        let padded = Tensor.concat([real, Tensor.full([1, 2, 2], 9)], axis: 1)           // (1, 4, I)
        let (alone, aloneState) = lstm(real)
        let (withPadding, paddedState) = lstm(padded, lengths: [2])
        assertClose(withPadding.slice(axis: 1, 0..<2).scalars, alone.scalars, "real steps")
        XCTAssertEqual(withPadding.slice(axis: 1, 2..<4).scalars, Array(repeating: 0, count: 12))
        assertClose(paddedState.h.scalars, aloneState.h.scalars, "h_n")
        assertClose(paddedState.c.scalars, aloneState.c.scalars, "c_n")
    }

    func testCellGradientsAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 11)
        let x = Tensor.randn([2, 3], std: 1, using: &rng)       // (B, I)
        let h = Tensor.randn([2, 4], std: 0.5, using: &rng)     // (B, H)
        let c = Tensor.randn([2, 4], std: 0.5, using: &rng)     // (B, H)
        for nonlinearity in RNNNonlinearity.allCases {
            let cell = RNNCell(inputSize: 3, hiddenSize: 4, nonlinearity: nonlinearity, using: &rng)
            checkModuleGradients([x, h], cell.parameters(), "RNNCell \(nonlinearity)") { cell($0[0], $0[1]) }
        }
        let lstm = LSTMCell(inputSize: 3, hiddenSize: 4, using: &rng)
        checkModuleGradients([x, h, c], lstm.parameters(), "LSTMCell") { xs in
            let s = lstm(xs[0], (xs[1], xs[2]))
            return Tensor.concat([s.h, s.c], axis: 1)           // (B, 2H)
        }
        let gru = GRUCell(inputSize: 3, hiddenSize: 4, using: &rng)
        checkModuleGradients([x, h], gru.parameters(), "GRUCell") { gru($0[0], $0[1]) }
    }

    func testAThousandStepSequenceBacksPropagatesWithoutOverflow() {
        var rng = SeededGenerator(seed: 21)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, using: &rng)
        var x = Tensor.randn([2, 1000, 3], std: 1, using: &rng)   // (B, T, I)
        x.requiresGrad = true
        let (output, state) = lstm(x, lengths: [1000, 640])
        (output.sum() + state.c.sum()).backward()               // scalar
        let grad = x.grad
        XCTAssertEqual(grad?.shape, [2, 1000, 3])
        XCTAssertTrue(grad?.scalars.allSatisfy(\.isFinite) ?? false)
        XCTAssertTrue(lstm.parameters().allSatisfy { $0.grad != nil })
        // Padding gets no gradient.
        XCTAssertEqual(grad?.index(axis: 0, 1).slice(axis: 0, 640..<1000).scalars.allSatisfy { $0 == 0 }, true)
    }
}
