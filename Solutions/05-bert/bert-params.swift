/// The parameters of a `BertModel` of this shape: the three embedding tables and their
/// LayerNorm, `layers` encoder layers (Q, K, V, O; W₁, W₂; two LayerNorms), and the pooler.
func bertParameterCount(vocabSize: Int, hiddenSize: Int, layers: Int, intermediateSize: Int,
                        maxPositions: Int = 512, typeVocabSize: Int = 2, withPooler: Bool = true) -> Int {
    let h = hiddenSize, i = intermediateSize
    let embeddings = (vocabSize + maxPositions + typeVocabSize) * h + 2 * h
    let attention = 4 * (h * h + h)                    // query, key, value, attention output
    let feedForward = (h * i + i) + (i * h + h)        // W₁ with b₁, W₂ with b₂
    let layer = attention + feedForward + 2 * (2 * h)  // and two LayerNorms
    let pooler = withPooler ? h * h + h : 0
    return embeddings + layers * layer + pooler
}
