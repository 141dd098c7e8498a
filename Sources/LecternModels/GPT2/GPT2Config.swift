// GPT-2's hyper-parameters, read from and written to Hugging Face's `config.json`.
//
// Reference: transformers' `GPT2Config` (models/gpt2/configuration_gpt2.py), whose keys keep
// OpenAI's original names (`n_embd`, `n_layer`, `n_head`, `n_positions`), and Radford et al.,
// "Language Models are Unsupervised Multitask Learners" (2019), Table 2: GPT-2 small, medium,
// large and XL. A missing key takes GPT-2 small's value; unknown keys are ignored.
//
// Departures: `scale_attn_by_inverse_layer_idx`, `reorder_and_upcast_attn` and cross-attention
// (`add_cross_attention`) are refused when true; `scale_attn_weights` false is supported.

import Foundation
import LecternNN

/// The configuration of a GPT-2 model, with Hugging Face's names and GPT-2 small's defaults.
///
///     let small = GPT2Config.small                        // 124,439,808 parameters
///     let tiny = GPT2Config(vocabSize: 256, nPositions: 64, nEmbd: 64, nLayer: 2, nHead: 4)
public struct GPT2Config: Codable, Equatable, Sendable {
    /// Rows of the token table `wte` (`vocab_size`, 50,257: 50,000 merges + 256 bytes + <|endoftext|>).
    public var vocabSize = 50_257
    /// Rows of the learned position table `wpe`: the longest context (`n_positions`, 1024).
    public var nPositions = 1024
    /// The width d of every token state (`n_embd`, 768).
    public var nEmbd = 768
    /// The number of blocks (`n_layer`, 12).
    public var nLayer = 12
    /// Attention heads per block (`n_head`, 12).
    public var nHead = 12
    /// The feed-forward inner width (`n_inner`); nil means 4·d.
    public var nInner: Int?
    /// The feed-forward activation (`activation_function`, "gelu_new": GELU's tanh approximation).
    public var activationFunction = Activation.geluNew
    /// Dropout on sub-layer outputs (`resid_pdrop`, 0.1).
    public var residPdrop: Float = 0.1
    /// Dropout on the embeddings' sum (`embd_pdrop`, 0.1).
    public var embdPdrop: Float = 0.1
    /// Dropout on attention probabilities (`attn_pdrop`, 0.1).
    public var attnPdrop: Float = 0.1
    /// LayerNorm's ε (`layer_norm_epsilon`, 1e-5: not BERT's 1e-12).
    public var layerNormEpsilon: Float = 1e-5
    /// The std of new weights (`initializer_range`, 0.02).
    public var initializerRange: Float = 0.02
    /// Divide scores by √(head dim) (`scale_attn_weights`, true).
    public var scaleAttnWeights = true
    /// <|endoftext|>, which starts and ends documents (`bos_token_id`, `eos_token_id`: 50256).
    public var bosTokenID: Int? = 50_256
    /// See ``bosTokenID``.
    public var eosTokenID: Int? = 50_256
    /// Whether `lm_head` is `wte` itself (`tie_word_embeddings`, true).
    public var tieWordEmbeddings = true
    /// The model classes the checkpoint was saved from (`architectures`).
    public var architectures: [String]?

    /// The feed-forward inner width: `n_inner`, else 4·d.
    ///
    ///     GPT2Config.small.innerSize   // 3072
    public var innerSize: Int { nInner ?? 4 * nEmbd }

    /// GPT-2 small's configuration, changed where you say.
    ///
    ///     GPT2Config(vocabSize: 512, nPositions: 128, nEmbd: 128, nLayer: 4, nHead: 4)
    public init(vocabSize: Int = 50_257, nPositions: Int = 1024, nEmbd: Int = 768, nLayer: Int = 12, nHead: Int = 12,
                nInner: Int? = nil, activationFunction: Activation = .geluNew, residPdrop: Float = 0.1,
                embdPdrop: Float = 0.1, attnPdrop: Float = 0.1, layerNormEpsilon: Float = 1e-5) {
        self.vocabSize = vocabSize
        self.nPositions = nPositions
        self.nEmbd = nEmbd
        self.nLayer = nLayer
        self.nHead = nHead
        self.nInner = nInner
        self.activationFunction = activationFunction
        self.residPdrop = residPdrop
        self.embdPdrop = embdPdrop
        self.attnPdrop = attnPdrop
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// GPT-2 small (124 M; exactly 124,439,808 parameters with the tied head).
    public static let small = GPT2Config()
    /// GPT-2 medium (355 M): 24 layers, d 1024, 16 heads.
    public static let medium = GPT2Config(nEmbd: 1024, nLayer: 24, nHead: 16)
    /// GPT-2 large (774 M): 36 layers, d 1280, 20 heads.
    public static let large = GPT2Config(nEmbd: 1280, nLayer: 36, nHead: 20)
    /// GPT-2 XL (1558 M): 48 layers, d 1600, 25 heads.
    public static let xl = GPT2Config(nEmbd: 1600, nLayer: 48, nHead: 25)

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", nPositions = "n_positions", nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head"
        case nInner = "n_inner", activationFunction = "activation_function", residPdrop = "resid_pdrop"
        case embdPdrop = "embd_pdrop", attnPdrop = "attn_pdrop", layerNormEpsilon = "layer_norm_epsilon"
        case initializerRange = "initializer_range", scaleAttnWeights = "scale_attn_weights"
        case bosTokenID = "bos_token_id", eosTokenID = "eos_token_id", tieWordEmbeddings = "tie_word_embeddings"
        case architectures, modelType = "model_type"
        case scaleByLayer = "scale_attn_by_inverse_layer_idx", reorderAndUpcast = "reorder_and_upcast_attn"
        case addCrossAttention = "add_cross_attention"
    }

    /// Decodes Hugging Face's JSON: every key optional, defaults as in Python.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GPT2Config()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        nPositions = try c.decodeIfPresent(Int.self, forKey: .nPositions) ?? d.nPositions
        nEmbd = try c.decodeIfPresent(Int.self, forKey: .nEmbd) ?? d.nEmbd
        nLayer = try c.decodeIfPresent(Int.self, forKey: .nLayer) ?? d.nLayer
        nHead = try c.decodeIfPresent(Int.self, forKey: .nHead) ?? d.nHead
        nInner = try c.decodeIfPresent(Int.self, forKey: .nInner)
        activationFunction = try c.decodeIfPresent(Activation.self, forKey: .activationFunction) ?? d.activationFunction
        residPdrop = try c.decodeIfPresent(Float.self, forKey: .residPdrop) ?? d.residPdrop
        embdPdrop = try c.decodeIfPresent(Float.self, forKey: .embdPdrop) ?? d.embdPdrop
        attnPdrop = try c.decodeIfPresent(Float.self, forKey: .attnPdrop) ?? d.attnPdrop
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? d.layerNormEpsilon
        initializerRange = try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? d.initializerRange
        scaleAttnWeights = try c.decodeIfPresent(Bool.self, forKey: .scaleAttnWeights) ?? d.scaleAttnWeights
        bosTokenID = c.contains(.bosTokenID) ? try c.decodeIfPresent(Int.self, forKey: .bosTokenID) : d.bosTokenID
        eosTokenID = c.contains(.eosTokenID) ? try c.decodeIfPresent(Int.self, forKey: .eosTokenID) : d.eosTokenID
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? d.tieWordEmbeddings
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        for (key, name) in [(CodingKeys.scaleByLayer, "scale_attn_by_inverse_layer_idx"), (.reorderAndUpcast, "reorder_and_upcast_attn"),
                            (.addCrossAttention, "add_cross_attention")] where try c.decodeIfPresent(Bool.self, forKey: key) == true {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(name) = true is not supported")
        }
    }

    /// Writes the JSON Hugging Face writes (`model_type` "gpt2").
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("gpt2", forKey: .modelType)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(nPositions, forKey: .nPositions)
        try c.encode(nEmbd, forKey: .nEmbd)
        try c.encode(nLayer, forKey: .nLayer)
        try c.encode(nHead, forKey: .nHead)
        try c.encode(nInner, forKey: .nInner)
        try c.encode(activationFunction, forKey: .activationFunction)
        try c.encode(residPdrop, forKey: .residPdrop)
        try c.encode(embdPdrop, forKey: .embdPdrop)
        try c.encode(attnPdrop, forKey: .attnPdrop)
        try c.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(scaleAttnWeights, forKey: .scaleAttnWeights)
        try c.encode(bosTokenID, forKey: .bosTokenID)
        try c.encode(eosTokenID, forKey: .eosTokenID)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        try c.encodeIfPresent(architectures, forKey: .architectures)
    }

    func validate() throws(PretrainedModelError) {
        if vocabSize < 1 || nPositions < 1 || nEmbd < 1 || nLayer < 0 || innerSize < 1 {
            throw .invalidConfig("vocab_size, n_positions, n_embd and n_inner must be positive")
        }
        if nHead < 1 || nEmbd % nHead != 0 {
            throw .invalidConfig("n_embd (\(nEmbd)) must be a multiple of n_head (\(nHead))")
        }
    }

    /// A linear layer as GPT-2 makes a new one: weight N(0, σ²) stored [out, in], bias 0 —
    /// σ = initializer_range, or σ/√(2·n_layer) for the projections that end a residual branch
    /// (`c_proj`, GPT-2 paper §2.3) — or read from the checkpoint under `scope`.
    func newLinear(_ scope: ParameterScope, _ inFeatures: Int, _ outFeatures: Int, endsResidualBranch: Bool = false) -> Linear {
        let std = endsResidualBranch ? initializerRange / Float(2 * max(nLayer, 1)).squareRoot() : initializerRange
        return Linear(scope, inFeatures: inFeatures, outFeatures: outFeatures, weightInit: .normal(std: std), biasInit: .zeros)
    }
}
