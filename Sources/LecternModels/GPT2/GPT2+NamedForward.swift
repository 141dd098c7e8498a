// GPT-2 behind `lectern lab forward` and `lectern lab generate`: Hugging Face's input names
// (`input_ids`, `attention_mask`, `position_ids`) in, `last_hidden_state` / `logits` out.

import LecternCore
import LecternNN

/// GPT-2's inputs, checked against a configuration.
struct GPT2Inputs {
    var inputIDs: [[Int]]
    var attentionMask: [[Int]]?
    var positionIDs: [[Int]]?

    init(_ inputs: ModelInputs, _ config: GPT2Config) throws(PretrainedModelError) {
        try inputs.check(accepted: ["input_ids", "attention_mask", "position_ids"], required: "input_ids")
        inputIDs = try inputs.ids("input_ids")!
        attentionMask = try inputs.ids("attention_mask")
        positionIDs = try inputs.ids("position_ids")
        try inputs.check("input_ids", inputIDs, like: inputIDs, in: 0..<config.vocabSize, meaning: "vocab_size")
        try inputs.check("attention_mask", attentionMask, like: inputIDs, in: 0..<2, meaning: "1 = token, 0 = padding")
        try inputs.check("position_ids", positionIDs, like: inputIDs, in: 0..<config.nPositions, meaning: "n_positions")
        if positionIDs == nil && inputIDs[0].count > config.nPositions {
            throw .invalidInput("\(inputIDs[0].count) tokens, but the model has \(config.nPositions) positions (n_positions); shorten the input")
        }
    }
}

extension GPT2Model: NamedForward {
    public static var architecture: String { "GPT2Model" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let x = try GPT2Inputs(inputs, config)
        return [("last_hidden_state", Tensor.withoutGradients { self(inputIDs: x.inputIDs, attentionMask: x.attentionMask, positionIDs: x.positionIDs) })]
    }
}

extension GPT2LMHeadModel: NamedForward {
    public static var architecture: String { "GPT2LMHeadModel" }

    public func forward(_ inputs: ModelInputs) throws(PretrainedModelError) -> [(name: String, tensor: Tensor)] {
        let x = try GPT2Inputs(inputs, config)
        return [("logits", Tensor.withoutGradients { self(inputIDs: x.inputIDs, attentionMask: x.attentionMask, positionIDs: x.positionIDs).logits })]
    }
}
