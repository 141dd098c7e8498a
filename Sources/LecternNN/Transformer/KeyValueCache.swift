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
// A value type with room to grow: ``append(_:)`` writes the new positions into capacity reserved
// ahead (``reserveCapacity(_:)``), in place when no other copy shares the buffer, as Swift's
// `Array` does; a copy kept by a beam search stays valid, because a shared buffer is copied
// before it is written. Inside the cache the keys and values stay where the projection put them
// (``AttentionOperand``): the fused attention kernel reads them in place, so nothing is split,
// merged or concatenated per step. While gradients are recorded, appending concatenates instead
// (differentiable).

/// The keys and values an attention layer has seen so far, each (B, heads, S, headDim).
///
///     var cache = attention.keysAndValues(key: firstTokens, value: firstTokens)   // S = 3
///     cache.reserveCapacity(256)                                                   // optional
///     cache.append(attention.keysAndValues(key: newToken, value: newToken))
///     cache.length                                                                  // 4
public struct KeyValueCache: Sendable {
    /// The keys, where they lie (read in place by the attention kernel).
    public private(set) var key: AttentionOperand
    /// The values, where they lie.
    public private(set) var value: AttentionOperand

    /// The keys, (B, heads, S, headDim) (a copy unless the cache holds exactly that tensor).
    ///
    ///     cache.keys.shape   // [1, 8, 4, 64]
    public var keys: Tensor { key.headsTensor() }
    /// The values, (B, heads, S, headDim) (a copy unless the cache holds exactly that tensor).
    ///
    ///     cache.values.shape   // [1, 8, 4, 64]
    public var values: Tensor { value.headsTensor() }

    /// A cache holding `keys` and `values`.
    ///
    ///     let cache = KeyValueCache(keys: k, values: v)   // (B, nh, S, hs) each
    ///
    /// - Precondition: both are rank 4 with the same (B, heads, S).
    public init(keys: Tensor, values: Tensor) {
        require(keys.rank == 4 && values.rank == 4 && Array(keys.shape.prefix(3)) == Array(values.shape.prefix(3)),
                "KeyValueCache: keys \(keys.shape) and values \(values.shape) must both be (B, heads, S, headDim) with the same (B, heads, S)")
        self.init(key: .heads(keys), value: .heads(values))
    }

    /// A cache over keys and values laid out as `key` and `value` say (e.g. packed in one
    /// projection's columns).
    ///
    ///     let kv = memory.linear(wKV)                                   // (B, S, 2E)
    ///     let cache = KeyValueCache(key: .packed(kv, heads: 8, columns: 0..<E),
    ///                               value: .packed(kv, heads: 8, columns: E..<2 * E))
    ///
    /// - Precondition: the same batch size, heads and length.
    public init(key: AttentionOperand, value: AttentionOperand) {
        require(key.batch == value.batch && key.heads == value.heads && key.length == value.length,
                "KeyValueCache: keys (B, heads, S) = (\(key.batch), \(key.heads), \(key.length)) and values (\(value.batch), \(value.heads), \(value.length)) must agree")
        self.key = key
        self.value = value
    }

    /// The number of positions S held.
    ///
    ///     cache.length   // 4
    public var length: Int { key.length }

    /// The number of positions the cache can hold before ``append(_:)`` must reallocate.
    ///
    ///     cache.capacity   // 256 after reserveCapacity(256)
    public var capacity: Int { Swift.min(key.capacity, value.capacity) }

    /// Makes room for `positions` positions in all, so that appending up to that many copies
    /// only the new rows.
    ///
    ///     cache.reserveCapacity(prompt + maxNewTokens)
    public mutating func reserveCapacity(_ positions: Int) {
        guard !recordsGradients else { return }
        key.reserveCapacity(positions)
        value.reserveCapacity(positions)
    }

    /// Appends `newer`'s positions after this cache's, in place when there is room and the
    /// buffer is not shared (amortized: only the new rows are copied), by concatenation when
    /// gradients are being recorded.
    ///
    ///     cache.append(step)   // length: cache.length + step.length
    public mutating func append(_ newer: KeyValueCache) {
        if recordsGradients || newer.recordsGradients {
            self = KeyValueCache(keys: Tensor.concat([keys, newer.keys], axis: 2),         // (B, nh, S + s, hs)
                                 values: Tensor.concat([values, newer.values], axis: 2))   // (B, nh, S + s, hs)
            return
        }
        key.append(newer.key)
        value.append(newer.value)
    }

    /// This cache followed by `newer` along the time axis, as a new value (this one is left
    /// unchanged; prefer ``append(_:)`` in a decoding loop, which can write in place).
    ///
    ///     let grown = cache.appending(step)   // length: cache.length + step.length
    public func appending(_ newer: KeyValueCache) -> KeyValueCache {
        var grown = self
        grown.append(newer)
        return grown
    }

    /// Whether appending must stay differentiable.
    private var recordsGradients: Bool {
        Tensor.isRecordingGradients && (key.tensor.requiresGrad || value.tensor.requiresGrad)
    }
}

extension Optional where Wrapped == KeyValueCache {
    /// Starts the cache with `step` (the first step's keys and values), reserving room for
    /// `capacity` positions, or appends them: what every cached self-attention layer does once
    /// per step.
    ///
    ///     var cache: KeyValueCache? = nil
    ///     cache.appendOrStart(attention.keysAndValues(key: x, value: x), reserving: 64)   // step 1: starts it
    ///     cache.appendOrStart(attention.keysAndValues(key: y, value: y))                  // step 2: appends in place
    public mutating func appendOrStart(_ step: KeyValueCache, reserving capacity: Int = 0) {
        if self == nil {
            self = step
            if capacity > 0 { self!.reserveCapacity(capacity) }
        } else {
            self!.append(step)
        }
    }
}
