import XCTest
import LecternNN

/// Hidden tests for `layerNormalize`: against the library's `LecternNN.LayerNorm` with seeded γ and
/// β (values and the gradients of x, γ and β), rank-3 inputs, large means, and no dependence on
/// the rest of the batch.
final class LayerNormHiddenTests: XCTestCase {
    func testMatchesTheLibraryValuesAndGradients() {
        var rng = SeededGenerator(seed: 331)
        let norm = LecternNN.LayerNorm(6, eps: 1e-5)
        norm.weight.value = Tensor.randn([6], using: &rng)
        norm.bias!.value = Tensor.randn([6], using: &rng)
        let data = Tensor.randn([2, 3, 6], std: 3, using: &rng), upstream = Tensor.randn([2, 3, 6], using: &rng)
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let gamma = Tensor(shape: [6], scalars: norm.weight.value.scalars, requiresGrad: true)
        let beta = Tensor(shape: [6], scalars: norm.bias!.value.scalars, requiresGrad: true)
        let mine = layerNormalize(x, gamma: gamma, beta: beta, eps: 1e-5)
        let x2 = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let want = norm(x2)
        assertTensorClose(mine, want, "(B, T, d) = (2, 3, 6)")
        guard mine.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (mine * upstream).sum().backward()
        (want * upstream).sum().backward()
        assertTensorClose(x.grad ?? Tensor.zeros(x.shape), x2.grad!, "gradient with respect to x")
        assertTensorClose(gamma.grad ?? Tensor.zeros([6]), norm.weight.grad!, "gradient with respect to gamma")
        assertTensorClose(beta.grad ?? Tensor.zeros([6]), norm.bias!.grad!, "gradient with respect to beta")
    }

    func testBiasedVarianceAndEpsInsideTheRoot() {
        // d = 2: x = (0, 2) has mean 1 and biased variance 1; eps = 3 makes the root 2.
        let y = layerNormalize(Tensor(shape: [1, 2], scalars: [0, 2]), gamma: Tensor.ones([2]), beta: Tensor.zeros([2]), eps: 3)
        XCTAssertEqual(y.scalars[0], -0.5, accuracy: 1e-6, "(0 − 1) / √(1 + 3); an unbiased variance would give −1/√5")
    }

    func testEachVectorIsNormalisedOnItsOwn() {
        let alone = layerNormalize(Tensor(shape: [1, 3], scalars: [1, 5, 3]), gamma: Tensor.ones([3]), beta: Tensor.zeros([3]), eps: 1e-5)
        let batch = layerNormalize(Tensor(shape: [2, 3], scalars: [1, 5, 3,   1000, -1000, 7]),
                                   gamma: Tensor.ones([3]), beta: Tensor.zeros([3]), eps: 1e-5)
        XCTAssertEqual(Array(batch.scalars[0..<3]), alone.scalars, "statistics over the features of one vector, not over the batch")
    }

    func testALargeMeanDoesNotLoseTheSignal() {
        let x = Tensor(shape: [1, 4], scalars: [10_000, 10_001, 10_002, 10_003])
        let want = LecternNN.LayerNorm(4)(x)
        assertTensorClose(layerNormalize(x, gamma: Tensor.ones([4]), beta: Tensor.zeros([4]), eps: 1e-5), want,
                          "subtract the mean before squaring", absolute: 1e-3)
    }
}
