// BERT with both pre-training heads: masked language modelling and next-sentence prediction.
//
// Reference: Devlin et al. (2019) §3.1 and Appendix A.2; transformers' `BertForPreTraining`:
// the loss is the sum of the MLM cross-entropy over the masked positions (labels −100
// elsewhere) and the NSP cross-entropy (label 0 = B follows A, 1 = B is random).

import LecternCore
import LecternNN

/// The outputs of ``BertForPreTraining``, Hugging Face's `BertForPreTrainingOutput` names.
public struct BertForPreTrainingOutput {
    /// MLM + NSP loss, when labels were given (`loss`).
    public var loss: Tensor?
    /// Vocabulary logits for every token (B, T, V) (`prediction_logits`).
    public var predictionLogits: Tensor
    /// IsNext / NotNext logits (B, 2) (`seq_relationship_logits`).
    public var seqRelationshipLogits: Tensor
    /// The encoder's outputs underneath.
    public var encoder: BertModelOutput
}

/// BERT as it was pre-trained: encoder, pooler, MLM head tied to the word embeddings, NSP head.
///
///     let model = try BertForPreTraining(config: tiny, using: &rng)
///     let out = model(inputIDs: ids, labels: mlmLabels, nextSentenceLabel: [0])
///     out.loss!.scalar   // MLM + NSP
public final class BertForPreTraining: PretrainedModel {
    public let config: BertConfig
    /// The encoder with its pooler (`bert`).
    public let bert: BertModel
    /// The two heads (`cls`).
    public let cls: BertPreTrainingHeads
    public var training = true

    public static var naming: CheckpointNaming { BertModel.naming }
    public static var isBaseModel: Bool { false }

    public init(config: BertConfig, parameters scope: ParameterScope) throws(PretrainedModelError) {
        self.config = config
        bert = try BertModel(config: config, addPoolingLayer: true, parameters: scope("bert"))
        cls = BertPreTrainingHeads(config, wordEmbeddings: bert.embeddings.wordEmbeddings, scope("cls"))
    }

    public var children: NamedModules { [("bert", bert), ("cls", cls)] }

    /// Logits of both heads, and the summed loss when `labels` (B, T; −100 = not masked) and
    /// `nextSentenceLabel` (B) are both given.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, labels: [[Int]]? = nil,
                               nextSentenceLabel: [Int]? = nil) -> BertForPreTrainingOutput {
        let encoded = bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let prediction = cls.predictions(encoded.lastHiddenState)           // (B, T, V)
        let relationship = cls.seqRelationship(encoded.poolerOutput!)        // (B, 2)
        var loss: Tensor?
        if let labels, let nextSentenceLabel {
            loss = BertLosses.tokenCrossEntropy(prediction, labels) + crossEntropy(logits: relationship, targets: nextSentenceLabel)
        }
        return BertForPreTrainingOutput(loss: loss, predictionLogits: prediction, seqRelationshipLogits: relationship, encoder: encoded)
    }
}

/// The losses the BERT heads share.
enum BertLosses {
    /// Cross-entropy of (B, T, C) logits against (B, T) labels, −100 ignored: the mean over the
    /// labelled tokens, as `CrossEntropyLoss()(logits.view(-1, C), labels.view(-1))`.
    static func tokenCrossEntropy(_ logits: Tensor, _ labels: [[Int]]) -> Tensor {
        let classes = logits.shape[logits.rank - 1]
        require(labels.count == logits.shape[0] && labels.allSatisfy { $0.count == logits.shape[1] },
                "BERT: labels must be (B, T) like inputIDs, got \(labels.map(\.count))")
        return crossEntropy(logits: logits.reshaped([-1, classes]), targets: labels.flatMap { $0 })   // mean over labelled
    }
}
