import XCTest
import LecternModels

/// Hidden tests for `bahdanauStep`: one decoder step against the library's
/// `LecternModels.AttentionSeq2SeqModel` (Bahdanau style, additive score, GRU, bidirectional
/// encoder) on seeded random weights and ragged sources — logits, new state and weights — and
/// the gradients of the step's output with respect to the inputs.
final class BahdanauStepHiddenTests: XCTestCase {
    /// A seeded Bahdanau model and a GRUCell holding its one-layer decoder's weights.
    private func model(seed: UInt64) -> (AttentionSeq2SeqModel, GRUCell) {
        var rng = SeededGenerator(seed: seed)
        let config = Seq2SeqConfig(vocabSize: 11, embeddingDim: 5, hiddenSize: 6, bidirectionalEncoder: true,
                                   padID: 0, bosID: 1, eosID: 2)
        let model = AttentionSeq2SeqModel(config, attention: AttentionConfig(style: .bahdanau, score: .additive),
                                          using: &rng)
        let cell = GRUCell(inputSize: 5 + 12, hiddenSize: 6, using: &rng)
        let decoder = Dictionary(uniqueKeysWithValues: model.decoder.namedParameters().map { ($0.name, $0.parameter.value) })
        cell.weightIH.value = decoder["weight_ih_l0"]!
        cell.weightHH.value = decoder["weight_hh_l0"]!
        cell.biasIH!.value = decoder["bias_ih_l0"]!
        cell.biasHH!.value = decoder["bias_hh_l0"]!
        return (model, cell)
    }

    func testTwoStepsMatchTheLibraryModel() {
        let (model, cell) = model(seed: 71)
        let source = [[3, 4, 5, 6, 7], [8, 9, 0, 0, 0], [10, 3, 4, 0, 0]]
        var state = model.startDecoding(source, sourceLengths: nil)
        var mine = state.recurrent.h.index(axis: 0, 0)                                    // (B, H)
        for (step, tokens) in [[1, 1, 1], [5, 9, 4]].enumerated() {
            let got = bahdanauStep(previous: model.embedding(tokens), state: mine, annotations: state.source.states,
                                   lengths: state.source.lengths, score: model.attention as! AdditiveScore,
                                   cell: cell, output: model.output)
            let (logits, next) = model.decodeStep(tokens, from: state)
            assertTensorClose(got.weights, next.weights!, "step \(step + 1): the attention weights", absolute: 2e-5, relative: 1e-4)
            assertTensorClose(got.state, next.recurrent.h.index(axis: 0, 0), "step \(step + 1): the new state", absolute: 2e-5, relative: 1e-4)
            assertTensorClose(got.logits, logits, "step \(step + 1): the logits", absolute: 2e-5, relative: 1e-4)
            state = next
            mine = got.state
        }
    }

    func testAttendsFromThePreviousStateNotTheNewOne() {
        // With the new state as the query the weights differ from the library's.
        let (model, cell) = model(seed: 72)
        let source = [[3, 4, 5, 6]]
        let state = model.startDecoding(source, sourceLengths: nil)
        let got = bahdanauStep(previous: model.embedding([1]), state: state.recurrent.h.index(axis: 0, 0),
                               annotations: state.source.states, lengths: [4],
                               score: model.attention as! AdditiveScore, cell: cell, output: model.output)
        let (_, next) = model.decodeStep([1], from: state)
        assertTensorClose(got.weights, next.weights!, "the weights come from s_{i−1}, before the GRU step", absolute: 2e-5, relative: 1e-4)
    }

    func testGradientsReachTheInputs() {
        let (model, cell) = model(seed: 73)
        let source = [[3, 4, 5], [6, 0, 0]]
        let state = model.startDecoding(source, sourceLengths: nil)
        let annotationsData = state.source.states.detached(), stateData = state.recurrent.h.index(axis: 0, 0).detached()
        let previousData = model.embedding([1, 1]).detached()
        func leaves() -> (Tensor, Tensor, Tensor) {
            (Tensor(shape: previousData.shape, scalars: previousData.scalars, requiresGrad: true),
             Tensor(shape: stateData.shape, scalars: stateData.scalars, requiresGrad: true),
             Tensor(shape: annotationsData.shape, scalars: annotationsData.scalars, requiresGrad: true))
        }
        var rng = SeededGenerator(seed: 74)
        let upstream = Tensor.randn([2, 11], using: &rng)
        let (p, s, h) = leaves()
        let got = bahdanauStep(previous: p, state: s, annotations: h, lengths: [3, 1],
                               score: model.attention as! AdditiveScore, cell: cell, output: model.output)
        guard got.logits.requiresGrad else { return XCTFail("the logits do not record gradients: use tensor operations") }
        (got.logits * upstream).sum().backward()
        // The reference: the same step written with the library's functions.
        let (p2, s2, h2) = leaves()
        let weights = attentionWeights(scores: (model.attention as! AdditiveScore)(s2, h2), sourceLengths: [3, 1])
        let context = attentionContext(weights: weights, values: h2)
        let newState = cell(Tensor.concat([p2, context], axis: 1), s2)
        (model.output(Tensor.concat([newState, context], axis: 1)) * upstream).sum().backward()
        assertTensorClose(p.grad!, p2.grad!, "the gradient with respect to the embedded token", absolute: 2e-5, relative: 1e-4)
        assertTensorClose(s.grad!, s2.grad!, "the gradient with respect to the previous state", absolute: 2e-5, relative: 1e-4)
        assertTensorClose(h.grad!, h2.grad!, "the gradient with respect to the annotations", absolute: 2e-5, relative: 1e-4)
    }
}
