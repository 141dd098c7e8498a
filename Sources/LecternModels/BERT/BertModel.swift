// The bare BERT encoder: embeddings, L layers, and (optionally) the pooler.
//
// Reference: Devlin et al. (2019) and transformers' `BertModel` (models/bert/modeling_bert.py):
// the same attribute names (`embeddings`, `encoder.layer.N`, `pooler`), so any BERT-family
// checkpoint with `model_type` "bert" loads by name (bert-base-uncased, MiniLM, …), and the
// same output names (`last_hidden_state`, `pooler_output`, `hidden_states`, `attentions`).
//
// The attention mask follows Hugging Face: `attention_mask[b][j]` = 1 for a real token, 0 for
// padding; every query of sequence b then ignores key j. (Python adds the most negative float
// to the hidden scores; the fused kernel excludes them, which is the same after softmax.)

import LecternCore
import LecternNN

/// The outputs of ``BertModel``, named as in Hugging Face's `BaseModelOutputWithPooling`.
///
///     let out = model(inputIDs: ids, attentionMask: mask)
///     out.lastHiddenState.shape   // [B, T, H]
///     out.poolerOutput?.shape     // [B, H]
public struct BertModelOutput {
    /// The final layer's token states (B, T, H) (`last_hidden_state`).
    public var lastHiddenState: Tensor
    /// tanh(dense([CLS] state)), (B, H), when the model has a pooler (`pooler_output`).
    public var poolerOutput: Tensor?
    /// The embeddings' output and every layer's, L + 1 tensors (B, T, H), when asked for (`hidden_states`).
    public var hiddenStates: [Tensor]?
    /// Every layer's attention weights (B, A, T, T), when asked for (`attentions`).
    public var attentions: [Tensor]?
}

/// BERT's encoder: token, segment and position embeddings, L post-LN Transformer layers,
/// and the [CLS] pooler.
///
///     var rng = SeededGenerator(seed: 0)
///     let bert = try BertModel(config: .base, using: &rng)
///     bert.parameterCount                                   // 109_482_240
///     let out = bert(inputIDs: [[101, 7592, 2088, 102]])    // [CLS] hello world [SEP]
///     out.lastHiddenState.shape                             // [1, 4, 768]
public final class BertModel: PretrainedModel {
    public let config: BertConfig
    /// Word + position + segment embeddings (`embeddings`).
    public let embeddings: BertEmbeddings
    /// The L layers (`encoder`).
    public let encoder: BertEncoder
    /// The [CLS] pooler (`pooler`); nil in the task models that do not use it (masked LM, tagging, QA).
    public let pooler: BertPooler?
    public var training = true

    public static var naming: CheckpointNaming {
        // `embeddings.position_ids` is a buffer (0 … 511) that older transformers saved.
        CheckpointNaming(basePrefix: "bert", buffers: { $0.hasSuffix("embeddings.position_ids") })
    }
    public static var isBaseModel: Bool { true }

    /// A BERT encoder with a pooler, parameters from `parameters`.
    public convenience init(config: BertConfig, parameters: ParameterScope) throws(PretrainedModelError) {
        try self.init(config: config, addPoolingLayer: true, parameters: parameters)
    }

    /// A BERT encoder, with or without the pooler (`add_pooling_layer`), parameters from `parameters`.
    ///
    ///     let encoder = try BertModel(config: config, addPoolingLayer: false, parameters: store.root("bert"))
    public init(config: BertConfig, addPoolingLayer: Bool, parameters scope: ParameterScope) throws(PretrainedModelError) {
        try config.validate()
        self.config = config
        embeddings = BertEmbeddings(config, scope("embeddings"))
        encoder = BertEncoder(config, scope("encoder"))
        pooler = addPoolingLayer ? BertPooler(config, scope("pooler")) : nil
    }

    /// A new BERT encoder with random weights, with or without the pooler.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let encoder = try BertModel(config: tiny, addPoolingLayer: false, using: &rng)
    public convenience init(config: BertConfig, addPoolingLayer: Bool, using generator: inout SeededGenerator) throws(PretrainedModelError) {
        let store = ParameterStore(generator: generator)
        try self.init(config: config, addPoolingLayer: addPoolingLayer, parameters: store.root)
        generator = SeededGenerator(seed: generator.next())
    }

    public var children: NamedModules {
        var list: NamedModules = [("embeddings", embeddings), ("encoder", encoder)]
        if let pooler { list.append(("pooler", pooler)) }
        return list
    }

    /// Encodes a batch of token ids.
    ///
    ///     let out = bert(inputIDs: [[101, 2023, 102, 0]], attentionMask: [[1, 1, 1, 0]])
    ///
    /// - Parameters:
    ///   - inputIDs: (B, T) token ids, every row the same length (pad them).
    ///   - attentionMask: (B, T), 1 = token, 0 = padding; nil = all tokens.
    ///   - tokenTypeIDs: (B, T) segments, 0 = sentence A, 1 = sentence B; nil = all 0.
    ///   - positionIDs: (B, T) positions; nil = 0 … T−1.
    ///   - outputHiddenStates: also return every layer's states.
    ///   - outputAttentions: also return every layer's attention weights.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, outputHiddenStates: Bool = false,
                               outputAttentions: Bool = false) -> BertModelOutput {
        checkInputs(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let allowed = attentionMask.flatMap(allowedKeys)              // (B, 1, 1, T) or nil
        var hidden = embeddings(inputIDs: inputIDs, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)   // (B, T, H)
        var states = outputHiddenStates ? [hidden] : nil
        var attentions: [Tensor]? = outputAttentions ? [] : nil
        for layer in encoder.layers {
            let (next, weights) = layer(hidden, allowed: allowed)             // (B, T, H), (B, A, T, T)
            hidden = next
            states?.append(hidden)
            attentions?.append(weights)
        }
        return BertModelOutput(lastHiddenState: hidden, poolerOutput: pooler?(hidden),   // (B, T, H), (B, H)
                               hiddenStates: states, attentions: attentions)
    }

    private func checkInputs(inputIDs: [[Int]], attentionMask: [[Int]]?, tokenTypeIDs: [[Int]]?, positionIDs: [[Int]]?) {
        let t = inputIDs.first?.count ?? 0
        require(!inputIDs.isEmpty && t > 0, "BertModel: inputIDs is empty; give at least one sequence of at least one token")
        require(inputIDs.allSatisfy { $0.count == t },
                "BertModel: the rows of inputIDs have lengths \(inputIDs.map(\.count)); pad them to one length and mark the padding with attentionMask")
        require(t <= config.maxPositionEmbeddings || positionIDs != nil,
                "BertModel: \(t) tokens, but the model has \(config.maxPositionEmbeddings) positions (max_position_embeddings); truncate the input")
        for (name, rows) in [("attentionMask", attentionMask), ("tokenTypeIDs", tokenTypeIDs), ("positionIDs", positionIDs)] {
            guard let rows else { continue }
            require(rows.count == inputIDs.count && rows.allSatisfy { $0.count == t },
                    "BertModel: \(name) must have the shape of inputIDs (\(inputIDs.count) × \(t))")
        }
        if let mask = attentionMask {
            require(mask.allSatisfy { $0.allSatisfy { $0 == 0 || $0 == 1 } }, "BertModel: attentionMask holds 1 (token) or 0 (padding) only")
        }
        if let types = tokenTypeIDs, let bad = types.lazy.flatMap({ $0 }).first(where: { !(0..<self.config.typeVocabSize).contains($0) }) {
            preconditionFailure("BertModel: token type \(bad) is out of range 0..<\(config.typeVocabSize) (type_vocab_size)")
        }
    }
}
