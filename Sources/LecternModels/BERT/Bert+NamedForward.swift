// BERT's architectures behind `lectern lab forward`: Hugging Face's input names in, its output
// field names out (see AutoModel.swift). Inputs are checked here, so a bad file gets an error
// naming the input, the position and the valid range, never a crash inside the model.

import LecternCore
import LecternNN

/// BERT's inputs, checked against a configuration.
struct BertInputs {
    var inputIDs: [[Int]]
    var attentionMask: [[Int]]?
    var tokenTypeIDs: [[Int]]?
    var positionIDs: [[Int]]?

    static let names = ["input_ids", "attention_mask", "token_type_ids", "position_ids"]

    init(_ inputs: ModelInputs, _ config: BertConfig) throws(PretrainedModelError) {
        try inputs.check(accepted: Self.names, required: "input_ids")
        inputIDs = try inputs.ids("input_ids")!
        attentionMask = try inputs.ids("attention_mask")
        tokenTypeIDs = try inputs.ids("token_type_ids")
        positionIDs = try inputs.ids("position_ids")
        try inputs.check("input_ids", inputIDs, like: inputIDs, in: 0..<config.vocabSize, meaning: "vocab_size")
        try inputs.check("attention_mask", attentionMask, like: inputIDs, in: 0..<2, meaning: "1 = token, 0 = padding")
        try inputs.check("token_type_ids", tokenTypeIDs, like: inputIDs, in: 0..<config.typeVocabSize, meaning: "type_vocab_size")
        try inputs.check("position_ids", positionIDs, like: inputIDs, in: 0..<config.maxPositionEmbeddings, meaning: "max_position_embeddings")
        if positionIDs == nil && inputIDs[0].count > config.maxPositionEmbeddings {
            throw .invalidInput("\(inputIDs[0].count) tokens, but the model has \(config.maxPositionEmbeddings) positions (max_position_embeddings); truncate the input")
        }
    }

    /// Runs `model` (inference, no gradients) on the four inputs.
    func run<T>(_ model: ([[Int]], [[Int]]?, [[Int]]?, [[Int]]?) -> T) -> T {
        Tensor.withoutGradients { model(inputIDs, attentionMask, tokenTypeIDs, positionIDs) }
    }
}

extension BertModel: NamedForward {
    public static var architecture: String { "BertModel" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out)
    }

    static func fields(_ out: BertModelOutput) -> [(name: String, tensor: Tensor)] {
        [("last_hidden_state", out.lastHiddenState)] + (out.poolerOutput.map { [("pooler_output", $0)] } ?? [])
    }
}

extension BertForPreTraining: NamedForward {
    public static var architecture: String { "BertForPreTraining" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out.encoder) + [("prediction_logits", out.predictionLogits), ("seq_relationship_logits", out.seqRelationshipLogits)]
    }
}

extension BertForMaskedLM: NamedForward {
    public static var architecture: String { "BertForMaskedLM" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out.encoder) + [("logits", out.logits)]
    }
}

extension BertForSequenceClassification: NamedForward {
    public static var architecture: String { "BertForSequenceClassification" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out.encoder) + [("logits", out.logits)]
    }
}

extension BertForTokenClassification: NamedForward {
    public static var architecture: String { "BertForTokenClassification" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out.encoder) + [("logits", out.logits)]
    }
}

extension BertForQuestionAnswering: NamedForward {
    public static var architecture: String { "BertForQuestionAnswering" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let out = try BertInputs(inputs, config).run { self(inputIDs: $0, attentionMask: $1, tokenTypeIDs: $2, positionIDs: $3) }
        return BertModel.fields(out.encoder) + [("start_logits", out.startLogits), ("end_logits", out.endLogits)]
    }
}
