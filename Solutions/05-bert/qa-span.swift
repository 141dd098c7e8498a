/// The answer span (i ≤ j) inside `passage`, at most `maxLength` tokens long, with the largest
/// startLogits[i] + endLogits[j]; ties go to the smallest i, then the smallest j.
func bestAnswerSpan(startLogits: [Float], endLogits: [Float], passage: Range<Int>, maxLength: Int) -> (start: Int, end: Int) {
    var best = (start: passage.lowerBound, end: passage.lowerBound)
    var bestScore = -Float.infinity
    for i in passage {
        for j in i..<min(passage.upperBound, i + maxLength) where startLogits[i] + endLogits[j] > bestScore {
            bestScore = startLogits[i] + endLogits[j]
            best = (i, j)
        }
    }
    return best
}
