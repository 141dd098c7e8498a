/// The keys and values of one attention layer for every position decoded so far.
struct StepCache {
    /// One key per position, each (H).
    var keys: [Tensor] = []
    /// One value per position, each (H).
    var values: [Tensor] = []
}

func cachedStep(_ x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, heads: Int, embedding: Tensor,
                cache: inout StepCache) -> Tensor {
    let h = x.shape[0], d = h / heads
    let row = x.reshaped([1, h])                                       // (1, H)
    let q = row.matmul(wq.T), k = row.matmul(wk.T), v = row.matmul(wv.T)
    cache.keys.append(k.reshaped([h]))
    cache.values.append(v.reshaped([h]))
    let s = cache.keys.count
    let keys = Tensor.stack(cache.keys, axis: 0).reshaped([s, heads, d]).transposed(0, 1)       // (heads, S, d)
    let values = Tensor.stack(cache.values, axis: 0).reshaped([s, heads, d]).transposed(0, 1)   // (heads, S, d)
    let query = q.reshaped([heads, 1, d])                                                       // (heads, 1, d)
    let weights = (query.matmul(keys.transposed(1, 2)) * (1 / Float(d).squareRoot())).softmax(axis: -1)   // (heads, 1, S)
    let attended = weights.matmul(values).reshaped([h])                // heads side by side: (H)
    return embedding.matmul(attended.reshaped([h, 1])).reshaped([embedding.shape[0]])   // (V)
}
