import XCTest
import LecternCore

/// Hidden tests for `softmax`: the library's `LecternCore.softmax` is the answer key.
final class SoftmaxHiddenTests: XCTestCase {
    private func randomLogits(_ count: Int, std: Float, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.nextNormal(std: std) }
    }

    private func assertMatchesLibrary(_ logits: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let got = softmax(logits), want = LecternCore.softmax(logits)
        XCTAssertEqual(got.count, want.count, "\(what): softmax of \(logits.count) logits should have \(logits.count) entries", file: file, line: line)
        for (i, (g, w)) in zip(got, want).enumerated() where !(abs(g - w) <= 1e-6 + 1e-5 * w) {
            XCTFail("\(what): entry \(i) is \(g), expected \(w)", file: file, line: line)
            return
        }
    }

    func testMatchesTheLibraryOnRandomLogits() {
        for seed in UInt64(1)...20 {
            assertMatchesLibrary(randomLogits(Int(seed) + 1, std: 4, seed: seed), "random logits (seed \(seed))")
        }
    }

    func testHugeLogits() {
        assertMatchesLibrary([1000, 1001, 1002], "[1000, 1001, 1002]")
        assertMatchesLibrary([88, 89, 90, -10], "logits past Float's exp limit (88.7)")
        assertMatchesLibrary(randomLogits(30, std: 1, seed: 99).map { $0 + 5000 }, "random logits around 5000")
    }

    func testVeryNegativeLogits() {
        // Naively every exp underflows to 0, and 0 / 0 is NaN.
        assertMatchesLibrary([-1000, -1001, -1002], "[-1000, -1001, -1002]")
        assertMatchesLibrary([-200, -150, -300], "[-200, -150, -300]")
    }

    func testNegativeInfinityGetsProbabilityZero() {
        let p = softmax([0, -.infinity, 1.5, -.infinity])
        XCTAssertEqual(p[1], 0, "a -inf logit (a masked position) must get probability exactly 0")
        XCTAssertEqual(p[3], 0, "a -inf logit (a masked position) must get probability exactly 0")
        assertMatchesLibrary([0, -.infinity, 1.5, -.infinity], "logits with -inf entries")
    }

    func testSingleElement() {
        XCTAssertEqual(softmax([3.7]), [1], "one logit: it gets all the probability")
        XCTAssertEqual(softmax([-500]), [1], "one logit: it gets all the probability, however small it is")
    }

    func testEmpty() {
        XCTAssertEqual(softmax([]), [], "an empty input gives an empty output")
    }

    func testShiftInvariance() {
        let x = randomLogits(8, std: 2, seed: 7)
        let p = softmax(x)
        for c: Float in [-300, -1, 0.5, 40, 700] {
            let q = softmax(x.map { $0 + c })
            for (a, b) in zip(p, q) {
                XCTAssertEqual(a, b, accuracy: 1e-4, "adding \(c) to every logit must not change the probabilities")
            }
        }
    }

    func testLargeVocabularySumsToOne() {
        let p = softmax(randomLogits(50_257, std: 3, seed: 2024))
        XCTAssertEqual(p.reduce(0.0) { $0 + Double($1) }, 1, accuracy: 1e-4, "a softmax over GPT-2's 50,257 tokens must sum to 1")
        XCTAssertTrue(p.allSatisfy { $0 >= 0 && $0 <= 1 }, "every probability must be in [0, 1]")
    }
}
