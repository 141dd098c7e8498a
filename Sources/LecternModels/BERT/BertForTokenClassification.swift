// BERT for tagging every token (named entities, parts of speech).
//
// Reference: Devlin et al. (2019) §3.2 and Figure 4 (d); transformers'
// `BertForTokenClassification`: the encoder without the pooler, dropout, then `classifier`
// (H → num_labels) on every token state; loss = cross-entropy over labels that are not −100
// (sub-word continuations and special tokens are usually labelled −100).

import LecternCore
import LecternNN

/// BERT with a per-token classifier.
///
///     var config = BertConfig(numLabels: 9)   // CoNLL-2003's BIO tags
///     let tagger = try BertForTokenClassification(config: config, using: &rng)
///     tagger(inputIDs: ids).logits.shape   // [B, T, 9]
public final class BertForTokenClassification: PretrainedModel {
    public let config: BertConfig
    /// The encoder, without a pooler (`bert`).
    public let bert: BertModel
    /// Dropout on the token states (`classifier_dropout`, else `hidden_dropout_prob`).
    public let dropout: Dropout
    /// H → num_labels, applied to every token (`classifier`).
    public let classifier: Linear
    public var training = true

    public static var naming: CheckpointNaming { BertModel.naming }
    public static var isBaseModel: Bool { false }

    public init(config: BertConfig, parameters scope: ParameterScope) throws(PretrainedModelError) {
        self.config = config
        bert = try BertModel(config: config, addPoolingLayer: false, parameters: scope("bert"))
        dropout = Dropout(p: config.classifierDropout ?? config.hiddenDropoutProb, seed: scope.seed())
        classifier = config.newLinear(scope("classifier"), config.hiddenSize, config.numLabels)
    }

    public var children: NamedModules { [("bert", bert), ("dropout", dropout), ("classifier", classifier)] }

    /// (B, T, num_labels) logits, and the loss when `labels` (B, T; −100 = ignore) are given.
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, labels: [[Int]]? = nil) -> BertTokenOutput {
        let encoded = bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let logits = classifier(dropout(encoded.lastHiddenState))   // (B, T, num_labels)
        return BertTokenOutput(loss: labels.map { BertLosses.tokenCrossEntropy(logits, $0) }, logits: logits, encoder: encoded)
    }
}
