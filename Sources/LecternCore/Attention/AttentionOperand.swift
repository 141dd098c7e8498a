// Where the heads of a query, key or value tensor are, without copying them out.
//
// Reference: the strides of a PyTorch view. `q.view(B, T, nh, hs).transpose(1, 2)` in nanoGPT
// is a (B, nh, T, hs) tensor whose element (b, h, t, d) sits at b·(T·C) + h·hs + t·C + d of the
// (B, T, C) projection: no data moves, only the strides change. This library's tensors are
// always contiguous (TensorStorage.swift), so splitting heads would copy; instead the fused
// attention kernel (FusedAttention.swift) reads each head in place, given these four numbers:
//
//     element (b, h, t, d) is at  offset + b·batchStride + h·headStride + t·rowStride + d
//
// and BLAS reads a head as a matrix of `length` rows, `rowStride` apart (its leading
// dimension). Three layouts cover every use:
//   - ``heads(_:)``:  (B, nh, T, hs), contiguous, as `scaledDotProductAttention` takes it;
//   - ``packed(_:heads:columns:)``: (B, T, C) with the heads side by side in some columns, as a
//     projection produces them: the query, key and value of a fused (B, T, 3E) projection are
//     three packed operands of one tensor, at columns 0..<E, E..<2E and 2E..<3E;
//   - ``heads(_:length:)``: the first `length` positions of a preallocated (B, nh, capacity, hs)
//     key/value cache.

/// One operand of ``Tensor/attention(query:key:value:allowed:bias:isCausal:scale:dropoutMask:outputLayout:)``:
/// a tensor and where each head's rows are in it.
///
///     let qkv = Tensor.zeros([8, 128, 768])                                   // (B, T, 3E), E = 256
///     let q = AttentionOperand.packed(qkv, heads: 8, columns: 0..<256)         // 8 heads of 32
///     let k = AttentionOperand.packed(qkv, heads: 8, columns: 256..<512)
///     let v = AttentionOperand.packed(qkv, heads: 8, columns: 512..<768)
public struct AttentionOperand: Sendable {
    /// How the heads lie in ``tensor``.
    public enum Layout: Sendable, Equatable {
        /// (B, heads, capacity, headDim), the first ``AttentionOperand/length`` positions used.
        case heads(capacity: Int)
        /// (B, T, C) with the heads side by side in these columns.
        case packed(columns: Range<Int>)
    }

    /// The tensor holding the heads.
    public internal(set) var tensor: Tensor
    /// How the heads lie in ``tensor``.
    public let layout: Layout
    /// The batch size B.
    public let batch: Int
    /// The number of heads.
    public let heads: Int
    /// The number of positions used (rows per head).
    public internal(set) var length: Int
    /// The size of each head's vectors.
    public let headDim: Int
    let offset: Int
    let batchStride: Int
    let headStride: Int
    let rowStride: Int

    /// A contiguous (B, heads, T, headDim) tensor.
    ///
    ///     let k = AttentionOperand.heads(keys)   // keys: (B, nh, S, hs)
    ///
    /// - Precondition: rank 4.
    public static func heads(_ tensor: Tensor) -> AttentionOperand {
        require(tensor.rank == 4, "attention: a (B, heads, length, headDim) operand must have rank 4, got shape \(tensor.shape)")
        return heads(tensor, length: tensor.shape[2])
    }

    /// The first `length` positions of a contiguous (B, heads, capacity, headDim) tensor, such
    /// as a preallocated key/value cache.
    ///
    ///     let k = AttentionOperand.heads(cacheKeys, length: 17)   // cacheKeys: (1, 8, 256, 32)
    ///
    /// - Precondition: rank 4 and `0 ≤ length ≤ capacity`.
    public static func heads(_ tensor: Tensor, length: Int) -> AttentionOperand {
        require(tensor.rank == 4, "attention: a (B, heads, length, headDim) operand must have rank 4, got shape \(tensor.shape)")
        let (b, h, capacity, d) = (tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3])
        require(length >= 0 && length <= capacity, "attention: length \(length) is outside 0...\(capacity) for an operand of shape \(tensor.shape)")
        return AttentionOperand(tensor: tensor, layout: .heads(capacity: capacity), batch: b, heads: h, length: length, headDim: d,
                                offset: 0, batchStride: h * capacity * d, headStride: capacity * d, rowStride: d)
    }

    /// Heads side by side in `columns` of a (B, T, C) tensor: head h is columns
    /// `columns.lowerBound + h·hs ..< columns.lowerBound + (h+1)·hs`, hs = columns.count / heads.
    ///
    ///     let q = AttentionOperand.packed(x, heads: 8)   // x: (B, T, 256), 8 heads of 32
    ///
    /// - Precondition: rank 3; `columns` (default: all) lies within C and divides into `heads`.
    public static func packed(_ tensor: Tensor, heads: Int, columns: Range<Int>? = nil) -> AttentionOperand {
        require(tensor.rank == 3, "attention: a packed (B, T, C) operand must have rank 3, got shape \(tensor.shape)")
        let (b, t, c) = (tensor.shape[0], tensor.shape[1], tensor.shape[2])
        let columns = columns ?? 0..<c
        require(heads >= 1 && columns.lowerBound >= 0 && columns.upperBound <= c && columns.count % heads == 0,
                "attention: columns \(columns) of a (B, T, \(c)) operand cannot hold \(heads) heads of equal size")
        let d = columns.count / heads
        return AttentionOperand(tensor: tensor, layout: .packed(columns: columns), batch: b, heads: heads, length: t, headDim: d,
                                offset: columns.lowerBound, batchStride: t * c, headStride: d, rowStride: c)
    }

    /// The positions the tensor has room for: the capacity of a (B, heads, capacity, headDim)
    /// buffer, or ``length`` for packed heads (which cannot grow in place).
    public var capacity: Int {
        if case let .heads(capacity) = layout { return capacity }
        return length
    }

    /// The used positions as a contiguous (B, heads, length, headDim) tensor: ``tensor`` itself
    /// when it is exactly that, otherwise a differentiable copy (slice, or split of the heads).
    ///
    ///     let keys = cacheOperand.headsTensor()   // (B, nh, S, hs)
    public func headsTensor() -> Tensor {
        switch layout {
        case let .heads(capacity):
            return capacity == length ? tensor : tensor.slice(axis: 2, 0..<length)                  // (B, nh, S, hs)
        case let .packed(columns):
            return tensor.slice(axis: 2, columns).reshaped([batch, length, heads, headDim])       // (B, S, nh, hs)
                .permuted([0, 2, 1, 3])                                                         // (B, nh, S, hs)
        }
    }

    /// The first element of head `h` of batch entry `b` in `base`.
    @inline(__always)
    func start<P>(_ base: P, _ b: Int, _ h: Int) -> P where P: Strideable, P.Stride == Int {
        base.advanced(by: offset + b * batchStride + h * headStride)
    }
}

/// How ``Tensor/attention(query:key:value:allowed:bias:isCausal:scale:dropoutMask:outputLayout:)``
/// lays out its output.
public enum AttentionOutputLayout: Sendable {
    /// (B, heads, T, headDim), as `scaledDotProductAttention` returns it.
    case heads
    /// (B, T, heads·headDim): the heads already merged, ready for the output projection.
    case merged
}
