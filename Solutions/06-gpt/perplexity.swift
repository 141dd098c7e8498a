func corpusPerplexity(batchLosses: [Float], tokenCounts: [Int]) -> Float {
    var nats: Double = 0
    for (loss, count) in zip(batchLosses, tokenCounts) { nats += Double(loss) * Double(count) }
    let tokens = tokenCounts.reduce(0, +)
    return Float(exp(nats / Double(tokens)))
}
