// GPT-2: a decoder-only Transformer language model.
//
// Reference: Radford et al., "Language Models are Unsupervised Multitask Learners" (2019) and
// transformers' `GPT2Model` / `GPT2LMHeadModel` (models/gpt2/modeling_gpt2.py), whose names
// these are (`wte`, `wpe`, `drop`, `h.N`, `ln_f`, `lm_head`):
//
//     h₀ = drop(wte[ids] + wpe[positions])             learned positions, n_positions = 1024
//     h_l = Block_l(h_{l−1})                           pre-LN, causal self-attention
//     logits = ln_f(h_L) · wteᵀ                        the output matrix IS the token table
//
// Positions: by default 0 … T−1 after the cached tokens, as Python's forward. Left-padded batches
// need positions that skip the padding: ``GPT2LMHeadModel/positionIDs(attentionMask:)`` computes
// them as generate() does (cumsum(mask) − 1, padding 0).
//
// Departures: a query row whose keys are all padding (a left pad token) gets uniform weights over
// the keys causality allows, where Python spreads it over every key; those positions' outputs are
// never used.

import LecternCore
import LecternNN

/// One key/value cache per block, kept between decoding steps (Hugging Face's `past_key_values`).
///
///     var cache = GPT2Cache()
///     let logits = model(inputIDs: prompt, cache: &cache)   // the prompt's keys and values now cached
///     cache.length                                          // prompt length
public struct GPT2Cache: Sendable {
    /// Each block's keys and values; nil before the first step.
    public var layers: [KeyValueCache?]
    /// Positions to reserve on the first step (the prompt plus the tokens to generate), so that
    /// later steps write in place.
    public var capacity: Int

    /// An empty cache.
    ///
    ///     var cache = GPT2Cache(capacity: 64)
    public init(capacity: Int = 0) {
        layers = []
        self.capacity = capacity
    }

    /// The number of positions cached so far.
    public var length: Int { layers.first.flatMap { $0?.length } ?? 0 }
}

/// The GPT-2 decoder without a head: token states (B, T, d).
///
///     let gpt = try GPT2Model(config: .small, using: &rng)
///     gpt.parameterCount   // 124_439_808
public final class GPT2Model: PretrainedModel {
    public let config: GPT2Config
    /// The token table V × d (`wte`), also the output matrix.
    public let wte: Embedding
    /// The learned position table n_positions × d (`wpe`).
    public let wpe: Embedding
    /// Dropout on the embeddings' sum (`drop`).
    public let drop: Dropout
    /// The blocks (`h.0`, `h.1`, …).
    public let h: [GPT2Block]
    /// The final LayerNorm (`ln_f`), added by GPT-2.
    public let lnF: LayerNorm
    public var training = true

    public static var naming: CheckpointNaming {
        var naming = CheckpointNaming(basePrefix: "transformer", buffers: { name in
            // Old checkpoints stored the causal mask as buffers: h.N.attn.bias (1, 1, 1024, 1024) and attn.masked_bias.
            name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
        })
        naming.isTransposed = { name in
            ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"].contains { name.hasSuffix($0) }
        }
        return naming
    }
    public static var isBaseModel: Bool { true }

    public init(config: GPT2Config, parameters scope: ParameterScope) throws(PretrainedModelError) {
        try config.validate()
        self.config = config
        wte = Embedding(scope("wte"), numEmbeddings: config.vocabSize, embeddingDim: config.nEmbd, std: config.initializerRange)
        wpe = Embedding(scope("wpe"), numEmbeddings: config.nPositions, embeddingDim: config.nEmbd, std: config.initializerRange)
        drop = Dropout(p: config.embdPdrop, seed: scope.seed())
        h = (0..<config.nLayer).map { GPT2Block(config, scope("h")($0)) }
        lnF = LayerNorm(scope("ln_f"), dim: config.nEmbd, eps: config.layerNormEpsilon)
    }

    public var children: NamedModules {
        [("wte", wte), ("wpe", wpe), ("drop", drop)] + namedList("h", h) + [("ln_f", lnF)]
    }

    /// The final token states (B, T, d) of `inputIDs`, after the tokens already in `cache`
    /// (which grows by T).
    ///
    /// - Parameters:
    ///   - attentionMask: (B, cached + T): 1 = token, 0 = padding; nil = no padding.
    ///   - positionIDs: (B, T); nil = cached … cached + T − 1.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, positionIDs: [[Int]]? = nil,
                               cache: inout GPT2Cache) -> Tensor {
        let (b, t, past) = (inputIDs.count, inputIDs.first?.count ?? 0, cache.length)
        require(b > 0 && t > 0 && inputIDs.allSatisfy { $0.count == t },
                "GPT2Model: inputIDs must be a non-empty (B, T) rectangle; got lengths \(inputIDs.map(\.count))")
        let positions = positionIDs ?? Array(repeating: Array(past..<(past + t)), count: b)
        require(positions.allSatisfy { $0.allSatisfy { (0..<config.nPositions).contains($0) } },
                "GPT2Model: positions up to \(past + t - 1), but the model has \(config.nPositions) (n_positions); shorten the context")
        if let mask = attentionMask {
            require(mask.count == b && mask.allSatisfy { $0.count == past + t },
                    "GPT2Model: attentionMask must be (B, cached + T) = (\(b), \(past + t)), covering the cached tokens too")
        }
        let allowed = attentionMask.flatMap(allowedKeys)                       // (B, 1, 1, S) or nil
        var x = drop(wte(inputIDs) + wpe(positions))                                    // (B, T, d)
        if cache.layers.isEmpty { cache.layers = Array(repeating: nil, count: h.count) }
        for (i, block) in h.enumerated() {
            x = block(x, allowed: allowed, cache: &cache.layers[i], capacity: cache.capacity)   // (B, T, d)
        }
        return lnF(x)                                                                   // (B, T, d)
    }

    /// The final token states (B, T, d) of a whole batch, without a cache.
    ///
    ///     gpt(inputIDs: [[464, 3290]]).shape   // [1, 2, 768]
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, positionIDs: [[Int]]? = nil) -> Tensor {
        var cache = GPT2Cache()
        return self(inputIDs: inputIDs, attentionMask: attentionMask, positionIDs: positionIDs, cache: &cache)
    }
}
