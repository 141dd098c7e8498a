// Appending positions to a key/value cache in place.
//
// Reference: the static cache of Hugging Face transformers (`StaticCache`: keys and values
// preallocated as (B, heads, max_length, headDim), each step writing its token's row with
// `index_copy_`), and Swift's own `Array.append`: a value type whose buffer is written in place
// when no one else holds it and reallocated, with room to spare, when it is shared or full.
//
// Why: appending with `concat` copies the whole cache at every step, so decoding n tokens copies
// O(n²) rows. Written in place into reserved capacity, a step copies only its own new rows, and
// the time per token stays flat (apart from attention's own O(n) reading of the cache).

extension AttentionOperand {
    /// Appends `newer`'s positions after this operand's, in place when this operand is a
    /// (B, heads, capacity, headDim) buffer with room left that no other value shares;
    /// otherwise into a new buffer with room for at least `minimumCapacity` positions (and at
    /// least twice the current length, so repeated appends cost amortized O(1) copies each).
    /// Not differentiable: for caches filled without recording gradients.
    ///
    ///     var keys = AttentionOperand.heads(Tensor.zeros([1, 8, 0, 32]))
    ///     keys.append(stepKeys, minimumCapacity: 256)   // stepKeys: 1 position
    ///     keys.length                                   // 1; capacity 256
    ///
    /// - Precondition: the same batch size, heads and head size; neither operand's tensor
    ///   records gradients.
    public mutating func append(_ newer: AttentionOperand, minimumCapacity: Int = 0) {
        require(newer.batch == batch && newer.heads == heads && newer.headDim == headDim,
                "KeyValueCache: cannot append (B, heads, headDim) = (\(newer.batch), \(newer.heads), \(newer.headDim)) to (\(batch), \(heads), \(headDim))")
        require(tensor.node == nil && newer.tensor.node == nil || !Tensor.isRecordingGradients,
                "KeyValueCache: an in-place append cannot record gradients; use the differentiable concatenation")
        let old = length, needed = length + newer.length
        if !(capacity >= needed && isKnownUniquelyReferenced(&tensor.storage)) {
            // Shared or full: move to a new buffer with room to spare.
            moveToBuffer(capacity: Swift.max(needed, minimumCapacity, 2 * old))
        }
        writeRows(of: newer, at: old)
        length = needed
    }

    /// Makes room for `positions` positions in all (at least twice the current length, as
    /// ``append(_:minimumCapacity:)`` grows), so that appending up to that many copies only the
    /// new rows. Nothing happens when there is room already.
    ///
    ///     keys.reserveCapacity(prompt + maxNewTokens)
    public mutating func reserveCapacity(_ positions: Int) {
        guard positions > capacity else { return }
        moveToBuffer(capacity: Swift.max(positions, 2 * length))
    }

    /// Copies the used rows into a new (B, heads, capacity, headDim) buffer of its own.
    private mutating func moveToBuffer(capacity: Int) {
        var moved = AttentionOperand.heads(Tensor(storage: TensorStorage(uninitializedCount: batch * heads * capacity * headDim),
                                                  shape: [batch, heads, capacity, headDim]), length: 0)
        moved.writeRows(of: self, at: 0)
        moved.length = length
        self = moved
    }

    /// Copies every row of `source` to positions `start…` of this (uniquely held) buffer.
    private mutating func writeRows(of source: AttentionOperand, at start: Int) {
        let destination = tensor.uniqueBase()
        withExtendedLifetime(source.tensor.storage) {
            let from = UnsafePointer(source.tensor.storage.base)
            for b in 0..<batch {
                for h in 0..<heads {
                    let d = self.start(destination, b, h) + start * rowStride, s = source.start(from, b, h)
                    for t in 0..<source.length {
                        (d + t * rowStride).update(from: s + t * source.rowStride, count: headDim)
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Whether `other` is this very tensor: the same data buffer, shape and gradient identity
    /// (a copy of the value counts; an equal tensor computed separately does not). Lets an
    /// attention layer see that its query, key and value are one input and project it once.
    ///
    ///     let y = x
    ///     x.isIdentical(to: y)          // true
    ///     x.isIdentical(to: x * 1)      // false
    public func isIdentical(to other: Tensor) -> Bool {
        storage === other.storage && shape == other.shape && node === other.node
    }
}
