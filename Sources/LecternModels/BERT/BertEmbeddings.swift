// BERT's input representation: token + segment + position embeddings, summed, normalised.
//
// Reference: Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
// Understanding" (NAACL 2019) §3, Figure 2, and transformers' `BertEmbeddings`
// (models/bert/modeling_bert.py), whose attribute names these are:
//
//     E = LayerNorm(word_embeddings[input_ids] + token_type_embeddings[token_type_ids]
//                   + position_embeddings[position_ids]);   dropout(E)
//
// Positions are learned (a 512 × H table), not sinusoids as in the original Transformer.
//
// The [PAD] row of the word table never trains (`padding_idx`), as in Hugging Face.
// A new table starts with that row zero, as `_init_weights` leaves it.

import LecternCore
import LecternNN

/// Word, position and token-type (segment) embeddings, summed and layer-normalised.
///
///     let embeddings = model.embeddings
///     let e = embeddings(inputIDs: [[101, 7592, 102]], tokenTypeIDs: nil, positionIDs: nil)   // (1, 3, H)
public final class BertEmbeddings: Module {
    /// The V × H token table (`word_embeddings`).
    public let wordEmbeddings: Embedding
    /// The 512 × H learned position table (`position_embeddings`).
    public let positionEmbeddings: Embedding
    /// The 2 × H segment table, A = 0, B = 1 (`token_type_embeddings`).
    public let tokenTypeEmbeddings: Embedding
    /// The LayerNorm after the sum (`LayerNorm`, ε = `layer_norm_eps`).
    public let layerNorm: LayerNorm
    /// Dropout on the result (`hidden_dropout_prob`).
    public let dropout: Dropout
    public var training = true

    /// The embeddings of `config`, with parameters from `scope`.
    ///
    ///     BertEmbeddings(config, scope("embeddings"))
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        let h = config.hiddenSize, std = config.initializerRange
        // N(0, σ²) with the [PAD] row zero, as `_init_weights` leaves a new table.
        let pad = config.padTokenID.flatMap { (0..<config.vocabSize).contains($0) ? $0 : nil }
        let table = scope("word_embeddings").parameter("weight", shape: [config.vocabSize, h], initial: .custom { generator, shape in
            var scalars = Tensor.randn(shape, std: std, using: &generator).scalars
            if let pad { for j in 0..<h { scalars[pad * h + j] = 0 } }
            return Tensor(shape: shape, scalars: scalars)
        })
        wordEmbeddings = Embedding(weight: table)
        wordEmbeddings.paddingIdx = config.padTokenID   // nn.Embedding(…, padding_idx=pad_token_id)
        positionEmbeddings = Embedding(scope("position_embeddings"), numEmbeddings: config.maxPositionEmbeddings, embeddingDim: h, std: std)
        tokenTypeEmbeddings = Embedding(scope("token_type_embeddings"), numEmbeddings: config.typeVocabSize, embeddingDim: h, std: std)
        layerNorm = LayerNorm(scope("LayerNorm"), dim: h, eps: config.layerNormEps)
        dropout = Dropout(p: config.hiddenDropoutProb, seed: scope.seed())
    }

    public var children: NamedModules {
        [("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
         ("token_type_embeddings", tokenTypeEmbeddings), ("LayerNorm", layerNorm), ("dropout", dropout)]
    }

    /// The embedded batch (B, T, H). Token types default to 0 (segment A), positions to 0 … T−1.
    ///
    ///     embeddings(inputIDs: ids, tokenTypeIDs: [[0, 0, 0, 1, 1]], positionIDs: nil)
    public func callAsFunction(inputIDs: [[Int]], tokenTypeIDs: [[Int]]?, positionIDs: [[Int]]?) -> Tensor {
        let (b, t) = (inputIDs.count, inputIDs.first?.count ?? 0)
        let types = tokenTypeIDs ?? Array(repeating: Array(repeating: 0, count: t), count: b)
        let positions = positionIDs ?? Array(repeating: Array(0..<t), count: b)
        let sum = wordEmbeddings(inputIDs) + tokenTypeEmbeddings(types) + positionEmbeddings(positions)   // (B, T, H)
        return dropout(layerNorm(sum))                                                                 // (B, T, H)
    }
}
