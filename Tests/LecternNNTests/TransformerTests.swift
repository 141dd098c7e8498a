// The Transformer layers against hand-worked values, the paper's formulas, independent
// recomputation and central differences (PyTorch parity is TransformerParityTests'):
//   - the lecture's worked example (dot products 112 and 96, √64 = 8: weights e²/(1+e²), 1/(1+e²));
//   - attentionMask and causalMask against hand-written tables (square and bottom-right);
//     every mask form ((B, S), (B, T, S), rank 4, causal, causal + padding) against a
//     softmax recomputed in Double; hidden keys get exactly 0; an all-hidden row is uniform
//     with finite gradients, where a −∞ fill gives NaN;
//   - causality: perturbing a later input leaves earlier outputs bit-identical
//     (scaledDotProductAttention, TransformerEncoderLayer(isCausal:), TransformerDecoder);
//   - central differences for attention, split/merge heads, MultiheadAttention, post-/pre-LN
//     encoder layers and a decoder layer (its memory too); split/merge layout by hand;
//   - sinusoidal encodings against PE(pos, 2i) = sin(pos/10000^(2i/d)) written here in Double,
//     the rotation (angle-addition) property, offsets, the precomputed table's limit, and the
//     Annotated Transformer's float32 table (Fixtures/transformer.json, `positional_encoding`);
//   - permutation equivariance of an encoder layer without positions (and its loss with them);
//   - the decoder's key/value cache: one or two tokens at a time equals the full pass;
//   - train()/eval() reaching every dropout; xavier-uniform initialisation; bias: false;
//   - the configs' torch-named JSON keys and torch's defaults.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

// MARK: - Helpers

/// softmax(q·kᵀ/√d)·v for every (batch, head, query), recomputed in Double from the tensors'
/// scalars; `allowed(b, h, t, s)` says which keys query t may see. A query that may see no key
/// gets uniform weights 1/S (the library's documented choice instead of NaN).
private func referenceAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor,
                                allowed: (Int, Int, Int, Int) -> Bool) -> (output: [Float], weights: [Float]) {
    let (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let (s, dv) = (k.shape[2], v.shape[3])
    let (qs, ks, vs) = (q.scalars.map(Double.init), k.scalars.map(Double.init), v.scalars.map(Double.init))
    var output = [Double](repeating: 0, count: b * h * t * dv)
    var weights = [Double](repeating: 0, count: b * h * t * s)
    for bi in 0..<b {
        for hi in 0..<h {
            let head = bi * h + hi
            for ti in 0..<t {
                let visible = (0..<s).filter { allowed(bi, hi, ti, $0) }
                var row = [Double](repeating: visible.isEmpty ? 1 / Double(s) : 0, count: s)
                if !visible.isEmpty {
                    let scores = visible.map { sj in
                        (0..<d).reduce(0.0) { $0 + qs[(head * t + ti) * d + $1] * ks[(head * s + sj) * d + $1] } / Double(d).squareRoot()
                    }
                    let top = scores.max()!
                    let e = scores.map { Foundation.exp($0 - top) }
                    let z = e.reduce(0, +)
                    for (n, sj) in visible.enumerated() { row[sj] = e[n] / z }
                }
                for sj in 0..<s {
                    weights[(head * t + ti) * s + sj] = row[sj]
                    for c in 0..<dv { output[(head * t + ti) * dv + c] += row[sj] * vs[(head * s + sj) * dv + c] }
                }
            }
        }
    }
    return (output.map(Float.init), weights.map(Float.init))
}

/// `x` (B, T, …) with position `t` of every row replaced by itself plus `delta`.
private func perturbed(_ x: Tensor, at t: Int, by delta: Float = 0.75) -> Tensor {
    let (b, length) = (x.shape[0], x.shape[1])
    let width = x.count / (b * length)
    var scalars = x.scalars
    for row in 0..<b {
        for c in 0..<width { scalars[(row * length + t) * width + c] += delta }
    }
    return Tensor(shape: x.shape, scalars: scalars)
}

/// Positions `range` of a (B, T, …) tensor as flat scalars, row by row.
private func positions(_ x: Tensor, _ range: Range<Int>) -> [Float] {
    x.slice(axis: 1, range).scalars
}

/// Rows of a (1, T, d) tensor reordered: row i of the result is row `order[i]` of `x`.
private func reorderedRows(_ x: Tensor, _ order: [Int]) -> Tensor {
    let (t, d) = (x.shape[1], x.shape[2])
    precondition(order.count == t)
    let s = x.scalars
    return Tensor(shape: x.shape, scalars: order.flatMap { s[($0 * d)..<($0 * d + d)] })
}

private func tinyLayer(dModel: Int = 8, nhead: Int = 2, ff: Int = 12, dropout: Float = 0, activation: Activation = .relu,
                       normFirst: Bool = false, bias: Bool = true) -> TransformerLayerConfig {
    TransformerLayerConfig(dModel: dModel, nhead: nhead, dimFeedforward: ff, dropout: dropout, activation: activation,
                           normFirst: normFirst, bias: bias)
}

/// The fixture file's `positional_encoding` alone (the rest of transformer.json is the parity tests').
private struct PositionalEncodingFixture: Decodable {
    let positionalEncoding: TensorFixture
}

final class TransformerTests: XCTestCase {
    // MARK: Scaled dot-product attention

    func testLectureWorkedExampleScores112And96OverSqrt64GiveWeights0_8808And0_1192() {
        // q = (1, …, 1), k₁ = (1.75, …), k₂ = (1.5, …) in 64 dimensions: q·k₁ = 112, q·k₂ = 96
        // (exact in Float). Scaled by 1/√64 = 1/8 the scores are 14 and 12, so the weights are
        // e¹⁴/(e¹⁴ + e¹²) = e²/(1 + e²) ≈ 0.8808 and 1/(1 + e²) ≈ 0.1192.
        let q = Tensor(shape: [1, 1, 1, 64], scalars: Array(repeating: 1, count: 64))
        let k = Tensor(shape: [1, 1, 2, 64], scalars: Array(repeating: 1.75, count: 64) + Array(repeating: 1.5, count: 64))
        let v = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])            // one-hot values: output = weights
        XCTAssertEqual(q.matmul(k.transposed(2, 3)).scalars, [112, 96])
        let (output, weights) = scaledDotProductAttention(query: q, key: k, value: v)
        let e2 = Foundation.exp(2.0)
        XCTAssertEqual(weights.shape, [1, 1, 1, 2])
        XCTAssertEqual(Double(weights.scalars[0]), e2 / (1 + e2), accuracy: 1e-6)
        XCTAssertEqual(Double(weights.scalars[1]), 1 / (1 + e2), accuracy: 1e-6)
        XCTAssertEqual(weights.scalars[0], 0.8808, accuracy: 5e-5)   // the lecture's rounded numbers
        XCTAssertEqual(weights.scalars[1], 0.1192, accuracy: 5e-5)
        XCTAssertEqual(output.scalars, weights.scalars)
        // Without the scale the same scores (112 vs 96) would give a near one-hot 1/(1 + e⁻¹⁶).
        let unscaled = scaledDotProductAttention(query: q, key: k, value: v, scale: 1).weights
        XCTAssertEqual(Double(unscaled.scalars[1]), 1 / (1 + Foundation.exp(16.0)), accuracy: 1e-9)
    }

    // MARK: Masks

    func testAttentionMaskMarksTheFirstLengthPositionsWithOne() {
        let mask = attentionMask(lengths: [3, 1, 0, 4], maxLength: 4)
        XCTAssertEqual(mask.shape, [4, 4])
        XCTAssertEqual(mask.scalars, [1, 1, 1, 0,
                                      1, 0, 0, 0,
                                      0, 0, 0, 0,
                                      1, 1, 1, 1])
    }

    func testCausalMaskIsTheLowerTriangleAlignedBottomRight() {
        XCTAssertEqual(causalMask(queryLength: 4, keyLength: 4).scalars, [1, 0, 0, 0,
                                                                          1, 1, 0, 0,
                                                                          1, 1, 1, 0,
                                                                          1, 1, 1, 1])
        // Two new queries over five keys (three cached): query 0 is position 3, query 1 position 4.
        let cached = causalMask(queryLength: 2, keyLength: 5)
        XCTAssertEqual(cached.shape, [2, 5])
        XCTAssertEqual(cached.scalars, [1, 1, 1, 1, 0,
                                        1, 1, 1, 1, 1])
        XCTAssertEqual(causalMask(queryLength: 1, keyLength: 3).scalars, [1, 1, 1])
        XCTAssertEqual(causalMask(queryLength: 1, keyLength: 1).scalars, [1])
    }

    func testEveryMaskFormAgreesWithASoftmaxRecomputedOverTheVisibleKeys() {
        var rng = SeededGenerator(seed: 1)
        let (b, h, t, s, d) = (2, 2, 3, 5, 4)
        let q = Tensor.randn([b, h, t, d], using: &rng)
        let k = Tensor.randn([b, h, s, d], using: &rng)
        let v = Tensor.randn([b, h, s, 3], using: &rng)
        let lengths = [5, 2]
        // A (B, T, S) pattern with one fully hidden query row (b 1, t 0), and a per-head pattern.
        let perQuery: [Float] = [1, 0, 1, 1, 0,   0, 1, 1, 1, 1,   1, 1, 1, 1, 1,
                                 0, 0, 0, 0, 0,   1, 0, 0, 0, 1,   0, 1, 0, 1, 0]
        var perHead = [Float]()
        for bi in 0..<b { for hi in 0..<h { for ti in 0..<t { for sj in 0..<s {
            perHead.append((sj + 2 * ti + 4 * hi + bi) % 3 == 0 ? 0 : 1)
        } } } }
        XCTAssertNotEqual(Array(perHead[0..<(t * s)]), Array(perHead[(t * s)..<(2 * t * s)]), "the two heads' masks differ")
        let causalOK = { (ti: Int, sj: Int) in sj <= ti + (s - t) }          // bottom-right
        let cases: [(name: String, mask: Tensor?, causal: Bool, allowed: (Int, Int, Int, Int) -> Bool)] = [
            ("none", nil, false, { _, _, _, _ in true }),
            ("padding (B, S)", attentionMask(lengths: lengths, maxLength: s), false, { bi, _, _, sj in sj < lengths[bi] }),
            ("causal", nil, true, { _, _, ti, sj in causalOK(ti, sj) }),
            ("causal + padding", attentionMask(lengths: lengths, maxLength: s), true,
             { bi, _, ti, sj in sj < lengths[bi] && causalOK(ti, sj) }),
            ("per query (B, T, S)", Tensor(shape: [b, t, s], scalars: perQuery), false,
             { bi, _, ti, sj in perQuery[(bi * t + ti) * s + sj] != 0 }),
            ("per query + causal", Tensor(shape: [b, t, s], scalars: perQuery), true,
             { bi, _, ti, sj in perQuery[(bi * t + ti) * s + sj] != 0 && causalOK(ti, sj) }),
            ("per head (B, nh, T, S)", Tensor(shape: [b, h, t, s], scalars: perHead), false,
             { bi, hi, ti, sj in perHead[((bi * h + hi) * t + ti) * s + sj] != 0 }),
            ("broadcast (1, 1, T, S)", Tensor(shape: [1, 1, t, s], scalars: Array(perQuery[0..<(t * s)])), false,
             { _, _, ti, sj in perQuery[ti * s + sj] != 0 }),
        ]
        for c in cases {
            let (output, weights) = scaledDotProductAttention(query: q, key: k, value: v, attentionMask: c.mask, isCausal: c.causal)
            XCTAssertEqual(output.shape, [b, h, t, 3], c.name)
            XCTAssertEqual(weights.shape, [b, h, t, s], c.name)
            let expected = referenceAttention(q, k, v, allowed: c.allowed)
            assertClose(weights.scalars, expected.weights, absolute: 1e-6, c.name + ": weights")
            assertClose(output.scalars, expected.output, absolute: 1e-5, c.name + ": output")
            // Hidden keys get exactly zero weight (unless the whole row is hidden).
            let w = weights.scalars
            for bi in 0..<b { for hi in 0..<h { for ti in 0..<t {
                let visible = (0..<s).filter { c.allowed(bi, hi, ti, $0) }
                guard !visible.isEmpty else { continue }
                for sj in 0..<s where !visible.contains(sj) {
                    XCTAssertEqual(w[((bi * h + hi) * t + ti) * s + sj], 0, "\(c.name): b \(bi) h \(hi) t \(ti) s \(sj)")
                }
            } } }
        }
    }

    func testPaddedKeysGetExactlyZeroAndTheRestIsAttentionOverTheRealKeysAlone() {
        var rng = SeededGenerator(seed: 2)
        let q = Tensor.randn([1, 2, 3, 4], using: &rng)
        let k = Tensor.randn([1, 2, 6, 4], using: &rng) * 3                   // large scores: padding would win if seen
        let v = Tensor.randn([1, 2, 6, 4], using: &rng)
        let (output, weights) = scaledDotProductAttention(query: q, key: k, value: v,
                                                          attentionMask: attentionMask(lengths: [4], maxLength: 6))
        let w = weights.scalars
        for row in 0..<(2 * 3) {
            XCTAssertEqual(Array(w[(row * 6 + 4)..<(row * 6 + 6)]), [0, 0], "row \(row)")
            XCTAssertEqual(w[(row * 6)..<(row * 6 + 4)].reduce(0, +), 1, accuracy: 1e-6)
        }
        // Padding is as if the keys were not there at all.
        let alone = scaledDotProductAttention(query: q, key: k.slice(axis: 2, 0..<4), value: v.slice(axis: 2, 0..<4))
        assertClose(output.scalars, alone.output.scalars, absolute: 1e-6, "output")
        assertClose(weights.slice(axis: 3, 0..<4).scalars, alone.weights.scalars, absolute: 1e-7, "weights")
    }

    func testAQueryWhoseKeysAreAllHiddenGetsUniformWeightsAndFiniteGradients() {
        var rng = SeededGenerator(seed: 3)
        let (t, s) = (3, 4)
        let q = Tensor.randn([1, 1, t, 2], using: &rng)
        let k = Tensor.randn([1, 1, s, 2], using: &rng)
        let v = Tensor.randn([1, 1, s, 2], using: &rng)
        // Query 1 may see nothing (a padding query, say); queries 0 and 2 see some keys.
        let mask = Tensor(shape: [1, t, s], scalars: [1, 1, 0, 0,
                                                      0, 0, 0, 0,
                                                      1, 0, 1, 1])
        let leaves = [q, k, v].map { x -> Tensor in var l = x.detached(); l.requiresGrad = true; return l }
        let (output, weights) = scaledDotProductAttention(query: leaves[0], key: leaves[1], value: leaves[2], attentionMask: mask)
        XCTAssertEqual(Array(weights.scalars[4..<8]), [0.25, 0.25, 0.25, 0.25])   // 1/S each
        let vs = v.scalars                                                           // the output is the mean value
        XCTAssertEqual(output.scalars[2], (vs[0] + vs[2] + vs[4] + vs[6]) / 4, accuracy: 1e-6)
        XCTAssertEqual(output.scalars[3], (vs[1] + vs[3] + vs[5] + vs[7]) / 4, accuracy: 1e-6)
        (output * output).sum().backward()
        for (name, leaf) in zip(["query", "key", "value"], leaves) {
            let grad = leaf.grad?.scalars ?? []
            XCTAssertEqual(grad.count, leaf.count, name)
            XCTAssertTrue(grad.allSatisfy(\.isFinite), "\(name) grad \(grad)")
        }
        XCTAssertEqual(Array(leaves[0].grad!.scalars[2..<4]), [0, 0], "the blind query's scores are constant")
        checkModuleGradients([q, k, v], [], "all-hidden row") { xs in
            scaledDotProductAttention(query: xs[0], key: xs[1], value: xs[2], attentionMask: mask).output
        }
        // With −∞ instead of the most negative finite Float, the same row is 0/0.
        let scores = q.matmul(k.transposed(2, 3)) / Float(2).squareRoot()
        let hidden = Tensor(shape: [1, 1, t, s], scalars: mask.scalars.map { $0 == 0 ? 1 : 0 })
        let infinite = scores.maskedFill(hidden, with: -.infinity).softmax(axis: -1).scalars
        XCTAssertTrue(infinite[4..<8].allSatisfy(\.isNaN), "−∞ everywhere gives NaN: \(infinite)")
        XCTAssertTrue(infinite[0..<4].allSatisfy(\.isFinite))
    }

    // MARK: Causality

    func testCausalAttentionOutputAtTDoesNotDependOnInputsAfterT() {
        var rng = SeededGenerator(seed: 4)
        let (q, k, v) = (Tensor.randn([2, 2, 5, 4], using: &rng), Tensor.randn([2, 2, 5, 4], using: &rng),
                         Tensor.randn([2, 2, 5, 4], using: &rng))
        func attend(_ q: Tensor, _ k: Tensor, _ v: Tensor) -> Tensor {
            // (B, nh, T, d) → (B, T, nh, d) so that `positions` slices time.
            scaledDotProductAttention(query: q, key: k, value: v, isCausal: true).output.permuted([0, 2, 1, 3])
        }
        func byTime(_ x: Tensor) -> Tensor { x.permuted([0, 2, 1, 3]) }   // (B, nh, T, d) ↔ (B, T, nh, d)
        let base = attend(q, k, v)
        for t0 in [1, 3] {
            let changed = attend(byTime(perturbed(byTime(q), at: t0)), byTime(perturbed(byTime(k), at: t0)),
                                 byTime(perturbed(byTime(v), at: t0)))
            XCTAssertEqual(positions(changed, 0..<t0), positions(base, 0..<t0), "positions before \(t0) must not move")
            XCTAssertNotEqual(positions(changed, t0..<5), positions(base, t0..<5), "position \(t0) and later do change")
        }
        // Without the causal mask the past does see the future: the test can tell.
        let open = scaledDotProductAttention(query: q, key: k, value: perturbed(byTime(v), at: 4).permuted([0, 2, 1, 3])).output
        XCTAssertNotEqual(open.slice(axis: 2, 0..<1).scalars,
                          scaledDotProductAttention(query: q, key: k, value: v).output.slice(axis: 2, 0..<1).scalars)
    }

    func testCausalEncoderLayerAndDecoderOutputsDoNotDependOnLaterTokens() {
        var rng = SeededGenerator(seed: 5)
        for normFirst in [false, true] {
            let layer = TransformerEncoderLayer(tinyLayer(dropout: 0.1, normFirst: normFirst), using: &rng)
            layer.eval()
            let x = Tensor.randn([2, 6, 8], using: &rng)
            let base = layer(x, isCausal: true)
            let changed = layer(perturbed(x, at: 4), isCausal: true)
            XCTAssertEqual(positions(changed, 0..<4), positions(base, 0..<4), "encoder layer normFirst \(normFirst)")
            XCTAssertNotEqual(positions(changed, 4..<6), positions(base, 4..<6))
            XCTAssertNotEqual(positions(layer(perturbed(x, at: 4)), 0..<4), positions(layer(x), 0..<4),
                              "bidirectional: earlier tokens see the change")

            let decoder = TransformerDecoder(tinyLayer(dropout: 0.1, normFirst: normFirst), numLayers: 2, finalNorm: true, using: &rng)
            decoder.eval()
            let memory = Tensor.randn([2, 4, 8], using: &rng)
            let mask = attentionMask(lengths: [4, 2], maxLength: 4)
            let y = decoder(x, memory: memory, memoryMask: mask)
            let z = decoder(perturbed(x, at: 2), memory: memory, memoryMask: mask)
            XCTAssertEqual(positions(z, 0..<2), positions(y, 0..<2), "decoder normFirst \(normFirst)")
            XCTAssertNotEqual(positions(z, 2..<6), positions(y, 2..<6))
        }
    }

    // MARK: Central differences

    func testScaledDotProductAttentionGradientsWithPaddingAndCausalMasks() {
        var rng = SeededGenerator(seed: 6)
        let q = Tensor.randn([2, 2, 3, 3], using: &rng)
        let k = Tensor.randn([2, 2, 4, 3], using: &rng)
        let v = Tensor.randn([2, 2, 4, 3], using: &rng)
        let padding = attentionMask(lengths: [4, 2], maxLength: 4)
        for causal in [false, true] {
            checkModuleGradients([q, k, v], [], "output, causal \(causal)") { xs in
                scaledDotProductAttention(query: xs[0], key: xs[1], value: xs[2], attentionMask: padding, isCausal: causal).output
            }
            checkModuleGradients([q, k, v], [], "weights, causal \(causal)") { xs in
                scaledDotProductAttention(query: xs[0], key: xs[1], value: xs[2], attentionMask: padding, isCausal: causal).weights
            }
        }
    }

    func testSplitHeadsLayoutByHandAndMergeHeadsInvertsIt() {
        // Two tokens of E = 4 in 2 heads of 2: head h of token t is x[t, 2h ..< 2h + 2].
        let x = Tensor(shape: [1, 2, 4], scalars: [0, 1, 2, 3,
                                                    4, 5, 6, 7])
        let split = splitHeads(x, heads: 2)
        XCTAssertEqual(split.shape, [1, 2, 2, 2])                              // (B, nh, T, hs)
        XCTAssertEqual(split.scalars, [0, 1, 4, 5,                             // head 0: token 0, token 1
                                       2, 3, 6, 7])                            // head 1
        XCTAssertEqual(mergeHeads(split).scalars, x.scalars)

        var rng = SeededGenerator(seed: 7)
        let (b, t, e, heads) = (2, 3, 6, 3)
        let y = Tensor.randn([b, t, e], using: &rng)
        let hs = e / heads
        let s = splitHeads(y, heads: heads)
        XCTAssertEqual(s.shape, [b, heads, t, hs])
        for bi in 0..<b { for h in 0..<heads { for ti in 0..<t { for i in 0..<hs {
            XCTAssertEqual(s.scalars[((bi * heads + h) * t + ti) * hs + i], y.scalars[(bi * t + ti) * e + h * hs + i])
        } } } }
        let merged = mergeHeads(s)
        XCTAssertEqual(merged.shape, [b, t, e])
        XCTAssertEqual(merged.scalars, y.scalars)                              // exact identity
        XCTAssertEqual(splitHeads(mergeHeads(s), heads: heads).scalars, s.scalars)
        checkModuleGradients([y], [], "splitHeads") { xs in splitHeads(xs[0], heads: heads) }
        checkModuleGradients([s], [], "mergeHeads") { xs in mergeHeads(xs[0] * xs[0]) }
    }

    func testMultiheadAttentionGradientsForInputsAndEveryParameter() {
        var rng = SeededGenerator(seed: 8)
        let attention = MultiheadAttention(embedDim: 8, numHeads: 2, using: &rng)
        // Nonzero biases, so that their gradient paths are exercised away from 0.
        for p in [attention.inProjBias!, attention.outProj.bias!] { p.value = Tensor.randn(p.shape, std: 0.3, using: &rng) }
        let x = Tensor.randn([2, 4, 8], using: &rng)
        let memory = Tensor.randn([2, 5, 8], using: &rng)
        checkModuleGradients([x], attention.parameters(), "self-attention, causal + padding") { xs in
            attention(xs[0], attentionMask: attentionMask(lengths: [4, 3], maxLength: 4), isCausal: true)
        }
        checkModuleGradients([x, memory], attention.parameters(), "cross-attention, padded memory") { xs in
            attention(query: xs[0], key: xs[1], value: xs[1], attentionMask: attentionMask(lengths: [5, 2], maxLength: 5))
        }
    }

    func testEncoderLayerGradientsPostLNAndPreLN() {
        var rng = SeededGenerator(seed: 9)
        for (normFirst, activation) in [(false, Activation.relu), (true, .gelu)] {
            let layer = TransformerEncoderLayer(tinyLayer(activation: activation, normFirst: normFirst), using: &rng)
            let x = Tensor.randn([2, 3, 8], using: &rng)
            checkModuleGradients([x], layer.parameters(), "encoder layer normFirst \(normFirst)") { xs in
                layer(xs[0], attentionMask: attentionMask(lengths: [3, 2], maxLength: 3))
            }
        }
    }

    func testDecoderLayerGradientsIncludingTheMemory() {
        var rng = SeededGenerator(seed: 10)
        let layer = TransformerDecoderLayer(tinyLayer(activation: .gelu), using: &rng)
        let target = Tensor.randn([2, 3, 8], using: &rng)
        let memory = Tensor.randn([2, 4, 8], using: &rng)
        checkModuleGradients([target, memory], layer.parameters(), "decoder layer") { xs in
            layer(xs[0], memory: xs[1], memoryMask: attentionMask(lengths: [4, 2], maxLength: 4))
        }
    }

    // MARK: Positions

    /// The paper's §3.5, written out here: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…).
    private func paperEncoding(position: Int, dimension j: Int, dim d: Int) -> Double {
        let twoI = j - j % 2
        let angle = Double(position) / Foundation.pow(10000.0, Double(twoI) / Double(d))
        return j % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle)
    }

    func testSinusoidalEncodingIsThePapersFormulaIncludingAnOddDimension() {
        for d in [6, 7] {
            let table = sinusoidalPositionalEncoding(length: 60, dim: d)
            XCTAssertEqual(table.shape, [60, d])
            for pos in [0, 1, 2, 7, 31, 59] {
                for j in 0..<d {
                    XCTAssertEqual(Double(table.scalars[pos * d + j]), paperEncoding(position: pos, dimension: j, dim: d),
                                   accuracy: 1e-6, "d \(d) pos \(pos) dim \(j)")
                }
            }
            // Far positions, through the offset.
            let far = sinusoidalPositionalEncoding(length: 2, dim: d, offset: 10_000)
            for j in 0..<d {
                XCTAssertEqual(Double(far.scalars[d + j]), paperEncoding(position: 10_001, dimension: j, dim: d),
                               accuracy: 1e-6, "d \(d) pos 10001 dim \(j)")
            }
        }
        // Position 0 is (0, 1, 0, 1, …); with odd d the last dimension is a sine: 0.
        XCTAssertEqual(sinusoidalPositionalEncoding(length: 1, dim: 5).scalars, [0, 1, 0, 1, 0])
    }

    func testShiftingThePositionRotatesEveryPair() {
        // [sin(a + b), cos(a + b)] = [sin a cos b + cos a sin b, cos a cos b − sin a sin b]:
        // PE(pos + k) is PE(pos) rotated, pair by pair, by an angle that depends on k only.
        let d = 8
        let table = sinusoidalPositionalEncoding(length: 64, dim: d).scalars.map(Double.init)
        func pe(_ pos: Int, _ j: Int) -> Double { table[pos * d + j] }
        for pos in [0, 3, 11, 30] {
            for k in [1, 5, 17, 33] {
                for pair in 0..<(d / 2) {
                    let (sa, ca) = (pe(pos, 2 * pair), pe(pos, 2 * pair + 1))
                    let (sb, cb) = (pe(k, 2 * pair), pe(k, 2 * pair + 1))
                    XCTAssertEqual(pe(pos + k, 2 * pair), sa * cb + ca * sb, accuracy: 1e-6, "pos \(pos) k \(k) pair \(pair)")
                    XCTAssertEqual(pe(pos + k, 2 * pair + 1), ca * cb - sa * sb, accuracy: 1e-6, "pos \(pos) k \(k) pair \(pair)")
                }
            }
        }
    }

    func testOffsetIsSlicingALongerTableAndTheModuleGoesBeyondItsPrecomputedRows() {
        let long = sinusoidalPositionalEncoding(length: 40, dim: 10)
        XCTAssertEqual(sinusoidalPositionalEncoding(length: 7, dim: 10, offset: 25).scalars, long.slice(axis: 0, 25..<32).scalars)
        let encoding = SinusoidalPositionalEncoding(dim: 10, maxLength: 8)
        XCTAssertTrue(encoding.namedParameters().isEmpty)
        XCTAssertEqual(encoding(length: 5).scalars, long.slice(axis: 0, 0..<5).scalars)
        XCTAssertEqual(encoding(length: 3, offset: 5).scalars, long.slice(axis: 0, 5..<8).scalars)
        // Past the 8 precomputed rows: still the formula.
        for (length, offset) in [(12, 0), (6, 5), (1, 39)] {
            let rows = encoding(length: length, offset: offset)
            XCTAssertEqual(rows.shape, [length, 10])
            for t in 0..<length {
                for j in 0..<10 {
                    XCTAssertEqual(Double(rows.scalars[t * 10 + j]), paperEncoding(position: offset + t, dimension: j, dim: 10),
                                   accuracy: 1e-6, "offset \(offset) row \(t) dim \(j)")
                }
            }
        }
    }

    func testSinusoidalEncodingMatchesTheAnnotatedTransformersFloat32Table() throws {
        let fixture = try Fixtures.load(PositionalEncodingFixture.self, from: "transformer.json").positionalEncoding
        XCTAssertEqual(fixture.shape, [50, 16])
        assertClose(sinusoidalPositionalEncoding(length: 50, dim: 16), fixture, absolute: 1e-6, relative: 1e-5,
                    "torch's float32 table")
    }

    func testLearnedPositionsAreRowsOfTheirTable() {
        var rng = SeededGenerator(seed: 11)
        let learned = LearnedPositionalEmbedding(maxPositions: 9, dim: 4, using: &rng)
        XCTAssertEqual(learned.namedParameters().map(\.name), ["weight"])
        XCTAssertEqual(learned(length: 3, offset: 4).scalars, Array(learned.weight.value.scalars[16..<28]))
    }

    // MARK: Permutation equivariance

    func testAnEncoderLayerWithoutPositionsIsPermutationEquivariant() {
        var rng = SeededGenerator(seed: 12)
        for normFirst in [false, true] {
            let layer = TransformerEncoderLayer(tinyLayer(normFirst: normFirst), using: &rng)
            let x = Tensor.randn([1, 5, 8], using: &rng)
            let order = [3, 0, 4, 1, 2]
            let y = layer(x)
            assertClose(layer(reorderedRows(x, order)).scalars, reorderedRows(y, order).scalars, absolute: 1e-5,
                        "normFirst \(normFirst): permuting the tokens permutes the outputs")
            // Adding positions breaks the symmetry: the same test then fails.
            let pe = sinusoidalPositionalEncoding(length: 5, dim: 8)
            let withPositions = layer(reorderedRows(x, order) + pe).scalars
            let permutedOutput = reorderedRows(layer(x + pe), order).scalars
            let gap = zip(withPositions, permutedOutput).map { Swift.abs($0 - $1) }.max()!
            XCTAssertGreaterThan(gap, 1e-2, "normFirst \(normFirst): with positions, order matters")
        }
    }

    // MARK: Key/value cache

    func testKeyValueCacheAppendingConcatenatesAlongTime() {
        let a = KeyValueCache(keys: Tensor(shape: [1, 2, 1, 2], scalars: [1, 2,   3, 4]),                 // (B, nh, S, hs)
                              values: Tensor(shape: [1, 2, 1, 3], scalars: [10, 11, 12,   13, 14, 15]))
        let b = KeyValueCache(keys: Tensor(shape: [1, 2, 2, 2], scalars: [5, 6, 7, 8,   9, 10, 11, 12]),
                              values: Tensor(shape: [1, 2, 2, 3], scalars: [20, 21, 22, 23, 24, 25,   26, 27, 28, 29, 30, 31]))
        let c = a.appending(b)
        XCTAssertEqual(c.length, 3)
        XCTAssertEqual(c.keys.shape, [1, 2, 3, 2])
        XCTAssertEqual(c.values.shape, [1, 2, 3, 3])
        XCTAssertEqual(c.keys.scalars, [1, 2, 5, 6, 7, 8,                      // head 0: a's position, then b's two
                                        3, 4, 9, 10, 11, 12])                  // head 1
        XCTAssertEqual(c.values.scalars, [10, 11, 12, 20, 21, 22, 23, 24, 25,
                                          13, 14, 15, 26, 27, 28, 29, 30, 31])
        XCTAssertEqual(a.length, 1, "appending leaves the old cache as it was")
        XCTAssertEqual(a.keys.scalars, [1, 2, 3, 4])
    }

    func testDecoderFedOneOrTwoTokensAtATimeWithACacheEqualsTheFullPass() {
        var rng = SeededGenerator(seed: 13)
        for normFirst in [false, true] {
            let decoder = TransformerDecoder(TransformerLayerConfig(dModel: 16, nhead: 4, dimFeedforward: 32, dropout: 0.1,
                                                                    normFirst: normFirst),
                                             numLayers: 2, finalNorm: true, using: &rng)
            decoder.eval()
            let (t, s) = (5, 6)
            let target = Tensor.randn([2, t, 16], using: &rng)
            let memory = Tensor.randn([2, s, 16], using: &rng)
            let memoryMask = attentionMask(lengths: [6, 3], maxLength: s)
            let full = decoder(target, memory: memory, memoryMask: memoryMask)           // (B, T, d)
            for chunk in [1, 2] {
                var cache = TransformerDecoderCache(layers: 2)
                XCTAssertEqual(cache.length, 0)
                var pieces: [Tensor] = []
                var start = 0
                while start < t {
                    let end = Swift.min(start + chunk, t)
                    let piece = decoder(target.slice(axis: 1, start..<end), memory: memory, memoryMask: memoryMask, cache: &cache)
                    XCTAssertEqual(piece.shape, [2, end - start, 16])
                    XCTAssertEqual(cache.length, end, "cache.length counts the tokens fed")
                    XCTAssertEqual(cache.layers[1].selfAttention?.keys.shape, [2, 4, end, 4])
                    XCTAssertEqual(cache.layers[0].crossAttention?.length, s)
                    pieces.append(piece)
                    start = end
                }
                assertClose(Tensor.concat(pieces, axis: 1).scalars, full.scalars, absolute: 1e-5,
                            "normFirst \(normFirst), \(chunk) token(s) per step")
            }
            // The cache matters: token 3 fed alone, without its past, is a different output.
            let alone = decoder(target.slice(axis: 1, 3..<4), memory: memory, memoryMask: memoryMask)
            let gap = zip(alone.scalars, full.slice(axis: 1, 3..<4).scalars).map { Swift.abs($0 - $1) }.max()!
            XCTAssertGreaterThan(gap, 1e-3)
        }
    }

    // MARK: Dropout and modes

    func testEvalReachesEveryDropoutAndEqualsTheDropoutFreeLayer() throws {
        var rng = SeededGenerator(seed: 14)
        let x = Tensor.randn([2, 4, 8], using: &rng)
        let memory = Tensor.randn([2, 3, 8], using: &rng)

        let encoder = TransformerEncoderLayer(tinyLayer(dropout: 0.5), using: &rng)
        let plainEncoder = TransformerEncoderLayer(tinyLayer(dropout: 0), using: &rng)
        _ = try plainEncoder.loadStateDict(encoder.stateDict())
        let decoder = TransformerDecoderLayer(tinyLayer(dropout: 0.5), using: &rng)
        let plainDecoder = TransformerDecoderLayer(tinyLayer(dropout: 0), using: &rng)
        _ = try plainDecoder.loadStateDict(decoder.stateDict())

        // Training mode: two calls draw different masks.
        XCTAssertNotEqual(encoder(x).scalars, encoder(x).scalars)
        XCTAssertNotEqual(decoder(x, memory: memory).scalars, decoder(x, memory: memory).scalars)

        encoder.eval()
        decoder.eval()
        for (name, module) in encoder.namedModules() + decoder.namedModules() {
            XCTAssertFalse(module.training, "eval() must reach '\(name)'")
        }
        // The dropouts inside the attention and the feed-forward block are among them.
        XCTAssertFalse(encoder.selfAttn.dropout.training)
        XCTAssertFalse(encoder.feedForward.dropout.training)
        XCTAssertFalse(decoder.selfAttn.dropout.training)
        XCTAssertFalse(decoder.multiheadAttn.dropout.training)
        XCTAssertFalse(decoder.feedForward.dropout.training)
        let dropouts = { (m: any Module) in m.namedModules().filter { $0.module is Dropout }.map(\.name) }
        XCTAssertEqual(dropouts(encoder).sorted(), ["dropout", "dropout1", "dropout2", "self_attn.dropout"])
        XCTAssertEqual(dropouts(decoder).sorted(),
                       ["dropout", "dropout1", "dropout2", "dropout3", "multihead_attn.dropout", "self_attn.dropout"])
        // Deterministic, and exactly the layer without dropout.
        XCTAssertEqual(encoder(x).scalars, encoder(x).scalars)
        XCTAssertEqual(encoder(x).scalars, plainEncoder(x).scalars)
        XCTAssertEqual(decoder(x, memory: memory).scalars, plainDecoder(x, memory: memory).scalars)

        encoder.train()
        XCTAssertTrue(encoder.selfAttn.dropout.training && encoder.feedForward.dropout.training && encoder.dropout2.training)
        XCTAssertNotEqual(encoder(x).scalars, plainEncoder(x).scalars)

        // A whole Transformer: 4 dropouts per encoder layer, 6 per decoder layer, all switched.
        let transformer = Transformer(TransformerConfig(layer: tinyLayer(dropout: 0.5), numEncoderLayers: 2, numDecoderLayers: 3),
                                      using: &rng)
        XCTAssertEqual(transformer.namedModules().filter { $0.module is Dropout }.count, 2 * 4 + 3 * 6)
        transformer.eval()
        XCTAssertTrue(transformer.namedModules().allSatisfy { !$0.module.training })
    }

    // MARK: Initialisation and biases

    func testTransformerInitialisesEveryMatrixXavierUniformAndZeroesTheAttentionBiases() {
        var rng = SeededGenerator(seed: 15)
        let transformer = Transformer(TransformerConfig(layer: TransformerLayerConfig(dModel: 16, nhead: 4, dimFeedforward: 40),
                                                        numEncoderLayers: 2, numDecoderLayers: 2), using: &rng)
        var matrices = 0
        for (name, p) in transformer.namedParameters() {
            let w = p.value.scalars
            if p.shape.count >= 2 {
                matrices += 1
                // torch's fans of an [out, in] weight: fan_in = in, fan_out = out.
                let bound = (6 / Double(p.shape[0] + p.shape[1])).squareRoot()
                let largest = Double(w.map { Swift.abs($0) }.max()!)
                XCTAssertLessThanOrEqual(largest, bound * (1 + 1e-6), "\(name) \(p.shape)")
                XCTAssertGreaterThan(largest, 0.8 * bound, "\(name) \(p.shape): should fill the xavier range")
            } else if name.hasSuffix("in_proj_bias") || name.hasSuffix("out_proj.bias") {
                XCTAssertTrue(w.allSatisfy { $0 == 0 }, "\(name) starts at 0")
            } else if name.contains("norm") {
                XCTAssertTrue(w.allSatisfy { $0 == (name.hasSuffix("weight") ? 1 : 0) }, "\(name)")
            }
        }
        XCTAssertEqual(matrices, 2 * 4 + 2 * 6)   // encoder: in_proj, out_proj, linear1, linear2; decoder: 2 + 2 + 2
    }

    func testBiasFalseLeavesNoBiasParameterAnywhere() {
        XCTAssertEqual(LayerNorm(8, bias: false).namedParameters().map(\.name), ["weight"])
        XCTAssertEqual(LayerNorm(8).namedParameters().map(\.name), ["weight", "bias"])
        var rng = SeededGenerator(seed: 16)
        let config = TransformerConfig(layer: tinyLayer(bias: false), numEncoderLayers: 1, numDecoderLayers: 1)
        let modules: [any Module] = [TransformerEncoderLayer(tinyLayer(bias: false), using: &rng),
                                     TransformerDecoderLayer(tinyLayer(bias: false), using: &rng),
                                     Transformer(config, using: &rng)]
        for module in modules {
            let names = module.namedParameters().map(\.name)
            XCTAssertFalse(names.isEmpty)
            XCTAssertFalse(names.contains { $0.hasSuffix("bias") }, "\(names)")
        }
        XCTAssertNil(MultiheadAttention(embedDim: 8, numHeads: 2, bias: false, using: &rng).inProjBias)
        // With biases, the same rule finds them (torch's names: in_proj_bias, out_proj.bias, linear*.bias, norm*.bias).
        let biased = Transformer(TransformerConfig(layer: tinyLayer(), numEncoderLayers: 1, numDecoderLayers: 1), using: &rng)
        XCTAssertEqual(biased.namedParameters().filter { $0.name.hasSuffix("bias") }.count,
                       (2 + 2 + 2) + (4 + 2 + 3) + 2)   // encoder layer, decoder layer, the two final norms
    }

    // MARK: Configs

    func testConfigsDecodeTorchKeysAndTakeTorchsDefaults() throws {
        let text = """
        {"d_model": 64, "nhead": 4, "dim_feedforward": 256, "dropout": 0.2, "activation": "gelu",
         "layer_norm_eps": 1e-6, "norm_first": true, "bias": false,
         "num_encoder_layers": 3, "num_decoder_layers": 1}
        """
        let config = try JSONDecoder().decode(TransformerConfig.self, from: Data(text.utf8))
        XCTAssertEqual(config.layer, TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 256, dropout: 0.2, activation: .gelu,
                                                            layerNormEps: 1e-6, normFirst: true, bias: false))
        XCTAssertEqual(config.numEncoderLayers, 3)
        XCTAssertEqual(config.numDecoderLayers, 1)
        XCTAssertEqual(try JSONDecoder().decode(TransformerLayerConfig.self, from: Data(text.utf8)), config.layer)

        // Missing keys: torch's defaults, the paper's base model.
        let defaults = try JSONDecoder().decode(TransformerConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(defaults.dModel, 512)
        XCTAssertEqual(defaults.nhead, 8)
        XCTAssertEqual(defaults.dimFeedforward, 2048)
        XCTAssertEqual(defaults.dropout, 0.1)
        XCTAssertEqual(defaults.activation, .relu)
        XCTAssertEqual(defaults.layerNormEps, 1e-5)
        XCTAssertFalse(defaults.normFirst)
        XCTAssertTrue(defaults.bias)
        XCTAssertEqual(defaults.numEncoderLayers, 6)
        XCTAssertEqual(defaults.numDecoderLayers, 6)
        XCTAssertEqual(defaults, TransformerConfig())
        let partial = try JSONDecoder().decode(TransformerConfig.self, from: Data(#"{"d_model": 32, "num_decoder_layers": 2}"#.utf8))
        XCTAssertEqual(partial, TransformerConfig(layer: TransformerLayerConfig(dModel: 32), numDecoderLayers: 2))
    }

    func testConfigsEncodeOneFlatObjectThatDecodesBackEqual() throws {
        let config = TransformerConfig(layer: TransformerLayerConfig(dModel: 48, nhead: 6, dimFeedforward: 96, dropout: 0.25,
                                                                     activation: .gelu, layerNormEps: 1e-6, normFirst: true,
                                                                     bias: false),
                                       numEncoderLayers: 4, numDecoderLayers: 2)
        let data = try JSONEncoder().encode(config)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["d_model", "nhead", "dim_feedforward", "dropout", "activation", "layer_norm_eps",
                                          "norm_first", "bias", "num_encoder_layers", "num_decoder_layers"])
        XCTAssertEqual(object["d_model"] as? Int, 48)
        XCTAssertEqual(object["activation"] as? String, "gelu")
        XCTAssertEqual(object["norm_first"] as? Bool, true)
        XCTAssertEqual(object["num_encoder_layers"] as? Int, 4)
        XCTAssertEqual(try JSONDecoder().decode(TransformerConfig.self, from: data), config)
        let layerData = try JSONEncoder().encode(config.layer)
        let layerObject = try XCTUnwrap(JSONSerialization.jsonObject(with: layerData) as? [String: Any])
        XCTAssertEqual(layerObject.count, 8)
        XCTAssertEqual(try JSONDecoder().decode(TransformerLayerConfig.self, from: layerData), config.layer)

        // The layer fields through the stack's config.
        var c = config
        XCTAssertEqual(c.dModel, 48)
        XCTAssertEqual(c.nhead, 6)
        c.dModel = 24
        XCTAssertEqual(c.layer.dModel, 24)
    }
}
