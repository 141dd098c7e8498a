// BERT's hyper-parameters, read from and written to Hugging Face's `config.json`.
//
// Reference: transformers' `BertConfig` (models/bert/configuration_bert.py) and the fields every
// `PretrainedConfig` shares (`architectures`, `id2label`, `problem_type`, `pad_token_id`).
// Each property's `CodingKey` is the JSON key; a key missing from the file takes BERT-base's
// default, exactly as `BertConfig()` does in Python, and unknown keys are ignored, so configs
// written by any version of transformers decode.
//
// Departures from the reference: `position_embedding_type` other than "absolute" (the
// relative_key variants of Shaw et al.) is refused when a model is built; the label names of
// `id2label` are kept as one ordered array (`labels`), so `numLabels` is its count.

import Foundation
import LecternNN

/// The configuration of a BERT model, with Hugging Face's names and defaults (BERT-base).
///
///     var config = BertConfig()                 // BERT-base, uncased: 30,522 tokens, 768 wide, 12 layers
///     config.numHiddenLayers = 2                // a tiny BERT for a test
///     let fromFile = try BertConfig.load(from: modelDirectory.appendingPathComponent("config.json"))
public struct BertConfig: Codable, Equatable, Sendable {
    /// Rows of the word-embedding table (`vocab_size`, 30,522 for the uncased English vocabulary).
    public var vocabSize = 30_522
    /// The width H of every token state (`hidden_size`, 768).
    public var hiddenSize = 768
    /// The number of encoder layers L (`num_hidden_layers`, 12).
    public var numHiddenLayers = 12
    /// Attention heads per layer A (`num_attention_heads`, 12); H must be a multiple of it.
    public var numAttentionHeads = 12
    /// The inner width of the feed-forward block (`intermediate_size`, 3072 = 4H).
    public var intermediateSize = 3072
    /// The feed-forward activation (`hidden_act`, "gelu": the exact erf form).
    public var hiddenAct = Activation.gelu
    /// Dropout on embeddings and sub-layer outputs (`hidden_dropout_prob`, 0.1).
    public var hiddenDropoutProb: Float = 0.1
    /// Dropout on attention probabilities (`attention_probs_dropout_prob`, 0.1).
    public var attentionProbsDropoutProb: Float = 0.1
    /// Rows of the learned position table (`max_position_embeddings`, 512).
    public var maxPositionEmbeddings = 512
    /// Segments A/B (`type_vocab_size`, 2).
    public var typeVocabSize = 2
    /// The std of new weights, N(0, σ²) (`initializer_range`, 0.02).
    public var initializerRange: Float = 0.02
    /// LayerNorm's ε (`layer_norm_eps`, 1e-12: BERT's, much smaller than PyTorch's 1e-5).
    public var layerNormEps: Float = 1e-12
    /// The id of [PAD] (`pad_token_id`, 0).
    public var padTokenID: Int? = 0
    /// "absolute" learned positions (`position_embedding_type`); the only kind built here.
    public var positionEmbeddingType = "absolute"
    /// Dropout before a classification head (`classifier_dropout`); nil means `hiddenDropoutProb`.
    public var classifierDropout: Float?
    /// The label names of a classification head, in id order (`id2label`; 2 by default).
    public var labels = ["LABEL_0", "LABEL_1"]
    /// "regression", "single_label_classification" or "multi_label_classification"
    /// (`problem_type`); nil picks from the labels as Hugging Face does.
    public var problemType: String?
    /// The model classes the checkpoint was saved from (`architectures`), e.g. ["BertForMaskedLM"].
    public var architectures: [String]?
    /// Whether the masked-LM decoder shares the word embeddings (`tie_word_embeddings`, true).
    public var tieWordEmbeddings = true

    /// The number of classes of a classification head (`num_labels`).
    ///
    ///     BertConfig(numLabels: 3).numLabels   // 3
    public var numLabels: Int { labels.count }

    /// The width of one attention head, H / A (64 in BERT-base).
    ///
    ///     BertConfig().headDim   // 64
    public var headDim: Int { hiddenSize / numAttentionHeads }

    /// BERT-base's configuration, changed where you say.
    ///
    ///     let tiny = BertConfig(vocabSize: 100, hiddenSize: 32, numHiddenLayers: 2,
    ///                           numAttentionHeads: 4, intermediateSize: 64, maxPositionEmbeddings: 64)
    public init(vocabSize: Int = 30_522, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
                intermediateSize: Int = 3072, hiddenAct: Activation = .gelu, hiddenDropoutProb: Float = 0.1,
                attentionProbsDropoutProb: Float = 0.1, maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
                layerNormEps: Float = 1e-12, numLabels: Int = 2) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.labels = (0..<numLabels).map { "LABEL_\($0)" }
    }

    /// BERT-base (Devlin et al. 2019): L = 12, H = 768, A = 12; 109,482,240 parameters with the pooler.
    ///
    ///     BertModel(.base, using: &rng).parameterCount   // 109_482_240
    public static let base = BertConfig()

    /// BERT-large: L = 24, H = 1024, A = 16, FFN 4096; 335,141,888 parameters with the pooler.
    ///
    ///     BertConfig.large.hiddenSize   // 1024
    public static let large = BertConfig(hiddenSize: 1024, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 4096)

    /// Reads a `config.json`; missing keys take their defaults, unknown keys are ignored.
    ///
    ///     let config = try BertConfig.load(from: URL(fileURLWithPath: "model/config.json"))
    public static func load(from url: URL) throws -> BertConfig {
        try PretrainedConfigFile.decode(BertConfig.self, from: url)
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case hiddenDropoutProb = "hidden_dropout_prob", attentionProbsDropoutProb = "attention_probs_dropout_prob"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case initializerRange = "initializer_range", layerNormEps = "layer_norm_eps", padTokenID = "pad_token_id"
        case positionEmbeddingType = "position_embedding_type", classifierDropout = "classifier_dropout"
        case labels = "id2label", problemType = "problem_type", architectures
        case tieWordEmbeddings = "tie_word_embeddings", numLabels = "num_labels", modelType = "model_type"
    }

    /// Decodes Hugging Face's JSON: every key optional, defaults as in Python.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BertConfig()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? d.intermediateSize
        hiddenAct = try c.decodeIfPresent(Activation.self, forKey: .hiddenAct) ?? d.hiddenAct
        hiddenDropoutProb = try c.decodeIfPresent(Float.self, forKey: .hiddenDropoutProb) ?? d.hiddenDropoutProb
        attentionProbsDropoutProb = try c.decodeIfPresent(Float.self, forKey: .attentionProbsDropoutProb) ?? d.attentionProbsDropoutProb
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? d.maxPositionEmbeddings
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? d.typeVocabSize
        initializerRange = try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? d.initializerRange
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? d.layerNormEps
        padTokenID = c.contains(.padTokenID) ? try c.decodeIfPresent(Int.self, forKey: .padTokenID) : d.padTokenID
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? d.positionEmbeddingType
        classifierDropout = try c.decodeIfPresent(Float.self, forKey: .classifierDropout)
        labels = try PretrainedConfigFile.labels(c, id2label: .labels, numLabels: .numLabels) ?? d.labels
        problemType = try c.decodeIfPresent(String.self, forKey: .problemType)
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? d.tieWordEmbeddings
    }

    /// Writes the JSON Hugging Face writes (`id2label`/`label2id`, `model_type` "bert").
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("bert", forKey: .modelType)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(hiddenAct, forKey: .hiddenAct)
        try c.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
        try c.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(typeVocabSize, forKey: .typeVocabSize)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(layerNormEps, forKey: .layerNormEps)
        try c.encode(padTokenID, forKey: .padTokenID)
        try c.encode(positionEmbeddingType, forKey: .positionEmbeddingType)
        try c.encode(classifierDropout, forKey: .classifierDropout)
        try c.encode(Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) }), forKey: .labels)
        try c.encodeIfPresent(problemType, forKey: .problemType)
        try c.encodeIfPresent(architectures, forKey: .architectures)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
    }

    /// Refuses what the model cannot build, with the field to change.
    func validate() throws(PretrainedModelError) {
        func fail(_ message: String) throws(PretrainedModelError) { throw .invalidConfig(message) }
        if vocabSize < 1 || hiddenSize < 1 || numHiddenLayers < 0 || intermediateSize < 1 || maxPositionEmbeddings < 1 || typeVocabSize < 1 {
            try fail("vocab_size, hidden_size, intermediate_size, max_position_embeddings and type_vocab_size must be positive")
        }
        if numAttentionHeads < 1 || hiddenSize % numAttentionHeads != 0 {
            try fail("hidden_size (\(hiddenSize)) must be a multiple of num_attention_heads (\(numAttentionHeads))")
        }
        if positionEmbeddingType != "absolute" {
            try fail("position_embedding_type \"\(positionEmbeddingType)\" is not supported; only \"absolute\" (BERT's learned positions) is")
        }
    }
}

extension BertConfig {
    /// A linear layer as BERT makes a new one (`_init_weights`): weight N(0, initializer_range²)
    /// stored [out, in], bias 0 — or read from the checkpoint under `scope`.
    ///
    ///     let pooler = config.newLinear(scope("dense"), config.hiddenSize, config.hiddenSize)
    func newLinear(_ scope: ParameterScope, _ inFeatures: Int, _ outFeatures: Int) -> Linear {
        Linear(scope, inFeatures: inFeatures, outFeatures: outFeatures, weightInit: .normal(std: initializerRange), biasInit: .zeros)
    }
}
