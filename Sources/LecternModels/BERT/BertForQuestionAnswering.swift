// BERT for extractive question answering (SQuAD): where does the answer start and end?
//
// Reference: Devlin et al. (2019) §4.2 and Figure 4 (c); transformers'
// `BertForQuestionAnswering`: the encoder without the pooler, then `qa_outputs` (H → 2) on
// every token, split into start and end logits. The answer span is the (i ≤ j) maximising
// start_i + end_j. The loss is the mean of the start and end cross-entropies; positions
// outside the sequence are clamped to T and ignored, as in Python.

import LecternCore
import LecternNN

/// The outputs of ``BertForQuestionAnswering`` (`QuestionAnsweringModelOutput`).
public struct BertQuestionAnsweringOutput {
    /// (start CE + end CE) / 2, when positions were given (`loss`).
    public var loss: Tensor?
    /// (B, T) scores of each token as the answer's first token (`start_logits`).
    public var startLogits: Tensor
    /// (B, T) scores of each token as the answer's last token (`end_logits`).
    public var endLogits: Tensor
    /// The encoder's outputs underneath.
    public var encoder: BertModelOutput
}

/// BERT with a span head: a start and an end score for every token.
///
///     let qa = try BertForQuestionAnswering(config: tiny, using: &rng)
///     let out = qa(inputIDs: ids, tokenTypeIDs: segments)
///     out.startLogits.shape   // [B, T]
public final class BertForQuestionAnswering: PretrainedModel {
    public let config: BertConfig
    /// The encoder, without a pooler (`bert`).
    public let bert: BertModel
    /// H → num_labels (2: start, end) on every token (`qa_outputs`).
    public let qaOutputs: Linear
    public var training = true

    public static var naming: CheckpointNaming { BertModel.naming }
    public static var isBaseModel: Bool { false }

    public init(config: BertConfig, parameters scope: ParameterScope) throws(PretrainedModelError) {
        guard config.numLabels == 2 else {
            throw .invalidConfig("BertForQuestionAnswering needs num_labels 2 (start and end), got \(config.numLabels)")
        }
        self.config = config
        bert = try BertModel(config: config, addPoolingLayer: false, parameters: scope("bert"))
        qaOutputs = config.newLinear(scope("qa_outputs"), config.hiddenSize, 2)
    }

    public var children: NamedModules { [("bert", bert), ("qa_outputs", qaOutputs)] }

    /// Start and end logits (B, T), and the loss when `startPositions` and `endPositions` (B) are given.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, startPositions: [Int]? = nil,
                               endPositions: [Int]? = nil) -> BertQuestionAnsweringOutput {
        let encoded = bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let (b, t) = (inputIDs.count, inputIDs[0].count)
        let both = qaOutputs(encoded.lastHiddenState)                        // (B, T, 2)
        let parts = both.split(sizes: [1, 1], axis: 2)
        let start = parts[0].reshaped([b, t]), end = parts[1].reshaped([b, t])   // (B, T) each
        var loss: Tensor?
        if let startPositions, let endPositions {
            // Python clamps positions to [0, T] and ignores T: an answer cut off by truncation.
            let clamp = { (p: [Int]) in p.map { min(max($0, 0), t) } }
            let ce = { (logits: Tensor, targets: [Int]) in crossEntropy(logits: logits, targets: targets, ignoreIndex: t) }
            loss = (ce(start, clamp(startPositions)) + ce(end, clamp(endPositions))) * 0.5
        }
        return BertQuestionAnsweringOutput(loss: loss, startLogits: start, endLogits: end, encoder: encoded)
    }
}
