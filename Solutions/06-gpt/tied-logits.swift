func tiedLogits(hidden: [[Float]], embedding: [[Float]]) -> [[Float]] {
    hidden.map { h in
        embedding.map { e in zip(h, e).reduce(0) { $0 + $1.0 * $1.1 } }   // h · E_v for every token v
    }
}

func tiedTableGradient(inputIDs: [Int], dEmbedded: [[Float]], hidden: [[Float]], dLogits: [[Float]],
                       vocabularySize: Int) -> [[Float]] {
    let d = hidden.first?.count ?? dEmbedded.first?.count ?? 0
    var grad = [[Float]](repeating: [Float](repeating: 0, count: d), count: vocabularySize)
    // Input side: each position's gradient goes to the row of the token it read.
    for (n, id) in inputIDs.enumerated() {
        for k in 0..<d { grad[id][k] += dEmbedded[n][k] }
    }
    // Output side: z_n,v = h_n · E_v, so ∂L/∂E_v = Σ_n (∂L/∂z_n,v) h_n.
    for (n, h) in hidden.enumerated() {
        for v in 0..<vocabularySize where dLogits[n][v] != 0 {
            for k in 0..<d { grad[v][k] += dLogits[n][v] * h[k] }
        }
    }
    return grad
}
