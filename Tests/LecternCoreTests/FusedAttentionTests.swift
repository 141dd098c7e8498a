// Tests of the fused attention kernel (Attention/FusedAttention.swift): forward and every
// gradient against the same attention composed from independently tested tensor operations
// (matmul, maskedFill, softmax, ·), against central differences, for every operand layout, mask
// shape, causality, an additive bias and a dropout mask; and the in-place cache append.
import LecternCore
import XCTest

/// Attention written with plain tensor operations on (B, nh, T, d) tensors: the reference.
private func composedAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, allowed: Tensor?, bias: Tensor?,
                               isCausal: Bool, scale: Float, dropout: Tensor?) -> (Tensor, Tensor) {
    let (t, s) = (q.shape[2], k.shape[2])
    var scores = q.matmul(k.transposed(2, 3)) * scale                         // (B, nh, T, S)
    if let bias { scores = scores + bias }
    var hide = [Bool](repeating: false, count: scores.count)
    let allowedFull = allowed.map { ($0 + Tensor.zeros(scores.shape)).scalars }
    for index in 0..<scores.count {
        let j = index % s, i = (index / s) % t
        if let allowedFull, allowedFull[index] == 0 { hide[index] = true }
        if isCausal && j > i + s - t { hide[index] = true }
    }
    let weights = scores.maskedFill(hide, with: -.greatestFiniteMagnitude).softmax(axis: -1)
    let dropped = dropout.map { weights * $0 } ?? weights
    return (dropped.matmul(v), weights)
}

/// (B, T, nh·d) → (B, nh, T, d)
private func heads(_ x: Tensor, _ h: Int) -> Tensor {
    x.reshaped([x.shape[0], x.shape[1], h, x.shape[2] / h]).permuted([0, 2, 1, 3])
}

final class FusedAttentionTests: XCTestCase {
    private func assertClose(_ a: Tensor?, _ b: Tensor?, _ tolerance: Float = 1e-5, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let a, let b else { return XCTFail("\(what): missing (\(a == nil ? "fused" : "composed"))", file: file, line: line) }
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        let worst = zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) / Swift.max(1, Swift.abs($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): worst difference \(worst)", file: file, line: line)
    }

    /// Heads layout, every mask form, causal or not, with and without bias and dropout: the
    /// output, the weights and the gradients of q, k, v and the bias equal the composed ones.
    func testHeadsLayoutMatchesComposedOperationsWithEveryMaskBiasAndDropout() {
        var rng = SeededGenerator(seed: 11)
        let (b, h, t, s, d, dv) = (2, 3, 4, 6, 5, 7)
        let masks: [(String, Tensor?)] = [
            ("none", nil),
            ("padding (B,1,1,S)", Tensor(shape: [b, 1, 1, s], scalars: [1, 1, 1, 1, 0, 0,  1, 1, 0, 0, 0, 0])),
            ("per query (B,1,T,S)", Tensor(shape: [b, 1, t, s], scalars: (0..<(b * t * s)).map { Float(($0 * 7) % 3 == 0 ? 0 : 1) })),
            ("per head (1,nh,1,S)", Tensor(shape: [1, h, 1, s], scalars: (0..<(h * s)).map { Float($0 % 4 == 1 ? 0 : 1) })),
            ("all hidden in a row", Tensor(shape: [b, 1, 1, s], scalars: [1, 1, 1, 1, 1, 1,  0, 0, 0, 0, 0, 0])),
        ]
        for (label, mask) in masks {
            for causal in [false, true] {
                for withBias in [false, true] {
                    for withDropout in [false, true] {
                        var q = Tensor.randn([b, h, t, d], using: &rng); q.requiresGrad = true
                        var k = Tensor.randn([b, h, s, d], using: &rng); k.requiresGrad = true
                        var v = Tensor.randn([b, h, s, dv], using: &rng); v.requiresGrad = true
                        var bias: Tensor? = nil
                        if withBias { var x = Tensor.randn([1, h, t, s], using: &rng); x.requiresGrad = true; bias = x }
                        let dropout = withDropout ? Tensor.dropoutMask([b, h, t, s], p: 0.3, using: &rng) : nil
                        let upstream = Tensor.randn([b, h, t, dv], using: &rng), upstreamW = Tensor.randn([b, h, t, s], using: &rng)
                        let what = "\(label), causal \(causal), bias \(withBias), dropout \(withDropout)"

                        let (out, w) = Tensor.attention(query: .heads(q), key: .heads(k), value: .heads(v), allowed: mask, bias: bias,
                                                        isCausal: causal, scale: 0.4, dropoutMask: dropout)
                        ((out * upstream).sum() + (w * upstreamW).sum()).backward()
                        let fused = [q.grad, k.grad, v.grad, bias?.grad]
                        for x in [q, k, v] { x.zeroGrad() }
                        bias?.zeroGrad()

                        let (refOut, refW) = composedAttention(q, k, v, allowed: mask, bias: bias, isCausal: causal, scale: 0.4, dropout: dropout)
                        ((refOut * upstream).sum() + (refW * upstreamW).sum()).backward()
                        assertClose(out, refOut, 1e-5, "\(what): output")
                        assertClose(w, refW, 1e-6, "\(what): weights")
                        for (name, pair) in zip(["∂q", "∂k", "∂v"], zip(fused, [q.grad, k.grad, v.grad])) {
                            assertClose(pair.0, pair.1, 2e-5, "\(what): \(name)")
                        }
                        if withBias { assertClose(fused[3], bias!.grad, 2e-5, "\(what): ∂bias") }
                    }
                }
            }
        }
    }

    /// Packed operands (queries, keys and values side by side in one (B, T, 3E) tensor, as a
    /// fused projection leaves them) and the merged output layout: equal to splitting the heads
    /// by hand, and the one gradient of the packed tensor equals the three composed ones.
    func testPackedOperandsOfOneTensorMatchSplittingTheHeads() {
        var rng = SeededGenerator(seed: 5)
        let (b, t, h, e) = (2, 5, 4, 12)
        var qkv = Tensor.randn([b, t, 3 * e], using: &rng); qkv.requiresGrad = true
        let upstream = Tensor.randn([b, t, e], using: &rng)
        let padding = Tensor(shape: [b, 1, 1, t], scalars: [1, 1, 1, 1, 1,  1, 1, 1, 0, 0])
        let (out, _) = Tensor.attention(query: .packed(qkv, heads: h, columns: 0..<e), key: .packed(qkv, heads: h, columns: e..<(2 * e)),
                                        value: .packed(qkv, heads: h, columns: (2 * e)..<(3 * e)), allowed: padding, isCausal: true,
                                        outputLayout: .merged)
        (out * upstream).sum().backward()
        let fusedGrad = qkv.grad
        qkv.zeroGrad()

        let parts = qkv.split(sizes: [e, e, e], axis: 2).map { heads($0, h) }            // 3 × (B, nh, T, hs)
        let (ref, _) = composedAttention(parts[0], parts[1], parts[2], allowed: padding, bias: nil, isCausal: true,
                                         scale: 1 / Float(e / h).squareRoot(), dropout: nil)
        let merged = ref.permuted([0, 2, 1, 3]).reshaped([b, t, e])                      // (B, T, E)
        (merged * upstream).sum().backward()
        assertClose(out, merged, 1e-5, "output")
        assertClose(fusedGrad, qkv.grad, 2e-5, "∂qkv")
    }

    /// Central differences on a small case with everything switched on at once.
    func testGradientsAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 3)
        let q = Tensor.randn([1, 2, 3, 4], using: &rng), k = Tensor.randn([1, 2, 5, 4], using: &rng)
        let v = Tensor.randn([1, 2, 5, 3], using: &rng), bias = Tensor.randn([1, 2, 1, 5], using: &rng)
        let mask = Tensor(shape: [1, 1, 1, 5], scalars: [1, 1, 0, 1, 1])
        checkGradients([q, k, v, bias], "fused attention output") { xs in
            Tensor.attention(query: .heads(xs[0]), key: .heads(xs[1]), value: .heads(xs[2]), allowed: mask, bias: xs[3], isCausal: true).output
        }
        checkGradients([q, k, v, bias], "fused attention weights") { xs in
            Tensor.attention(query: .heads(xs[0]), key: .heads(xs[1]), value: .heads(xs[2]), allowed: mask, bias: xs[3], isCausal: true).weights
        }
    }

    /// Enough work to take the multithreaded path (64 tasks over worker threads with BLAS on one
    /// thread): the same result as the composed form, so no two tasks write the same rows.
    func testLargeBatchOnWorkerThreadsMatchesComposedOperations() {
        var rng = SeededGenerator(seed: 9)
        var qkv = Tensor.randn([8, 64, 3 * 128], using: &rng); qkv.requiresGrad = true
        let upstream = Tensor.randn([8, 64, 128], using: &rng)
        let (out, _) = Tensor.attention(query: .packed(qkv, heads: 8, columns: 0..<128), key: .packed(qkv, heads: 8, columns: 128..<256),
                                        value: .packed(qkv, heads: 8, columns: 256..<384), isCausal: true, outputLayout: .merged)
        (out * upstream).sum().backward()
        let fusedGrad = qkv.grad
        qkv.zeroGrad()
        let parts = qkv.split(sizes: [128, 128, 128], axis: 2).map { heads($0, 8) }
        let (ref, _) = composedAttention(parts[0], parts[1], parts[2], allowed: nil, bias: nil, isCausal: true, scale: 0.25, dropout: nil)
        let merged = ref.permuted([0, 2, 1, 3]).reshaped([8, 64, 128])
        (merged * upstream).sum().backward()
        assertClose(out, merged, 1e-5, "output")
        assertClose(fusedGrad, qkv.grad, 5e-5, "∂qkv")
    }

    /// A cache with reserved capacity is written in place (the buffer stays the same), holds
    /// exactly the appended rows in order, and a copy taken earlier is not changed by later
    /// appends (value semantics: the shared buffer is copied before writing).
    func testAppendWritesInPlaceIntoReservedCapacityAndKeepsCopiesIntact() {
        func step(_ value: Float) -> AttentionOperand {
            // (B=1, T=1, C=4): two heads of 2, every element `value`.
            .packed(Tensor(shape: [1, 1, 4], scalars: [value, value, value, value]), heads: 2)
        }
        var cache = AttentionOperand.heads(Tensor.zeros([1, 2, 0, 2]))
        cache.append(step(1), minimumCapacity: 8)
        let buffer = cache.tensor.withUnsafeScalars { $0.baseAddress }
        cache.append(step(2))
        let snapshot = cache
        XCTAssertEqual(cache.tensor.withUnsafeScalars { $0.baseAddress }, buffer, "appending within capacity must not reallocate")
        cache.append(step(3))
        XCTAssertEqual(cache.length, 3)
        XCTAssertEqual(cache.headsTensor().scalars, [1, 1, 2, 2, 3, 3,   1, 1, 2, 2, 3, 3])   // (1, 2, 3, 2)
        XCTAssertEqual(snapshot.length, 2)
        XCTAssertEqual(snapshot.headsTensor().scalars, [1, 1, 2, 2,   1, 1, 2, 2], "an earlier copy must keep its rows")
    }
}
