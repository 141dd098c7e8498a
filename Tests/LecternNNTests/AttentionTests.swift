// Attention (Bahdanau et al. 2015; Luong et al. 2015) against PyTorch: dot, general, concat and
// additive scores, masked-softmax weights and context vectors from Fixtures/attention.json
// (Scripts/fixtures/attention_reference.py), with the gradients of
// sum(context·u_c) + sum(weights·u_w) for s, h and every parameter. Also: padding gets exactly
// zero weight, real weights sum to 1, and a central-difference check of each score function.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct AttentionFixtures: Decodable {
    struct Named: Decodable {
        let name: String
        let value: TensorFixture
    }
    struct Case: Decodable {
        let name, kind: String
        let querySize, keySize: Int
        let attentionSize: Int?
        let lengths: [Int]
        let parameters, gradients: [Named]
        let s, h, scores, weights, context, upstreamContext, upstreamWeights, gradS, gradH: TensorFixture
    }
    let cases: [Case]
}

/// The score function a fixture case describes, with freshly initialised parameters.
private func makeScore(_ c: AttentionFixtures.Case) -> any AttentionScore {
    var rng = SeededGenerator(seed: 7)
    switch c.kind {
    case "dot": return DotScore()
    case "general": return GeneralScore(querySize: c.querySize, keySize: c.keySize, using: &rng)
    case "concat": return ConcatScore(querySize: c.querySize, keySize: c.keySize, attentionSize: c.attentionSize!, using: &rng)
    default: return AdditiveScore(querySize: c.querySize, keySize: c.keySize, attentionSize: c.attentionSize!, using: &rng)
    }
}

final class AttentionTests: XCTestCase {
    private var fixtures: AttentionFixtures!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(AttentionFixtures.self, from: "attention.json")
    }

    func testScoresWeightsAndContextMatchPyTorchForwardAndBackward() throws {
        XCTAssertEqual(fixtures.cases.map(\.kind), ["dot", "general", "concat", "additive"])
        for c in fixtures.cases {
            let score = makeScore(c)
            // PyTorch's named_parameters() names and order, exactly.
            XCTAssertEqual(score.stateDictNames(), c.parameters.map(\.name), c.name)
            try score.loadStateDict(Dictionary(uniqueKeysWithValues: c.parameters.map { ($0.name, $0.value.tensor) }))
            let s = c.s.leaf, h = c.h.leaf                                          // (B, Hs), (B, S, He)
            let scores = score(s, h)                                                // (B, S)
            let weights = attentionWeights(scores: scores, sourceLengths: c.lengths) // (B, S)
            let ctx = attentionContext(weights: weights, values: h)                          // (B, He)
            assertClose(scores, c.scores, absolute: 1e-5, c.name + " scores")
            assertClose(weights, c.weights, absolute: 1e-6, c.name + " weights")
            assertClose(ctx, c.context, absolute: 1e-5, c.name + " context")
            let loss = (ctx * c.upstreamContext.tensor).sum() + (weights * c.upstreamWeights.tensor).sum()   // scalar
            loss.backward()
            assertClose(s.grad, c.gradS, absolute: 1e-5, c.name + " grad s")
            assertClose(h.grad, c.gradH, absolute: 1e-5, c.name + " grad h")
            let parameters = Dictionary(uniqueKeysWithValues: score.namedParameters().map { ($0.name, $0.parameter) })
            XCTAssertEqual(c.gradients.count, parameters.count, c.name)
            for g in c.gradients {
                assertClose(parameters[g.name]?.grad, g.value, absolute: 1e-5, c.name + " grad " + g.name)
            }
        }
    }

    func testPaddingGetsExactlyZeroWeightAndRealWeightsSumToOne() {
        var rng = SeededGenerator(seed: 31)
        // Large scores at the padded positions: a −1e9 fill would still leave them 0 only by
        // luck of rounding; −inf makes it exact.
        let scores = Tensor.randn([4, 6], std: 30, using: &rng)                     // (B, S)
        let lengths = [6, 3, 1, 5]
        let byLengths = attentionWeights(scores: scores, sourceLengths: lengths)    // (B, S)
        let byMask = attentionWeights(scores: scores, excluding: paddingPositions(lengths: lengths, maxLength: 6))   // (B, S)
        XCTAssertEqual(byLengths.scalars, byMask.scalars)
        let w = byLengths.scalars
        for (b, length) in lengths.enumerated() {
            let row = w[(b * 6)..<(b * 6 + 6)]
            for j in length..<6 { XCTAssertEqual(row[b * 6 + j], 0, "row \(b) position \(j)") }   // exactly 0
            XCTAssertTrue(row.prefix(length).allSatisfy { $0 >= 0 && $0.isFinite }, "row \(b)")
            XCTAssertEqual(row.prefix(length).reduce(0, +), 1, accuracy: 1e-6, "row \(b) sums to 1")
        }
        XCTAssertEqual(w[12], 1)   // one real position takes all the weight
        XCTAssertEqual(paddingPositions(lengths: [3, 1], maxLength: 3).scalars, [0, 0, 0, 0, 1, 1])
    }

    func testPaddingGetsExactlyZeroGradientAndContextIgnoresPaddedValues() {
        var rng = SeededGenerator(seed: 41)
        let score = AdditiveScore(querySize: 3, keySize: 4, attentionSize: 5, using: &rng)
        var s = Tensor.randn([2, 3], std: 1, using: &rng); s.requiresGrad = true     // (B, Hs)
        var h = Tensor.randn([2, 4, 4], std: 1, using: &rng); h.requiresGrad = true  // (B, S, He)
        let weights = attentionWeights(scores: score(s, h), sourceLengths: [4, 2])   // (B, S)
        let ctx = attentionContext(weights: weights, values: h)                               // (B, He)
        (ctx.squared().sum() + weights.sum()).backward()                             // scalar
        // Row 1's padded encoder states (positions 2, 3) neither score nor contribute.
        let padGrad = h.grad!.index(axis: 0, 1).slice(axis: 0, 2..<4).scalars        // (2, He)
        XCTAssertTrue(padGrad.allSatisfy { $0 == 0 }, "\(padGrad)")
        // Changing a padded value leaves the context unchanged, bit for bit.
        var changed = h.detached()
        changed.withUnsafeMutableScalars { for i in 24..<32 { $0[i] = 1000 } }
        let ctx2 = Tensor.withoutGradients {
            attentionContext(weights: attentionWeights(scores: score(s.detached(), changed), sourceLengths: [4, 2]), values: changed)
        }                                                                            // (B, He)
        XCTAssertEqual(ctx2.scalars, ctx.scalars)
    }

    func testShapesAndNames() {
        var rng = SeededGenerator(seed: 3)
        let general = GeneralScore(querySize: 8, keySize: 6, using: &rng)
        XCTAssertEqual(general.W.weight.shape, [8, 6])
        XCTAssertNil(general.W.bias)
        let concat = ConcatScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
        XCTAssertEqual(concat.namedParameters().map(\.name), ["W.weight", "v.weight"])
        XCTAssertEqual(concat.W.weight.shape, [10, 14])
        XCTAssertEqual(concat.keySize, 6)
        let additive = AdditiveScore(querySize: 8, keySize: 6, attentionSize: 10, using: &rng)
        XCTAssertEqual(additive.namedParameters().map(\.name), ["W.weight", "U.weight", "v.weight"])
        XCTAssertEqual(DotScore().namedParameters().count, 0)
        let s = Tensor.zeros([2, 8]), h = Tensor.zeros([2, 5, 6])                    // (B, Hs), (B, S, He)
        for score in [general, concat, additive] as [any AttentionScore] {
            XCTAssertEqual(score(s, h).shape, [2, 5])                                // (B, S)
        }
        XCTAssertEqual(attentionContext(weights: Tensor.zeros([2, 5]), values: h).shape, [2, 6])   // (B, He)
    }

    func testScoreGradientsAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 11)
        let s = Tensor.randn([2, 3], std: 1, using: &rng)        // (B, Hs)
        let h = Tensor.randn([2, 4, 3], std: 1, using: &rng)     // (B, S, He)
        let lengths = [4, 2]
        let scores: [(String, any AttentionScore)] = [
            ("dot", DotScore()),
            ("general", GeneralScore(querySize: 3, keySize: 3, using: &rng)),
            ("concat", ConcatScore(querySize: 3, keySize: 3, attentionSize: 4, using: &rng)),
            ("additive", AdditiveScore(querySize: 3, keySize: 3, attentionSize: 4, using: &rng)),
        ]
        for (name, score) in scores {
            checkModuleGradients([s, h], score.parameters(), name) { xs in
                let weights = attentionWeights(scores: score(xs[0], xs[1]), sourceLengths: lengths)   // (B, S)
                return Tensor.concat([attentionContext(weights: weights, values: xs[1]), weights], axis: 1)    // (B, He + S)
            }
        }
    }
}
