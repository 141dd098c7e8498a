// Similarity scores for ranking with embeddings: cosine similarity, and ColBERT's late
// interaction (MaxSim).
//
// References:
//   - Cosine similarity as `torch.nn.functional.cosine_similarity(x1, x2, dim=-1, eps=1e-8)`
//     (PyTorch 2.x): x1·x2 / (max(‖x1‖, eps) · max(‖x2‖, eps)), and as
//     `sentence_transformers.util.cos_sim(a, b)` for the matrix of every pair of rows.
//   - MaxSim: O. Khattab and M. Zaharia, "ColBERT: Efficient and Effective Passage Search via
//     Contextualized Late Interaction over BERT", SIGIR 2020 (Stanford), Eq. 3:
//     S(q, d) = Σ_{i ∈ query tokens} max_{j ∈ document tokens} E_qᵢ · E_dⱼ. ColBERT normalises
//     every token embedding to unit length, so each product is a cosine; it scores only real
//     tokens (padding rows are not passed in).

/// The cosine of the angle between two vectors: a·b / (‖a‖ · ‖b‖), each norm clamped below at
/// `eps` as PyTorch does (so a zero vector gives 0, not NaN).
///
///     cosineSimilarity([1, 0], [1, 1])     // 0.7071 (45°)
///     cosineSimilarity([1, 2], [-2, -4])   // -1
///
/// - Precondition: the vectors have the same length.
public func cosineSimilarity(_ a: [Float], _ b: [Float], eps: Float = 1e-8) -> Float {
    require(a.count == b.count, "cosineSimilarity: vectors of lengths \(a.count) and \(b.count); they must match")
    var dot: Double = 0, aa: Double = 0, bb: Double = 0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        aa += Double(x) * Double(x)
        bb += Double(y) * Double(y)
    }
    let norms = Swift.max(aa.squareRoot(), Double(eps)) * Swift.max(bb.squareRoot(), Double(eps))
    return Float(dot / norms)
}

/// Row-wise cosine similarity over the last axis, like `torch.nn.functional.cosine_similarity(a,
/// b, dim=-1)`: the shapes broadcast, and the result drops the last axis. Differentiable.
///
///     let queries = Tensor(shape: [2, 2], scalars: [1, 0,   0, 1])
///     let keys = Tensor(shape: [2, 2], scalars: [1, 1,   0, 3])
///     cosineSimilarity(queries, keys).scalars   // [0.7071, 1]: row 0 with row 0, row 1 with row 1
///
/// For every pair of rows (a similarity matrix) use ``cosineSimilarityMatrix(_:_:eps:)``.
/// - Precondition: the shapes broadcast and share the last axis.
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, eps: Float = 1e-8) -> Tensor {
    require(a.rank >= 1 && b.rank >= 1 && a.shape.last == b.shape.last,
            "cosineSimilarity: shapes \(a.shape) and \(b.shape) must share the last axis (the vector size)")
    let dot = (a * b).sum(axis: -1)                                          // (…)
    return dot / (clampedNorm(a, eps: eps) * clampedNorm(b, eps: eps))      // (…)
}

/// The cosine similarity of every row of `a` (N, d) with every row of `b` (M, d): an (N, M)
/// matrix, like `sentence_transformers.util.cos_sim`. Row i ranks b's rows for a's row i.
/// Differentiable.
///
///     let query = embedder.embed(["how do I reset my password?"])               // (1, d)
///     let passages = embedder.embed(candidates)                                 // (M, d)
///     let scores = cosineSimilarityMatrix(query, passages)                      // (1, M)
///
/// - Precondition: `a` is (N, d) and `b` is (M, d).
public func cosineSimilarityMatrix(_ a: Tensor, _ b: Tensor, eps: Float = 1e-8) -> Tensor {
    require(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
            "cosineSimilarityMatrix: a must be (N, d) and b (M, d), got \(a.shape) and \(b.shape)")
    let unitA = a / clampedNorm(a, eps: eps).unsqueezed(axis: 1)             // (N, d)
    let unitB = b / clampedNorm(b, eps: eps).unsqueezed(axis: 1)             // (M, d)
    return unitA.matmul(unitB.T)                                             // (N, M)
}

/// ColBERT's late-interaction score (Khattab & Zaharia, SIGIR 2020): for every query token
/// vector qᵢ, the best dot product with any document token vector dⱼ, summed over the query:
/// Σᵢ maxⱼ qᵢ·dⱼ.
///
///     let q = Tensor(shape: [2, 2], scalars: [1, 0,   0, 1])              // (Tq, d)
///     let d = Tensor(shape: [3, 2], scalars: [0.9, 0.1,   0.2, 0.8,   0.5, 0.5])   // (Td, d)
///     maxSim(query: q, document: d)                                       // 0.9 + 0.8 = 1.7
///
/// Pass only the real tokens' rows (no padding). ColBERT L2-normalises each row first, so each
/// product is a cosine; normalise the rows yourself to get its scores. For a differentiable
/// score use the same formula on tensors: `query.matmul(document.T).max(axis: 1).sum()`.
/// - Precondition: `query` is (Tq, d) and `document` is (Td, d) with Tq, Td ≥ 1.
public func maxSim(query: Tensor, document: Tensor) -> Float {
    require(query.rank == 2 && document.rank == 2 && query.shape[1] == document.shape[1],
            "maxSim: query must be (Tq, d) and document (Td, d), got \(query.shape) and \(document.shape)")
    require(query.shape[0] > 0 && document.shape[0] > 0, "maxSim: the query and the document need at least one token each")
    return Tensor.withoutGradients {
        query.matmul(document.T)          // (Tq, Td): every query token against every document token
            .max(axis: 1)                 // (Tq): the best match of each query token
            .sum().scalar
    }
}

/// The L2 norm over the last axis, clamped below at `eps`: (…, d) → (…).
private func clampedNorm(_ x: Tensor, eps: Float) -> Tensor {
    let norm = x.squared().sum(axis: -1).sqrt()                              // (…)
    let large = Tensor(shape: norm.shape, scalars: norm.scalars.map { $0 > eps ? 1 : 0 })
    return Tensor.where(large, norm, Tensor(eps))
}
