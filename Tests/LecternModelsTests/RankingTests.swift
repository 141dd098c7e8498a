// Ranking scores, with numbers worked out by hand:
//   - cosine similarity of vectors (45°, opposite, orthogonal, scale-free, a zero vector gives 0
//     as in PyTorch's clamped norms);
//   - row-wise cosine on tensors (broadcasting, the same values as the vector form, and its
//     gradient ∂cos/∂a = b/(‖a‖‖b‖) − cos·a/‖a‖²);
//   - the (N, M) cosine matrix of every pair of rows;
//   - ColBERT's MaxSim Σᵢ maxⱼ qᵢ·dⱼ (Khattab & Zaharia, SIGIR 2020): a small example, its
//     asymmetry, negative products, and one document token shared by several query tokens.
import Foundation
import LecternModels
import XCTest

final class CosineSimilarityTests: XCTestCase {
    func testVectorsWorkedByHand() {
        XCTAssertEqual(cosineSimilarity([1, 0], [1, 1]), 1 / Float(2).squareRoot(), accuracy: 1e-6, "45°")
        XCTAssertEqual(cosineSimilarity([1, 2], [-2, -4]), -1, accuracy: 1e-6, "opposite directions")
        XCTAssertEqual(cosineSimilarity([3, 4], [4, -3]), 0, accuracy: 1e-6, "orthogonal")
        XCTAssertEqual(cosineSimilarity([3, 4, 0], [30, 40, 0]), 1, accuracy: 1e-6, "length does not matter")
        // (1, 2, 2)·(2, 1, 2) = 8, both of length 3: 8/9.
        XCTAssertEqual(cosineSimilarity([1, 2, 2], [2, 1, 2]), 8.0 / 9.0, accuracy: 1e-6)
        XCTAssertEqual(cosineSimilarity([0, 0], [1, 1]), 0, "a zero vector: 0 / eps, not NaN")
    }

    func testRowWiseOnTensors() {
        let a = Tensor(shape: [3, 3], scalars: [1, 2, 2,   1, 0, 0,   0, 0, 5])
        let b = Tensor(shape: [3, 3], scalars: [2, 1, 2,   1, 1, 0,   0, 0, -1])
        let cos = cosineSimilarity(a, b)
        XCTAssertEqual(cos.shape, [3])
        let want: [Float] = [8.0 / 9.0, 1 / Float(2).squareRoot(), -1]
        for (got, expected) in zip(cos.scalars, want) { XCTAssertEqual(got, expected, accuracy: 1e-6) }
        // One query (d) against every row: broadcasting, like torch's cosine_similarity.
        let query = Tensor(shape: [3], scalars: [1, 0, 0])
        let broadcast = cosineSimilarity(b, query)
        XCTAssertEqual(broadcast.shape, [3])
        XCTAssertEqual(broadcast.scalars[0], 2.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(broadcast.scalars[1], 1 / Float(2).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(broadcast.scalars[2], 0, accuracy: 1e-6)
    }

    func testTheGradient() {
        // a = (1, 0), b = (1, 1): cos = 1/√2; ∂cos/∂a = b/(‖a‖‖b‖) − cos·a/‖a‖² = (1/√2 − 1/√2, 1/√2).
        let a = Tensor(shape: [1, 2], scalars: [1, 0], requiresGrad: true)
        let b = Tensor(shape: [1, 2], scalars: [1, 1])
        cosineSimilarity(a, b).sum().backward()
        let grad = a.grad!.scalars
        XCTAssertEqual(grad[0], 0, accuracy: 1e-6)
        XCTAssertEqual(grad[1], 1 / Float(2).squareRoot(), accuracy: 1e-6)
    }

    func testTheMatrixOfEveryPair() {
        let queries = Tensor(shape: [2, 2], scalars: [1, 0,   0, 2])
        let passages = Tensor(shape: [3, 2], scalars: [3, 4,   -1, 0,   1, 1])
        let matrix = cosineSimilarityMatrix(queries, passages)
        XCTAssertEqual(matrix.shape, [2, 3])
        let s = 1 / Float(2).squareRoot()
        let want: [Float] = [0.6, -1, s,
                             0.8, 0, s]
        for (i, (got, expected)) in zip(matrix.scalars, want).enumerated() {
            XCTAssertEqual(got, expected, accuracy: 1e-6, "entry \(i)")
        }
    }
}

final class MaxSimTests: XCTestCase {
    private let query = Tensor(shape: [2, 2], scalars: [1, 0,   0, 1])                          // (Tq, d)
    private let document = Tensor(shape: [3, 2], scalars: [0.9, 0.1,   0.2, 0.8,   0.5, 0.5])   // (Td, d)

    func testASmallExampleByHand() {
        // q₁·d = (0.9, 0.2, 0.5) → 0.9;  q₂·d = (0.1, 0.8, 0.5) → 0.8;  sum 1.7.
        XCTAssertEqual(maxSim(query: query, document: document), 1.7, accuracy: 1e-6)
    }

    func testItIsNotSymmetric() {
        // Each of the three document tokens finds its best query token: 0.9 + 0.8 + 0.5 = 2.2.
        XCTAssertEqual(maxSim(query: document, document: query), 2.2, accuracy: 1e-6)
    }

    func testNegativeProductsAndASharedBestMatch() {
        // Both query tokens prefer the same document token; a query token with only negative
        // products contributes its least negative one.
        let q = Tensor(shape: [3, 2], scalars: [1, 0,   2, 0,   -1, 0])
        let d = Tensor(shape: [2, 2], scalars: [3, 0,   1, 1])
        // q₁: (3, 1) → 3;  q₂: (6, 2) → 6;  q₃: (−3, −1) → −1.  Sum 8.
        XCTAssertEqual(maxSim(query: q, document: d), 8, accuracy: 1e-6)
    }

    func testOneTokenEachIsADotProduct() {
        let q = Tensor(shape: [1, 3], scalars: [1, 2, 3]), d = Tensor(shape: [1, 3], scalars: [4, -5, 6])
        XCTAssertEqual(maxSim(query: q, document: d), 4 - 10 + 18, accuracy: 1e-6)
    }
}
