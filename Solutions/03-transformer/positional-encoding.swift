/// The sinusoidal encodings of positions 0 ..< length: (length, dim), with
/// PE(pos, 2i) = sin(pos / 10000^(2i/dim)) and PE(pos, 2i + 1) = cos of the same angle.
func positionalEncoding(length: Int, dim: Int) -> Tensor {
    var table = [Float](repeating: 0, count: length * dim)
    for pos in 0..<length {
        for twoI in stride(from: 0, to: dim, by: 2) {
            let angle = Double(pos) / pow(10000, Double(twoI) / Double(dim))   // in Double: large positions stay exact
            table[pos * dim + twoI] = Float(sin(angle))
            if twoI + 1 < dim { table[pos * dim + twoI + 1] = Float(cos(angle)) }
        }
    }
    return Tensor(shape: [length, dim], scalars: table)
}
