// Exact-match and token accuracy on hand-worked examples, and corpus BLEU against sacrebleu
// (Fixtures/bleu.json, written by Scripts/fixtures/bleu_reference.py).
import LecternNN
import LecternTestSupport
import XCTest

private struct BLEUFixtures: Decodable {
    struct Case: Decodable {
        let name: String
        let hypotheses, references: [String]
        let score: Double
        let precisions: [Double]
        let brevityPenalty: Double
        let hypothesisLength, referenceLength: Int
    }
    let sacrebleuVersion: String
    let cases: [Case]
}

final class SequenceMetricsTests: XCTestCase {
    func testExactMatchAccuracy() {
        XCTAssertEqual(exactMatchAccuracy(predictions: ["2021-03-05", "1999-12-30"], references: ["2021-03-05", "1999-12-31"]), 0.5)
        XCTAssertEqual(exactMatchAccuracy(predictions: [String](), references: []), 0)
        // Padding positions of the target are ignored; a short prediction fails.
        XCTAssertEqual(exactMatchAccuracy(predictions: [[5, 4, 2, 9], [6, 6, 2, 0], [7]],
                                          targets: [[5, 4, 2, 0], [6, 5, 2, 0], [7, 2]], padID: 0), 1.0 / 3.0)
    }

    func testTokenAccuracyIgnoresPadding() {
        XCTAssertEqual(tokenAccuracy(predictions: [[5, 4, 2, 9], [6, 6, 2, 0]],
                                     targets: [[5, 4, 2, 0], [6, 5, 2, 0]], padID: 0), 5.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(tokenAccuracy(predictions: [[5]], targets: [[5, 4, 0]], padID: 0), 0.5)
        XCTAssertEqual(tokenAccuracy(predictions: [[1]], targets: [[0]], padID: 0), 0)
    }

    func testBLEUOnAHandWorkedExample() {
        // hyp "a b c d e", ref "a b c d f": p = 4/5, 3/4, 2/3, 1/2; BP = 1;
        // BLEU = 100 · (4/5 · 3/4 · 2/3 · 1/2)^(1/4) = 100 · 0.2^(1/4).
        let bleu = corpusBLEU(hypotheses: ["a b c d e"], references: ["a b c d f"])
        XCTAssertEqual(bleu.score, 100 * pow(0.2, 0.25), accuracy: 1e-9)
        XCTAssertEqual(bleu.precisions, [80, 75, 200.0 / 3.0, 50])
        XCTAssertEqual(bleu.brevityPenalty, 1)
        // Token arrays and the string form agree.
        let tokens = corpusBLEU(hypotheses: [["a", "b", "c", "d", "e"]], references: [["a", "b", "c", "d", "f"]])
        XCTAssertEqual(tokens, bleu)
        XCTAssertEqual(bleu.description, "BLEU = 66.87 80.0/75.0/66.7/50.0 (BP = 1.000 ratio = 1.000 hyp_len = 5 ref_len = 5)")
    }

    func testBLEUMatchesSacreBLEU() throws {
        let fixtures = try Fixtures.load(BLEUFixtures.self, from: "bleu.json")
        XCTAssertFalse(fixtures.cases.isEmpty)
        for c in fixtures.cases {
            let bleu = corpusBLEU(hypotheses: c.hypotheses, references: c.references)
            XCTAssertEqual(bleu.score, c.score, accuracy: 1e-4, c.name)
            XCTAssertEqual(bleu.precisions.count, c.precisions.count, c.name)
            for (a, e) in zip(bleu.precisions, c.precisions) { XCTAssertEqual(a, e, accuracy: 1e-4, c.name) }
            XCTAssertEqual(bleu.brevityPenalty, c.brevityPenalty, accuracy: 1e-6, c.name)
            XCTAssertEqual(bleu.hypothesisLength, c.hypothesisLength, c.name)
            XCTAssertEqual(bleu.referenceLength, c.referenceLength, c.name)
        }
    }
}
