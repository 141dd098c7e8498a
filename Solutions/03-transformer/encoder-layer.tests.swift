import XCTest
import LecternNN

/// Hidden tests for `encoderLayer`: against the library's post-LN `LecternNN.TransformerEncoderLayer`
/// (dropout 0) built from the same parts, with and without a padding mask, values and the
/// gradients of the input and of every parameter; and that it is post-LN, not pre-LN.
final class EncoderLayerHiddenTests: XCTestCase {
    private func layer(seed: UInt64) -> LecternNN.TransformerEncoderLayer {
        var rng = SeededGenerator(seed: seed)
        let layer = LecternNN.TransformerEncoderLayer(TransformerLayerConfig(dModel: 12, nhead: 3, dimFeedforward: 24, dropout: 0),
                                                      using: &rng)
        // Move the LayerNorms away from γ = 1, β = 0 so that swapped norms show up.
        for norm in [layer.norm1, layer.norm2] {
            norm.weight.value = norm.weight.value + Tensor.randn([12], std: 0.3, using: &rng)
            norm.bias!.value = Tensor.randn([12], std: 0.3, using: &rng)
        }
        return layer
    }

    private func check(mask: Tensor?, seed: UInt64, _ what: String) {
        let library = layer(seed: seed)
        var rng = SeededGenerator(seed: seed + 1)
        let data = Tensor.randn([2, 5, 12], using: &rng), upstream = Tensor.randn([2, 5, 12], using: &rng)
        let x = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let mine = encoderLayer(x, attentionMask: mask, selfAttention: library.selfAttn, feedForward: library.feedForward,
                                norm1: library.norm1, norm2: library.norm2)
        guard mine.requiresGrad else { return XCTFail("\(what): the output does not record gradients") }
        (mine * upstream).sum().backward()
        let mineParameterGrads = library.namedParameters().map { ($0.name, $0.parameter.grad) }
        library.zeroGrad()
        let x2 = Tensor(shape: data.shape, scalars: data.scalars, requiresGrad: true)
        let want = library(x2, attentionMask: mask)
        assertTensorClose(mine, want, "\(what): output")
        (want * upstream).sum().backward()
        assertTensorClose(x.grad ?? Tensor.zeros(x.shape), x2.grad!, "\(what): gradient of x")
        for ((name, got), (_, parameter)) in zip(mineParameterGrads, library.namedParameters()) {
            assertTensorClose(got ?? Tensor.zeros(parameter.shape), parameter.grad!, "\(what): gradient of \(name)")
        }
    }

    func testMatchesTheLibraryWithoutMask() { check(mask: nil, seed: 341, "no mask") }

    func testMatchesTheLibraryWithPadding() {
        check(mask: LecternNN.attentionMask(lengths: [5, 2], maxLength: 5), seed: 343, "padded batch")
    }

    func testTheNormComesAfterTheResidualSum() {
        let library = layer(seed: 345)
        var rng = SeededGenerator(seed: 346)
        let x = Tensor.randn([1, 4, 12], using: &rng)
        let mine = encoderLayer(x, attentionMask: nil, selfAttention: library.selfAttn, feedForward: library.feedForward,
                                norm1: library.norm1, norm2: library.norm2)
        // A post-LN layer ends with norm2: undoing its γ and β leaves mean 0 and variance 1 per token.
        let gamma = library.norm2.weight.value, beta = library.norm2.bias!.value
        let normalised = (mine - beta) / gamma                                                     // (1, 4, 12)
        for token in 0..<4 {
            let row = Array(normalised.scalars[(12 * token)..<(12 * token + 12)])
            XCTAssertEqual(row.reduce(0, +) / 12, 0, accuracy: 1e-3, "token \(token): the last step is norm2(h + feedForward(h))")
        }
    }
}
