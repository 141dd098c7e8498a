// Multi-head attention with PyTorch's parameter layout.
//
// Reference: Vaswani et al., "Attention Is All You Need" (2017) §3.2.2:
//
//     MultiHead(Q, K, V) = Concat(head₁, …, head_h) W^O,   headᵢ = Attention(Q W_i^Q, K W_i^K, V W_i^V)
//
// and `torch.nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, batch_first=True)`
// (PyTorch 2.x) for names, layout and initialisation, so a torch state dict loads unchanged:
//   - `in_proj_weight` (3E, E): the rows of W^Q, W^K and W^V stacked, each (E, E) stored
//     [out, in]; head i's projection is rows i·hs ..< (i+1)·hs of each (hs = E / heads), which is
//     why one E×E matrix per role is the same as h separate E×hs matrices;
//   - `in_proj_bias` (3E), `out_proj.weight` (E, E) = W^O, `out_proj.bias` (E);
//   - init: xavier-uniform `in_proj_weight`, zero biases, `out_proj.weight` as nn.Linear.
//
// The forward pass is split where the incremental decoder needs it: ``queries(_:)`` projects
// what is looking, ``keysAndValues(key:value:)`` projects what is looked at (its result is a
// ``KeyValueCache`` a decoder keeps between steps), and ``attend(_:to:attentionMask:isCausal:)``
// does the rest. Self-attention is all three on the same input; cross-attention takes its
// queries from the decoder and its keys and values from the encoder output.
//
// Speed: the heads are never split or merged by copying. The projections leave the heads side
// by side in (B, T, E) rows (packed, for self-attention, as one (B, T, 3E) product), and the fused
// kernel `Tensor.attention` (LecternCore) reads each head where it lies and writes the merged
// (B, T, E) output directly.
//
// Departures from the reference: masks follow Hugging Face (`attentionMask`: 1 = attend), not
// torch's `key_padding_mask` (True = ignore); a query whose keys are all hidden gets uniform
// weights rather than NaN; the weights are returned per head (B, nh, T, S), not averaged, and
// before dropout; no `kdim`/`vdim`, `add_bias_kv` or `add_zero_attn`.

/// Multi-head attention: project queries, keys and values, attend in `numHeads` heads at once,
/// concatenate the heads and project with W^O. Parameter names are PyTorch's
/// (`in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`); inputs are batch-first.
///
///     var rng = SeededGenerator(seed: 0)
///     let attention = MultiheadAttention(embedDim: 64, numHeads: 4, using: &rng)
///     let x = Tensor.randn([2, 10, 64], using: &rng)                      // (B, T, E)
///     let y = attention(x, isCausal: true)                                // (B, T, E): masked self-attention
///     let memory = Tensor.randn([2, 7, 64], using: &rng)                  // (B, S, E)
///     let (z, w) = attention.forward(query: x, key: memory, value: memory) // (B, T, E), (B, 4, T, S)
public final class MultiheadAttention: Module {
    /// The model dimension E (`embed_dim`).
    ///
    ///     attention.embedDim   // 64
    public let embedDim: Int
    /// The number of heads h (`num_heads`).
    ///
    ///     attention.numHeads   // 4
    public let numHeads: Int
    /// W^Q, W^K and W^V stacked, (3E, E), each block stored [out, in] (`in_proj_weight`).
    ///
    ///     attention.inProjWeight.shape   // [192, 64]
    public let inProjWeight: Parameter
    /// The three projections' biases stacked, (3E) (`in_proj_bias`); nil when built with `bias: false`.
    ///
    ///     attention.inProjBias?.shape   // [192]
    public let inProjBias: Parameter?
    /// W^O, the projection after the heads are concatenated (`out_proj`).
    ///
    ///     attention.outProj.weight.shape   // [64, 64]
    public let outProj: Linear
    /// Dropout on the attention weights (PyTorch's `dropout` argument); active in training mode.
    ///
    ///     attention.dropout.p   // 0.1
    public let dropout: Dropout
    /// Training mode (dropout active) or evaluation mode.
    public var training = true
    /// When true, every forward pass stores its attention weights in ``lastWeights`` (detached),
    /// for heatmaps of what each head looks at. Off by default.
    ///
    ///     attention.keepsWeights = true
    public var keepsWeights = false
    /// The per-head attention weights (B, heads, T, S) of the last forward pass, when
    /// ``keepsWeights`` is on (the Annotated Transformer's `self.attn`).
    ///
    ///     attention.lastWeights?.shape   // [2, 4, 10, 7]
    public private(set) var lastWeights: Tensor?

    /// The size hs = E / h of one head.
    ///
    ///     attention.headDim   // 16
    public var headDim: Int { embedDim / numHeads }

    /// A layer with PyTorch's initialisation: xavier-uniform `in_proj_weight`, zero biases, and
    /// `out_proj.weight` as `nn.Linear` initialises it.
    ///
    ///     let attention = MultiheadAttention(embedDim: 512, numHeads: 8, dropout: 0.1, using: &rng)
    ///
    /// - Precondition: `numHeads` divides `embedDim`; `dropout` is in [0, 1).
    public init(embedDim: Int, numHeads: Int, dropout: Float = 0, bias: Bool = true, using generator: inout SeededGenerator) {
        require(embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0,
                "MultiheadAttention: embedDim (\(embedDim)) must be a positive multiple of numHeads (\(numHeads))")
        self.embedDim = embedDim
        self.numHeads = numHeads
        inProjWeight = Parameter(Tensor.xavierUniform([3 * embedDim, embedDim], using: &generator))
        inProjBias = bias ? Parameter(Tensor.zeros([3 * embedDim])) : nil
        outProj = Linear(inFeatures: embedDim, outFeatures: embedDim, bias: bias, using: &generator)
        if let outBias = outProj.bias { outBias.value = Tensor.zeros([embedDim]) }
        self.dropout = Dropout(p: dropout, seed: generator.next())
    }

    public var ownParameters: NamedParameters {
        if let inProjBias { return [("in_proj_weight", inProjWeight), ("in_proj_bias", inProjBias)] }
        return [("in_proj_weight", inProjWeight)]
    }

    /// `out_proj`, and the parameter-free attention dropout (listed so that `train()`/`eval()`
    /// reach it; torch keeps it as a number, so no state-dict name changes).
    public var children: NamedModules { [("out_proj", outProj), ("dropout", dropout)] }

    /// Self-attention: queries, keys and values all from `x`.
    ///
    ///     let y = attention(x)                                  // (B, T, E), encoder self-attention
    ///     let z = attention(x, isCausal: true)                  // decoder self-attention
    ///     let p = attention(x, attentionMask: padding)          // padding: (B, T), 1 = real token
    public func callAsFunction(_ x: Tensor, attentionMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        forward(query: x, key: x, value: x, attentionMask: attentionMask, isCausal: isCausal).output
    }

    /// Attention from `query` over `key`/`value` (PyTorch's `forward(query, key, value)`),
    /// returning the output only.
    ///
    ///     let y = attention(query: decoderStates, key: memory, value: memory)   // (B, T, E)
    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor, attentionMask: Tensor? = nil,
                               isCausal: Bool = false) -> Tensor {
        forward(query: query, key: key, value: value, attentionMask: attentionMask, isCausal: isCausal).output
    }

    /// Attention from `query` (B, T, E) over `key` and `value` (B, S, E), returning the output
    /// (B, T, E) and the per-head weights (B, heads, T, S).
    ///
    ///     let (y, w) = attention.forward(query: x, key: memory, value: memory,
    ///                                    attentionMask: sourceMask)   // sourceMask: (B, S)
    ///     w.mean(axis: 1)                                             // averaged over heads, as torch returns
    ///
    /// Self-attention (the same tensor three times) projects queries, keys and values with one
    /// matrix product, (B, T, E) · (3E, E)ᵀ → (B, T, 3E), and attends over that tensor in place.
    public func forward(query: Tensor, key: Tensor, value: Tensor, attentionMask: Tensor? = nil,
                        isCausal: Bool = false) -> (output: Tensor, weights: Tensor) {
        guard query.isIdentical(to: key) && key.isIdentical(to: value) else {
            return attend(query, to: keysAndValues(key: key, value: value), attentionMask: attentionMask, isCausal: isCausal)
        }
        let e = embedDim
        let qkv = project(query, blocks: 0..<3)                                 // (B, T, 3E)
        let cache = KeyValueCache(key: .packed(qkv, heads: numHeads, columns: e..<(2 * e)),
                                  value: .packed(qkv, heads: numHeads, columns: (2 * e)..<(3 * e)))
        return attend(query: .packed(qkv, heads: numHeads, columns: 0..<e), to: cache,
                      attentionMask: attentionMask, isCausal: isCausal)        // (B, T, E), (B, nh, T, S)
    }

    /// The queries of `x` (B, T, E), split into heads: (B, heads, T, hs).
    ///
    ///     attention.queries(x).shape   // [2, 4, 10, 16]
    public func queries(_ x: Tensor) -> Tensor {
        splitHeads(project(x, blocks: 0..<1), heads: numHeads)                 // (B, nh, T, hs)
    }

    /// The keys of `key` and the values of `value` (both (B, S, E)), projected into heads: what a
    /// decoder caches. For self-attention pass the same tensor twice: it is then projected once,
    /// (B, S, E) · (2E, E)ᵀ → (B, S, 2E), keys and values side by side.
    ///
    ///     let memoryKV = crossAttention.keysAndValues(key: memory, value: memory)   // once per sentence
    public func keysAndValues(key: Tensor, value: Tensor) -> KeyValueCache {
        let e = embedDim
        if key.isIdentical(to: value) {
            let kv = project(key, blocks: 1..<3)                                // (B, S, 2E)
            return KeyValueCache(key: .packed(kv, heads: numHeads, columns: 0..<e),
                                 value: .packed(kv, heads: numHeads, columns: e..<(2 * e)))
        }
        return KeyValueCache(key: .packed(project(key, blocks: 1..<2), heads: numHeads),       // (B, S, E)
                             value: .packed(project(value, blocks: 2..<3), heads: numHeads))   // (B, S, E)
    }

    /// Attention from the queries of `x` (B, T, E) over cached keys and values (B, heads, S, hs):
    /// scaled dot-product attention per head, heads merged, then W^O. Returns (B, T, E) and the
    /// weights (B, heads, T, S).
    ///
    ///     let cache = attention.keysAndValues(key: prefix, value: prefix)
    ///     let (y, _) = attention.attend(newToken, to: cache, isCausal: true)   // (B, 1, E)
    public func attend(_ x: Tensor, to cache: KeyValueCache, attentionMask: Tensor? = nil,
                       isCausal: Bool = false) -> (output: Tensor, weights: Tensor) {
        attend(query: .packed(project(x, blocks: 0..<1), heads: numHeads), to: cache,
               attentionMask: attentionMask, isCausal: isCausal)
    }

    /// The fused attention of projected queries over a cache, heads merged, then W^O.
    private func attend(query q: AttentionOperand, to cache: KeyValueCache, attentionMask: Tensor?,
                        isCausal: Bool) -> (output: Tensor, weights: Tensor) {
        require(cache.key.batch == q.batch && cache.key.heads == numHeads,
                "MultiheadAttention: keys and values of shape \(cache.key.tensor.shape) for queries of shape \(q.tensor.shape) and \(numHeads) heads")
        let (t, s) = (q.length, cache.length)
        let (heads, weights) = Tensor.attention(
            query: q, key: cache.key, value: cache.value,
            allowed: allowedScores(attentionMask: attentionMask, queryLength: t, keyLength: s),   // (B|1, 1, T|1, S)
            isCausal: isCausal, dropoutMask: dropout.mask([q.batch, numHeads, t, s]),
            outputLayout: .merged)                                               // (B, T, E), (B, nh, T, S)
        if keepsWeights { lastWeights = weights.detached() }
        return (outProj(heads), weights)                                         // (B, T, E), (B, nh, T, S)
    }

    /// Blocks `blocks` (0 = query, 1 = key, 2 = value) of the packed input projection applied to
    /// `x`, side by side: x · W_blocksᵀ + b_blocks, (B, T, blocks.count · E). The blocks' rows
    /// of `in_proj_weight` are used in place (no copy), and their gradient lands in those rows.
    private func project(_ x: Tensor, blocks: Range<Int>) -> Tensor {
        require(x.rank == 3 && x.shape[2] == embedDim,
                "MultiheadAttention: input of shape \(x.shape); expected (B, T, \(embedDim)) (batch first)")
        let rows = (blocks.lowerBound * embedDim)..<(blocks.upperBound * embedDim)
        return x.linear(inProjWeight.value, rows: rows,
                        bias: inProjBias?.value.slice(axis: 0, rows))          // (B, T, n·E)
    }
}

extension Module {
    /// Turns ``MultiheadAttention/keepsWeights`` on (or off) for every attention layer in this
    /// module's tree, so that each keeps the weights of its last forward pass for heatmaps.
    ///
    ///     model.keepAttentionWeights()
    ///     _ = model(source: ids, decoderInput: prefix)
    ///     let cross = model.transformer.decoder.layers[0].multiheadAttn.lastWeights   // (B, heads, T, S)
    public func keepAttentionWeights(_ keep: Bool = true) {
        for case let (_, attention as MultiheadAttention) in namedModules() { attention.keepsWeights = keep }
    }
}
