// BERT for classifying (or scoring) a whole sequence or sentence pair from the pooler.
//
// Reference: Devlin et al. (2019) §3.2 and Figure 4 (a, b); transformers'
// `BertForSequenceClassification`: dropout(pooler_output) → `classifier` (H → num_labels).
// The loss follows `problem_type`, chosen as Python chooses it when unset: one label →
// regression (MSE); integer labels → single-label cross-entropy; "multi_label_classification"
// → binary cross-entropy with logits per label.

import LecternCore
import LecternNN

/// The outputs of a sequence-level head (`SequenceClassifierOutput`).
public struct BertSequenceOutput {
    /// The loss, when labels were given (`loss`).
    public var loss: Tensor?
    /// (B, num_labels) logits (`logits`).
    public var logits: Tensor
    /// The encoder's outputs underneath.
    public var encoder: BertModelOutput
}

/// BERT with a classifier on the pooled [CLS] vector: sentiment, entailment, a relevance score.
///
///     var config = BertConfig.base
///     config.labels = ["negative", "positive"]
///     let model = try BertForSequenceClassification(config: config, using: &rng)
///     let out = model(inputIDs: ids, labels: [1])
///     out.logits.shape   // [1, 2]
public final class BertForSequenceClassification: PretrainedModel {
    public let config: BertConfig
    /// The encoder with its pooler (`bert`).
    public let bert: BertModel
    /// Dropout on the pooled vector (`classifier_dropout`, else `hidden_dropout_prob`).
    public let dropout: Dropout
    /// H → num_labels (`classifier`).
    public let classifier: Linear
    public var training = true

    public static var naming: CheckpointNaming { BertModel.naming }
    public static var isBaseModel: Bool { false }

    public init(config: BertConfig, parameters scope: ParameterScope) throws(PretrainedModelError) {
        self.config = config
        bert = try BertModel(config: config, addPoolingLayer: true, parameters: scope("bert"))
        dropout = Dropout(p: config.classifierDropout ?? config.hiddenDropoutProb, seed: scope.seed())
        classifier = config.newLinear(scope("classifier"), config.hiddenSize, config.numLabels)
    }

    public var children: NamedModules { [("bert", bert), ("dropout", dropout), ("classifier", classifier)] }

    /// (B, num_labels) logits, and the loss for `labels` (B class ids) or `regressionTargets`
    /// (B × num_labels values: regression, or 0/1 flags for multi-label).
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, tokenTypeIDs: [[Int]]? = nil,
                               positionIDs: [[Int]]? = nil, labels: [Int]? = nil,
                               regressionTargets: [[Float]]? = nil) -> BertSequenceOutput {
        let encoded = bert(inputIDs: inputIDs, attentionMask: attentionMask, tokenTypeIDs: tokenTypeIDs, positionIDs: positionIDs)
        let logits = classifier(dropout(encoded.poolerOutput!))   // (B, num_labels)
        var loss: Tensor?
        if let labels {
            require(config.numLabels > 1, "BertForSequenceClassification: class labels need num_labels > 1; give regressionTargets for a 1-label regression")
            loss = crossEntropy(logits: logits, targets: labels)
        } else if let targets = regressionTargets {
            require(targets.count == inputIDs.count && targets.allSatisfy { $0.count == config.numLabels },
                    "BertForSequenceClassification: regressionTargets must be (B, \(config.numLabels))")
            let target = Tensor(shape: logits.shape, scalars: targets.flatMap { $0 })   // (B, num_labels)
            loss = config.problemType == "multi_label_classification"
                ? binaryCrossEntropyWithLogits(logits, target) : mseLoss(logits, target)
        }
        return BertSequenceOutput(loss: loss, logits: logits, encoder: encoded)
    }
}
