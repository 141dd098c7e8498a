// BERT for masked language modelling alone (the "fill in the [MASK]" model).
//
// Reference: transformers' `BertForMaskedLM`: the encoder without the pooler, and the MLM head
// (`cls.predictions`) tied to the word embeddings; loss = cross-entropy over the tokens whose
// label is not −100.

import LecternCore
import LecternNN

/// The outputs of a token-level head: logits and, with labels, the loss (`MaskedLMOutput`,
/// `TokenClassifierOutput`).
public struct BertTokenOutput {
    /// Mean cross-entropy over the labelled tokens, when labels were given (`loss`).
    public var loss: Tensor?
    /// (B, T, C) logits: C = V for the masked LM, the number of labels for tagging (`logits`).
    public var logits: Tensor
    /// The encoder's outputs underneath.
    public var encoder: BertModelOutput
}

/// BERT with the masked-LM head: predicts the original token at every position.
///
///     let mlm = try BertForMaskedLM.fromPretrained("/models/bert-base-uncased")
///     let out = mlm(inputIDs: [[101, 1996, 103, 2003, 2307, 102]])   // [CLS] the [MASK] is great [SEP]
///     out.logits.shape   // [1, 6, 30522]
public final class BertForMaskedLM: PretrainedModel {
    public let config: BertConfig
    /// The encoder, without a pooler (`bert`).
    public let bert: BertModel
    /// The MLM head (`cls`).
    public let cls: BertOnlyMLMHead
    public var training = true

    public static var naming: CheckpointNaming { BertModel.naming }
    public static var isBaseModel: Bool { false }

    public init(config: BertConfig, parameters scope: ParameterScope) throws(PretrainedModelError) {
        self.config = config
        bert = try BertModel(config: config, addPoolingLayer: false, parameters: scope("bert"))
        cls = BertOnlyMLMHead(config, wordEmbeddings: bert.embeddings.wordEmbeddings, scope("cls"))
    }

    public var children: NamedModules { [("bert", bert), ("cls", cls)] }

    /// Vocabulary logits (B, T, V), and the loss when `labels` (B, T; −100 = ignore) are given.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, labels: [[Int]]? = nil) -> BertTokenOutput {
        let encoded = bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let logits = cls.predictions(encoded.lastHiddenState)   // (B, T, V)
        return BertTokenOutput(loss: labels.map { BertLosses.tokenCrossEntropy(logits, $0) }, logits: logits, encoder: encoded)
    }
}
