// The keys and values of one attention layer, kept between decoding steps.
//
// Reference: the `past_key_values` of Hugging Face models (one (key, value) pair per layer, each
// (B, heads, S, headDim)) and the incremental decoding of tensor2tensor / fairseq.
//
// Why a cache: a decoder generates one token per step, and in step t its self-attention needs
// the keys and values of all t tokens so far. Those of the first t − 1 tokens were already
// computed in earlier steps and cannot change (the causal mask kept them from seeing the
// future), so each step projects only its new token and appends it. Cross-attention is simpler
// still: its keys and values come from the encoder output, computed once before the first step.
// The cached step then gives exactly the logits of a full forward pass over the whole prefix, at
// O(t) instead of O(t²) work per step.
//
// A value type: appending returns a new cache and leaves the old one valid (a beam search can
// keep several). Departure: appending concatenates, copying the cache each step (the tensor-core
// speed issue brings a preallocated in-place write).

/// The keys and values an attention layer has seen so far, each (B, heads, S, headDim).
///
///     var cache = attention.keysAndValues(of: firstTokens)     // S = 3
///     cache = cache.appending(attention.keysAndValues(of: newToken))
///     cache.length                                             // 4
public struct KeyValueCache: Sendable {
    /// The keys, (B, heads, S, headDim).
    ///
    ///     cache.keys.shape   // [1, 8, 4, 64]
    public let keys: Tensor
    /// The values, (B, heads, S, headDim).
    ///
    ///     cache.values.shape   // [1, 8, 4, 64]
    public let values: Tensor

    /// A cache holding `keys` and `values`.
    ///
    ///     let cache = KeyValueCache(keys: k, values: v)   // (B, nh, S, hs) each
    ///
    /// - Precondition: both are rank 4 with the same (B, heads, S).
    public init(keys: Tensor, values: Tensor) {
        require(keys.rank == 4 && values.rank == 4 && Array(keys.shape.prefix(3)) == Array(values.shape.prefix(3)),
                "KeyValueCache: keys \(keys.shape) and values \(values.shape) must both be (B, heads, S, headDim) with the same (B, heads, S)")
        self.keys = keys
        self.values = values
    }

    /// The number of positions S held.
    ///
    ///     cache.length   // 4
    public var length: Int { keys.shape[2] }

    /// This cache followed by `newer` along the time axis.
    ///
    ///     let grown = cache.appending(step)   // length: cache.length + step.length
    public func appending(_ newer: KeyValueCache) -> KeyValueCache {
        KeyValueCache(keys: Tensor.concat([keys, newer.keys], axis: 2),         // (B, nh, S + s, hs)
                      values: Tensor.concat([values, newer.values], axis: 2))   // (B, nh, S + s, hs)
    }
}
