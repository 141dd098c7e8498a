import XCTest
import LecternModels

/// Hidden tests for `embedTokens`: against the library's `LecternModels.BertEmbeddings` of a small
/// random BERT (eval mode: no dropout), with LayerNorm's γ and β moved away from 1 and 0, for a
/// padded pair batch: values, and the gradients of the three tables (the word table's [PAD] row
/// aside: the library never trains it), γ and β. Also the ε inside the root, each token
/// normalised on its own, and positions restarting in every row.
final class BertEmbeddingsHiddenTests: XCTestCase {
    private func model(seed: UInt64) -> LecternModels.BertModel {
        var rng = SeededGenerator(seed: seed)
        let config = LecternModels.BertConfig(vocabSize: 13, hiddenSize: 6, numHiddenLayers: 1, numAttentionHeads: 2,
                                              intermediateSize: 12, maxPositionEmbeddings: 10)
        let bert = try! LecternModels.BertModel(config: config, using: &rng)
        bert.eval()
        let norm = bert.embeddings.layerNorm
        norm.weight.value = norm.weight.value + Tensor.randn([6], std: 0.5, using: &rng)
        norm.bias!.value = Tensor.randn([6], std: 0.5, using: &rng)
        return bert
    }

    func testMatchesTheLibraryValuesAndGradients() {
        let bert = model(seed: 501)
        let e = bert.embeddings
        let ids = [[2, 5, 6, 3, 7, 8, 3, 0], [2, 9, 3, 10, 11, 12, 3, 0]]
        let types = [[0, 0, 0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1, 1, 0]]
        func leaf(_ p: Parameter) -> Tensor { Tensor(shape: p.value.shape, scalars: p.value.scalars, requiresGrad: true) }
        let (w, pos, typ) = (leaf(e.wordEmbeddings.weight), leaf(e.positionEmbeddings.weight), leaf(e.tokenTypeEmbeddings.weight))
        let (gamma, beta) = (leaf(e.layerNorm.weight), leaf(e.layerNorm.bias!))
        var rng = SeededGenerator(seed: 502)
        let upstream = Tensor.randn([2, 8, 6], using: &rng)
        let mine = embedTokens(inputIDs: ids, tokenTypeIDs: types, wordTable: w, positionTable: pos, typeTable: typ,
                               gamma: gamma, beta: beta, eps: bert.config.layerNormEps)
        let want = e(inputIDs: ids, tokenTypeIDs: types, positionIDs: nil)
        assertTensorClose(mine, want, "(B, T, H) = (2, 8, 6)", absolute: 1e-4)
        guard mine.requiresGrad else { return XCTFail("the result does not record gradients: use tensor operations") }
        (mine * upstream).sum().backward()
        bert.zeroGrad()
        (want * upstream).sum().backward()
        // The library's word table never trains its [PAD] row (Hugging Face's padding_idx), which
        // the exercise leaves out: compare every other row.
        let rows = 1..<13
        assertTensorClose((w.grad ?? Tensor.zeros(w.shape)).slice(axis: 0, rows), e.wordEmbeddings.weight.grad!.slice(axis: 0, rows),
                          "gradient of the word table (rows 1 to 12)", absolute: 1e-4)
        let pairs: [(String, Tensor, Parameter)] = [("position table", pos, e.positionEmbeddings.weight),
                                                    ("type table", typ, e.tokenTypeEmbeddings.weight), ("gamma", gamma, e.layerNorm.weight),
                                                    ("beta", beta, e.layerNorm.bias!)]
        for (name, got, parameter) in pairs {
            assertTensorClose(got.grad ?? Tensor.zeros(got.shape), parameter.grad!, "gradient of the \(name)", absolute: 1e-4)
        }
    }

    func testATokenIsNormalisedOnItsOwn() {
        // Same token, position and segment in two batches with different neighbours: same vector.
        let bert = model(seed: 503)
        let e = bert.embeddings
        func embed(_ ids: [[Int]], _ types: [[Int]]) -> Tensor {
            embedTokens(inputIDs: ids, tokenTypeIDs: types, wordTable: e.wordEmbeddings.weight.value,
                        positionTable: e.positionEmbeddings.weight.value, typeTable: e.tokenTypeEmbeddings.weight.value,
                        gamma: e.layerNorm.weight.value, beta: e.layerNorm.bias!.value, eps: 1e-12)
        }
        let alone = embed([[4]], [[1]])
        let inBatch = embed([[4, 9, 9], [12, 1, 2]], [[1, 0, 0], [0, 1, 1]])
        assertTensorClose(Tensor(shape: [1, 1, 6], scalars: Array(inBatch.scalars[0..<6])), alone, "token 4 at position 0")
    }

    func testTheEpsilonIsInsideTheRoot() {
        // Sum (0, 2): mean 1, biased variance 1; eps = 3 → (0 − 1)/√(1 + 3) = −0.5.
        let y = embedTokens(inputIDs: [[0]], tokenTypeIDs: [[0]], wordTable: Tensor(shape: [1, 2], scalars: [0, 2]),
                            positionTable: Tensor.zeros([1, 2]), typeTable: Tensor.zeros([1, 2]),
                            gamma: Tensor.ones([2]), beta: Tensor.zeros([2]), eps: 3)
        XCTAssertEqual(y.scalars[0], -0.5, accuracy: 1e-6, "(x − μ)/√(σ² + ε), σ² the biased variance")
        XCTAssertEqual(y.scalars[1], 0.5, accuracy: 1e-6)
    }

    func testPositionsRestartInEveryRow() {
        // Row 1's first token must use position 0, not position T.
        let words = Tensor(shape: [2, 2], scalars: [0, 0,   0, 0])
        let positions = Tensor(shape: [2, 2], scalars: [1, -1,   -1, 1])
        let y = embedTokens(inputIDs: [[0, 1], [1, 0]], tokenTypeIDs: [[0, 0], [0, 0]], wordTable: words,
                            positionTable: positions, typeTable: Tensor.zeros([1, 2]),
                            gamma: Tensor.ones([2]), beta: Tensor.zeros([2]), eps: 0)
        XCTAssertEqual(y.shape, [2, 2, 2])
        XCTAssertEqual(y.scalars, [1, -1, -1, 1,   1, -1, -1, 1])
    }
}
