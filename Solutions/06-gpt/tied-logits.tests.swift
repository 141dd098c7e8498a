import XCTest
import LecternCore

/// Hidden tests for `tiedLogits` and `tiedTableGradient`: on seeded random data, the logits equal
/// the library's h·Eᵀ, and the table's gradient equals what the library's autograd computes for a
/// table used twice — gathered for the input and multiplied for the output — with the loss
/// Σ gathered ⊙ dEmbedded + Σ logits ⊙ dLogits, whose gradients are exactly those upstream values.
final class TiedLogitsHiddenTests: XCTestCase {
    func rows(_ t: Tensor, _ n: Int, _ d: Int) -> [[Float]] {
        let s = t.scalars
        return (0..<n).map { Array(s[($0 * d)..<(($0 + 1) * d)]) }
    }

    func testLogitsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 611)
        for (n, d, v) in [(1, 3, 5), (6, 8, 11), (4, 16, 7)] {
            let hidden = Tensor.randn([n, d], using: &rng), table = Tensor.randn([v, d], using: &rng)
            let want = rows(hidden.matmul(table.T), n, v)
            let got = tiedLogits(hidden: rows(hidden, n, d), embedding: rows(table, v, d))
            XCTAssertEqual(got.count, n)
            for (g, w) in zip(got, want) {
                XCTAssertEqual(g.count, v)
                for (a, b) in zip(g, w) { XCTAssertEqual(a, b, accuracy: 1e-4) }
            }
        }
    }

    func testTableGradientMatchesAutogradOnATiedTable() {
        var rng = SeededGenerator(seed: 612)
        for (n, d, v) in [(3, 2, 4), (8, 5, 6), (10, 4, 3)] {
            let ids = (0..<n).map { _ in rng.nextInt(below: v) }
            let table = Tensor(shape: [v, d], scalars: Tensor.randn([v, d], using: &rng).scalars, requiresGrad: true)
            let dEmbedded = Tensor.randn([n, d], using: &rng), hidden = Tensor.randn([n, d], using: &rng)
            let dLogits = Tensor.randn([n, v], using: &rng)
            let loss = (table.gathered(indices: ids) * dEmbedded).sum() + (hidden.matmul(table.T) * dLogits).sum()
            loss.backward()
            let want = rows(table.grad!, v, d)
            let got = tiedTableGradient(inputIDs: ids, dEmbedded: rows(dEmbedded, n, d), hidden: rows(hidden, n, d),
                                        dLogits: rows(dLogits, n, v), vocabularySize: v)
            XCTAssertEqual(got.count, v, "one row per token")
            for (r, (g, w)) in zip(got, want).enumerated() {
                for (a, b) in zip(g, w) { XCTAssertEqual(a, b, accuracy: 1e-4, "row \(r), N \(n), d \(d), V \(v)") }
            }
        }
    }

    func testUnreadTokensGetOnlyTheOutputSide() {
        let grad = tiedTableGradient(inputIDs: [0], dEmbedded: [[5, 5]], hidden: [[1, 1]], dLogits: [[0, 0, 0]], vocabularySize: 3)
        XCTAssertEqual(grad, [[5, 5], [0, 0], [0, 0]])
    }
}
