// The hyper-parameters of Transformer layers and of the encoder–decoder stack.
//
// Reference: the keyword arguments of `torch.nn.TransformerEncoderLayer`,
// `torch.nn.TransformerDecoderLayer` and `torch.nn.Transformer` (PyTorch 2.x), whose names are
// the JSON keys here (`d_model`, `nhead`, `dim_feedforward`, `dropout`, `activation`,
// `layer_norm_eps`, `norm_first`, `bias`, `num_encoder_layers`, `num_decoder_layers`), with
// torch's defaults, which are the paper's base model (Vaswani et al. 2017, Table 3): d_model
// 512, 8 heads, d_ff 2048, dropout 0.1, 6 + 6 layers. `batch_first` is always true here.
//
// `activation` takes Hugging Face's names (`relu`, `gelu`, …); torch's "gelu" is the exact erf
// form, as HF's is.

/// The shape of one encoder or decoder layer: `torch.nn.TransformerEncoderLayer`'s arguments.
///
///     let layer = TransformerLayerConfig(dModel: 64, nhead: 4, dimFeedforward: 256, dropout: 0.1)
///     try JSONEncoder().encode(layer)   // {"d_model":64,"nhead":4,"dim_feedforward":256,…}
public struct TransformerLayerConfig: Codable, Hashable, Sendable {
    /// The model dimension d_model: every token's vector, between all sublayers (`d_model`).
    ///
    ///     config.dModel   // 512
    public var dModel: Int
    /// The number of attention heads h (`nhead`); each has d_model / h dimensions.
    ///
    ///     config.nhead   // 8
    public var nhead: Int
    /// The hidden size d_ff of the feed-forward block (`dim_feedforward`), 4·d_model in the paper.
    ///
    ///     config.dimFeedforward   // 2048
    public var dimFeedforward: Int
    /// The dropout probability after every sublayer, on the attention weights and in the
    /// feed-forward block (`dropout`).
    ///
    ///     config.dropout   // 0.1
    public var dropout: Float
    /// The feed-forward non-linearity (`activation`): `.relu` (the paper) or `.gelu`.
    ///
    ///     config.activation   // .relu
    public var activation: Activation
    /// The epsilon of every LayerNorm (`layer_norm_eps`).
    ///
    ///     config.layerNormEps   // 1e-5
    public var layerNormEps: Float
    /// Pre-LN (true: GPT-2, T5) or the paper's post-LN (false) (`norm_first`).
    ///
    ///     config.normFirst   // false
    public var normFirst: Bool
    /// Whether the linear layers and LayerNorms have biases (`bias`).
    ///
    ///     config.bias   // true
    public var bias: Bool

    /// A layer config; the defaults are torch's and the paper's base model.
    ///
    ///     let tiny = TransformerLayerConfig(dModel: 32, nhead: 2, dimFeedforward: 64, dropout: 0)
    public init(dModel: Int = 512, nhead: Int = 8, dimFeedforward: Int = 2048, dropout: Float = 0.1,
                activation: Activation = .relu, layerNormEps: Float = 1e-5, normFirst: Bool = false, bias: Bool = true) {
        self.dModel = dModel
        self.nhead = nhead
        self.dimFeedforward = dimFeedforward
        self.dropout = dropout
        self.activation = activation
        self.layerNormEps = layerNormEps
        self.normFirst = normFirst
        self.bias = bias
    }

    /// Why no layer can be built from this config, or nil when it is valid: the sizes must be
    /// positive, the heads must divide d_model, and dropout must be a probability. A command
    /// line reads a config from a file asks this first (building an invalid one stops the program).
    ///
    ///     TransformerLayerConfig(dModel: 10, nhead: 3).invalidReason
    ///     // "nhead (3) must divide d_model (10): each head gets d_model / nhead dimensions"
    public var invalidReason: String? {
        if dModel <= 0 || nhead <= 0 || dimFeedforward <= 0 {
            return "d_model, nhead and dim_feedforward must be positive, got \(dModel), \(nhead) and \(dimFeedforward)"
        }
        if dModel % nhead != 0 { return "nhead (\(nhead)) must divide d_model (\(dModel)): each head gets d_model / nhead dimensions" }
        if !(0..<1).contains(dropout) { return "dropout must be in [0, 1), got \(dropout)" }
        return nil
    }

    /// Stops with a message naming `owner` when ``invalidReason`` is not nil.
    package func requireValid(for owner: String) {
        if let reason = invalidReason { fatalError("\(owner): \(reason)") }
    }

    /// Missing keys take torch's defaults, as `config.json` files leave defaults out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TransformerLayerConfig()
        dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? d.dModel
        nhead = try c.decodeIfPresent(Int.self, forKey: .nhead) ?? d.nhead
        dimFeedforward = try c.decodeIfPresent(Int.self, forKey: .dimFeedforward) ?? d.dimFeedforward
        dropout = try c.decodeIfPresent(Float.self, forKey: .dropout) ?? d.dropout
        activation = try c.decodeIfPresent(Activation.self, forKey: .activation) ?? d.activation
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? d.layerNormEps
        normFirst = try c.decodeIfPresent(Bool.self, forKey: .normFirst) ?? d.normFirst
        bias = try c.decodeIfPresent(Bool.self, forKey: .bias) ?? d.bias
    }

    enum CodingKeys: String, CodingKey {
        case dModel = "d_model"
        case nhead
        case dimFeedforward = "dim_feedforward"
        case dropout
        case activation
        case layerNormEps = "layer_norm_eps"
        case normFirst = "norm_first"
        case bias
    }
}

/// The encoder–decoder stack: `torch.nn.Transformer`'s arguments, one flat JSON object. The
/// layer fields are read through the config (`config.dModel`).
///
///     let base = TransformerConfig()                     // the paper's base model: 6 + 6 layers, d 512
///     base.dModel                                        // 512
///     let tiny = TransformerConfig(layer: TransformerLayerConfig(dModel: 32, nhead: 2, dimFeedforward: 64),
///                                  numEncoderLayers: 2, numDecoderLayers: 2)
@dynamicMemberLookup
public struct TransformerConfig: Codable, Hashable, Sendable {
    /// The shape shared by every encoder and decoder layer.
    ///
    ///     config.layer.nhead   // 8
    public var layer: TransformerLayerConfig
    /// N, the number of encoder layers (`num_encoder_layers`).
    ///
    ///     config.numEncoderLayers   // 6
    public var numEncoderLayers: Int
    /// The number of decoder layers (`num_decoder_layers`).
    ///
    ///     config.numDecoderLayers   // 6
    public var numDecoderLayers: Int

    /// A stack config; the defaults are the paper's base model.
    ///
    ///     let config = TransformerConfig(layer: TransformerLayerConfig(dModel: 64, nhead: 4), numEncoderLayers: 2)
    public init(layer: TransformerLayerConfig = TransformerLayerConfig(), numEncoderLayers: Int = 6, numDecoderLayers: Int = 6) {
        self.layer = layer
        self.numEncoderLayers = numEncoderLayers
        self.numDecoderLayers = numDecoderLayers
    }

    /// A field of the layer config, read through this one: `config.dModel`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<TransformerLayerConfig, Value>) -> Value {
        get { layer[keyPath: keyPath] }
        set { layer[keyPath: keyPath] = newValue }
    }

    /// Reads the layer fields and the two layer counts from one flat object; missing keys take
    /// torch's defaults.
    public init(from decoder: any Decoder) throws {
        layer = try TransformerLayerConfig(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numEncoderLayers = try c.decodeIfPresent(Int.self, forKey: .numEncoderLayers) ?? 6
        numDecoderLayers = try c.decodeIfPresent(Int.self, forKey: .numDecoderLayers) ?? 6
    }

    /// Writes one flat object, as `config.json` files are.
    public func encode(to encoder: any Encoder) throws {
        try layer.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(numEncoderLayers, forKey: .numEncoderLayers)
        try c.encode(numDecoderLayers, forKey: .numDecoderLayers)
    }

    /// Why no stack can be built from this config, or nil: the layer's reasons, and layer
    /// counts must not be negative.
    ///
    ///     TransformerConfig(numEncoderLayers: -1).invalidReason   // "layer counts must be 0 or more, …"
    public var invalidReason: String? {
        if let reason = layer.invalidReason { return reason }
        if numEncoderLayers < 0 || numDecoderLayers < 0 {
            return "layer counts must be 0 or more, got \(numEncoderLayers) encoder and \(numDecoderLayers) decoder layers"
        }
        return nil
    }

    /// Stops with a message naming `owner` when ``invalidReason`` is not nil.
    package func requireValid(for owner: String) {
        if let reason = invalidReason { fatalError("\(owner): \(reason)") }
    }

    enum CodingKeys: String, CodingKey {
        case numEncoderLayers = "num_encoder_layers"
        case numDecoderLayers = "num_decoder_layers"
    }
}

// The parts every encoder and decoder layer is made of, built from one layer config in one
// place, so the two layer types (and the stacks' final norms) cannot drift apart.
extension TransformerLayerConfig {
    /// A multi-head attention sublayer of this shape (self- or cross-attention).
    func makeAttention(using generator: inout SeededGenerator) -> MultiheadAttention {
        MultiheadAttention(embedDim: dModel, numHeads: nhead, dropout: dropout, bias: bias, using: &generator)
    }

    /// The position-wise feed-forward block of this shape.
    func makeFeedForward(using generator: inout SeededGenerator) -> PositionwiseFeedForward {
        PositionwiseFeedForward(dModel: dModel, dimFeedforward: dimFeedforward, activation: activation, dropout: dropout,
                                bias: bias, using: &generator)
    }

    /// A LayerNorm over d_model with this config's epsilon and bias.
    func makeNorm() -> LayerNorm {
        LayerNorm(dModel, eps: layerNormEps, bias: bias)
    }

    /// A residual dropout, seeded from `generator`.
    func makeDropout(using generator: inout SeededGenerator) -> Dropout {
        Dropout(p: dropout, seed: generator.next())
    }
}
