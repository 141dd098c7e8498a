import XCTest
import LecternModels

/// Hidden tests for `poolCLS`: against the pooler of the library's `LecternModels.BertModel` with
/// the same weights (values, and the gradients of the states, W_p and b_p) for a batch of 3, and
/// that only the first token of each sequence matters.
final class BertPoolerHiddenTests: XCTestCase {
    func testMatchesTheLibraryValuesAndGradients() {
        var rng = SeededGenerator(seed: 521)
        let config = LecternModels.BertConfig(vocabSize: 10, hiddenSize: 8, numHiddenLayers: 0, numAttentionHeads: 2,
                                              intermediateSize: 16, maxPositionEmbeddings: 8)
        let bert = try! LecternModels.BertModel(config: config, using: &rng)
        let pooler = bert.pooler!
        pooler.dense.weight.value = Tensor.randn([8, 8], std: 0.5, using: &rng)
        pooler.dense.bias!.value = Tensor.randn([8], std: 0.5, using: &rng)
        let data = Tensor.randn([3, 5, 8], using: &rng), upstream = Tensor.randn([3, 8], using: &rng)
        let hidden = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let w = Tensor(shape: [8, 8], scalars: pooler.dense.weight.value.scalars, requiresGrad: true)
        let b = Tensor(shape: [8], scalars: pooler.dense.bias!.value.scalars, requiresGrad: true)
        let mine = poolCLS(hidden, weight: w, bias: b)
        let hidden2 = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let want = pooler(hidden2)
        assertTensorClose(mine, want, "(B, H) = (3, 8)")
        guard mine.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (mine * upstream).sum().backward()
        (want * upstream).sum().backward()
        assertTensorClose(hidden.grad ?? Tensor.zeros(hidden.shape), hidden2.grad!, "gradient of the hidden states")
        assertTensorClose(w.grad ?? Tensor.zeros([8, 8]), pooler.dense.weight.grad!, "gradient of W_p")
        assertTensorClose(b.grad ?? Tensor.zeros([8]), pooler.dense.bias!.grad!, "gradient of b_p")
    }

    func testOtherTokensDoNotMatter() {
        var rng = SeededGenerator(seed: 522)
        let w = Tensor.randn([4, 4], using: &rng), b = Tensor.randn([4], using: &rng)
        let first = Tensor.randn([2, 1, 4], using: &rng)
        let a = poolCLS(Tensor.concat([first, Tensor.randn([2, 3, 4], using: &rng)], axis: 1), weight: w, bias: b)
        let c = poolCLS(Tensor.concat([first, Tensor.randn([2, 6, 4], using: &rng)], axis: 1), weight: w, bias: b)
        assertTensorClose(a, c, "the same [CLS] states with different other tokens")
    }
}
