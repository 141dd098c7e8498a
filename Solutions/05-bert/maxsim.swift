/// ColBERT's late-interaction score with a padded document: Σᵢ maxⱼ qᵢ·dⱼ over every query
/// token i and the real document tokens j (documentMask 1).
func colbertScore(query: Tensor, document: Tensor, documentMask: [Int]) -> Float {
    let products = query.matmul(document.T)                                                  // (Tq, Td)
    let padding = Tensor(shape: [1, documentMask.count], scalars: documentMask.map { $0 == 1 ? 0 : 1 })
    return products.maskedFill(padding, with: -Float.greatestFiniteMagnitude)                // (Tq, Td)
        .max(axis: 1)                                                                        // (Tq)
        .sum().scalar
}
