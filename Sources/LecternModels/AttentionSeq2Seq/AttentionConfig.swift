// The attention settings of an encoder–decoder, as a small Codable config.
//
// Reference: Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by Jointly Learning to
// Align and Translate", ICLR; Luong, Pham & Manning (2015), "Effective Approaches to
// Attention-based Neural Machine Translation", EMNLP. The two papers differ in *where* the
// decoder attends (before or after its recurrent step) and in the score function; Luong also
// introduced local attention. Each choice is one field, so a lesson can change one thing at a
// time. JSON keys are snake_case like the rest of the model configs.

/// Where a decoder step computes attention.
///
///     attention.style = .luong
public enum AttentionStyle: String, Codable, Sendable, Hashable, CaseIterable {
    /// Bahdanau et al. (2015): attend from the previous decoder state s_{i−1}, and feed the
    /// context c_i into the recurrent step together with the previous token.
    case bahdanau
    /// Luong et al. (2015): run the recurrent step first, attend from its output h_t, and
    /// combine h̃_t = tanh(W_c [c_t; h_t]) for the output layer.
    case luong
}

/// Which score function compares the decoder's query with the encoder states.
///
///     attention.score = .additive   // AdditiveScore: vᵀ tanh(W s + U h)
public enum AttentionScoreKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// sᵀ h (``DotScore``); needs equal sizes, so a unidirectional encoder.
    case dot
    /// sᵀ W h (``GeneralScore``), Luong's "general".
    case general
    /// vᵀ tanh(W [s; h]) (``ConcatScore``), Luong's "concat".
    case concat
    /// vᵀ tanh(W s + U h) (``AdditiveScore``), Bahdanau's.
    case additive
}

/// Which source positions a decoder step may look at, and how.
///
///     attention.alignment = .local   // with attention.window = 2
public enum AttentionAlignment: String, Codable, Sendable, Hashable, CaseIterable {
    /// Soft attention over the whole source (both papers' main model).
    case global
    /// Luong's local-p attention: a predicted position and a window of ±`window` positions
    /// with a Gaussian around it (``localAttentionWeights(scores:center:sourceLengths:halfWidth:)``).
    case local
    /// One-hot attention on the best-scoring position (``hardAttentionWeights(_:)``): no
    /// gradient reaches the score function, which is why models train with soft attention.
    case hard
}

/// How an ``AttentionSeq2SeqModel`` attends.
///
///     var attention = AttentionConfig(style: .bahdanau, score: .additive)
///     attention.alignment = .local
///     attention.window = 2
///     let json = try JSONEncoder().encode(attention)   // {"style":"bahdanau","score":"additive",…}
public struct AttentionConfig: Codable, Sendable, Hashable {
    /// Bahdanau (attend, then step) or Luong (step, then attend).
    ///
    ///     attention.style   // .bahdanau
    public var style: AttentionStyle
    /// The score function.
    ///
    ///     attention.score   // .additive
    public var score: AttentionScoreKind
    /// The hidden size A of the additive and concat scores and of local-p's position predictor
    /// (ignored by dot and general); 0 means the decoder's hidden size.
    ///
    ///     attention.attentionSize   // 0: use hiddenSize
    public var attentionSize: Int
    /// Global, local (windowed) or hard attention.
    ///
    ///     attention.alignment   // .global
    public var alignment: AttentionAlignment
    /// Local attention's half-width D: the window is [p_t − D, p_t + D] (Luong uses D = 10 on
    /// sentences; toy tasks want 1–3). Ignored unless `alignment == .local`.
    ///
    ///     attention.window   // 2
    public var window: Int
    /// Luong's input feeding (§3.3): the previous step's attentional vector h̃_{t−1} is
    /// concatenated to the next input, so the decoder knows what it attended to before.
    /// Ignored by the Bahdanau style, whose context already enters the recurrent step.
    ///
    ///     attention.inputFeeding   // false
    public var inputFeeding: Bool

    /// A config; defaults: attention size = hidden size, global alignment, window 2, no input feeding.
    ///
    ///     let attention = AttentionConfig(style: .luong, score: .general)
    public init(style: AttentionStyle, score: AttentionScoreKind, attentionSize: Int = 0,
                alignment: AttentionAlignment = .global, window: Int = 2, inputFeeding: Bool = false) {
        self.style = style
        self.score = score
        self.attentionSize = attentionSize
        self.alignment = alignment
        self.window = window
        self.inputFeeding = inputFeeding
    }

    enum CodingKeys: String, CodingKey {
        case style
        case score
        case attentionSize = "attention_size"
        case alignment
        case window
        case inputFeeding = "input_feeding"
    }
}
