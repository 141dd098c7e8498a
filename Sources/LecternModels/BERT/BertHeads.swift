// The pre-training heads: masked-LM prediction and next-sentence prediction.
//
// Reference: transformers' `BertPredictionHeadTransform`, `BertLMPredictionHead`,
// `BertOnlyMLMHead`, `BertPreTrainingHeads` (models/bert/modeling_bert.py), and Devlin et al.
// (2019) §3.1 and Appendix A.2:
//
//     MLM:  logits = LayerNorm(GELU(W_t h + b_t)) Eᵀ + b      E = the word-embedding table (tied)
//     NSP:  logits = W_s pooled + b_s                         2 classes: 0 = IsNext, 1 = NotNext
//
// Tying the decoder to the input embeddings (Press & Wolf 2017) saves V × H parameters
// (23.4 M in BERT-base) and is why a checkpoint may omit `cls.predictions.decoder.weight`.

import LecternCore
import LecternNN

/// The transform before the MLM decoder: dense, activation, LayerNorm (`transform`).
public final class BertPredictionHeadTransform: Module {
    /// W_t, H × H (`dense`).
    public let dense: Linear
    /// `hidden_act`.
    public let activation: Activation
    /// `LayerNorm`, ε = `layer_norm_eps`.
    public let layerNorm: LayerNorm
    public var training = true

    /// The transform of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        dense = config.newLinear(scope("dense"), config.hiddenSize, config.hiddenSize)
        activation = config.hiddenAct
        layerNorm = LayerNorm(scope("LayerNorm"), dim: config.hiddenSize, eps: config.layerNormEps)
    }

    public var children: NamedModules { [("dense", dense), ("LayerNorm", layerNorm)] }

    /// LayerNorm(activation(dense(h))), same shape as `h`.
    public func callAsFunction(_ h: Tensor) -> Tensor { layerNorm(activation(dense(h))) }
}

/// Token states → vocabulary logits, the decoder tied to the word embeddings (`predictions`).
///
///     let logits = model.cls.predictions(hidden)   // (B, T, V)
public final class BertLMPredictionHead: Module {
    /// Dense, activation, LayerNorm (`transform`).
    public let transform: BertPredictionHeadTransform
    /// The V × H decoder sharing the word embeddings' weight, and the output bias (`decoder`).
    public let decoder: Linear
    /// The output bias b, V (`bias`; the same parameter as `decoder.bias`).
    public let bias: Parameter
    public var training = true

    /// The head of `config`, its decoder tied to `wordEmbeddings` when `tie_word_embeddings`.
    public init(_ config: BertConfig, wordEmbeddings: Embedding, _ scope: ParameterScope) {
        transform = BertPredictionHeadTransform(config, scope("transform"))
        bias = scope.parameter("bias", shape: [config.vocabSize], initial: .zeros)
        let weight = config.tieWordEmbeddings
            ? scope("decoder").tied("weight", to: wordEmbeddings.weight)
            : scope("decoder").parameter("weight", shape: [config.vocabSize, config.hiddenSize], initial: .normal(std: config.initializerRange))
        decoder = Linear(weight: weight, bias: scope("decoder").tied("bias", to: bias))
    }

    public var ownParameters: NamedParameters { [("bias", bias)] }
    public var children: NamedModules { [("transform", transform), ("decoder", decoder)] }

    /// Vocabulary logits for every token, (…, V).
    public func callAsFunction(_ h: Tensor) -> Tensor { decoder(transform(h)) }
}

/// The masked-LM head alone, as BertForMaskedLM holds it (`cls`: `predictions`).
public final class BertOnlyMLMHead: Module {
    /// Token states → vocabulary logits (`predictions`).
    public let predictions: BertLMPredictionHead
    public var training = true

    /// The head of `config`, tied to `wordEmbeddings`.
    public init(_ config: BertConfig, wordEmbeddings: Embedding, _ scope: ParameterScope) {
        predictions = BertLMPredictionHead(config, wordEmbeddings: wordEmbeddings, scope("predictions"))
    }

    public var children: NamedModules { [("predictions", predictions)] }
}

/// Both pre-training heads, as BertForPreTraining holds them (`cls`: `predictions`, `seq_relationship`).
public final class BertPreTrainingHeads: Module {
    /// Token states → vocabulary logits (`predictions`).
    public let predictions: BertLMPredictionHead
    /// Pooled output → IsNext / NotNext logits (`seq_relationship`), 2 × H.
    public let seqRelationship: Linear
    public var training = true

    /// The heads of `config`, the MLM decoder tied to `wordEmbeddings`.
    public init(_ config: BertConfig, wordEmbeddings: Embedding, _ scope: ParameterScope) {
        predictions = BertLMPredictionHead(config, wordEmbeddings: wordEmbeddings, scope("predictions"))
        seqRelationship = config.newLinear(scope("seq_relationship"), config.hiddenSize, 2)
    }

    public var children: NamedModules { [("predictions", predictions), ("seq_relationship", seqRelationship)] }
}
