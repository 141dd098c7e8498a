/// The causal mask of the `queries` newest positions over `keys` positions: (queries, keys),
/// 1 where query i (at position i + keys − queries) may attend to key j, 0 at the future.
func lookAheadMask(queries: Int, keys: Int) -> Tensor {
    let offset = keys - queries
    var flags = [Float](repeating: 0, count: queries * keys)
    for i in 0..<queries {
        for j in 0...(i + offset) { flags[i * keys + j] = 1 }
    }
    return Tensor(shape: [queries, keys], scalars: flags)
}
