// Exact-match and token accuracy of predicted sequences against references.
//
// Reference: the "sequence accuracy" and "per-token accuracy" reported for the algorithmic
// tasks of the seq2seq literature (e.g. Vinyals et al., "Pointer Networks", NeurIPS 2015), and
// fairseq's / Hugging Face's convention of excluding padding (label −100 or the pad id) from
// token metrics.
//
// Why both: token accuracy rises smoothly during training, while exact match — the whole answer
// right — is what the task asks for; a date with one wrong digit is a wrong date.

/// The fraction of predictions equal to their reference, in [0, 1] (0 for no examples).
///
///     exactMatchAccuracy(predictions: ["2021-03-05", "1999-12-30"],
///                        references: ["2021-03-05", "1999-12-31"])   // 0.5
///
/// - Precondition: the two lists have the same length.
public func exactMatchAccuracy<T: Equatable>(predictions: [T], references: [T]) -> Double {
    require(predictions.count == references.count,
            "exactMatchAccuracy: \(predictions.count) predictions but \(references.count) references")
    guard !predictions.isEmpty else { return 0 }
    let hits = zip(predictions, references).filter { $0 == $1 }.count
    return Double(hits) / Double(predictions.count)
}

/// The fraction of rows whose ids equal the target's at every non-padding position of the
/// target (positions where the target is `padID` are ignored, whatever was predicted there).
///
///     exactMatchAccuracy(predictions: [[5, 4, 2, 9], [6, 6, 2, 0]],
///                        targets: [[5, 4, 2, 0], [6, 5, 2, 0]], padID: 0)   // 0.5
///
/// - Precondition: the two lists have the same length.
public func exactMatchAccuracy(predictions: [[Int]], targets: [[Int]], padID: Int) -> Double {
    require(predictions.count == targets.count,
            "exactMatchAccuracy: \(predictions.count) predicted rows but \(targets.count) target rows")
    guard !targets.isEmpty else { return 0 }
    let hits = zip(predictions, targets).filter { prediction, target in
        target.indices.allSatisfy { t in
            target[t] == padID || (t < prediction.count && prediction[t] == target[t])
        }
    }.count
    return Double(hits) / Double(targets.count)
}

/// The fraction of non-padding target positions where the prediction has the same id; a
/// prediction shorter than its target counts the missing positions as wrong. 0 when every
/// position is padding.
///
///     tokenAccuracy(predictions: [[5, 4, 2, 9], [6, 6, 2, 0]],
///                   targets: [[5, 4, 2, 0], [6, 5, 2, 0]], padID: 0)   // 5/6
///
///     // From logits (B·T, V): the argmax, regrouped by row
///     let predicted = logits.argmax(axis: 1)
///
/// - Precondition: the two lists have the same length.
public func tokenAccuracy(predictions: [[Int]], targets: [[Int]], padID: Int) -> Double {
    require(predictions.count == targets.count,
            "tokenAccuracy: \(predictions.count) predicted rows but \(targets.count) target rows")
    var hits = 0, total = 0
    for (prediction, target) in zip(predictions, targets) {
        for t in target.indices where target[t] != padID {
            total += 1
            if t < prediction.count && prediction[t] == target[t] { hits += 1 }
        }
    }
    return total == 0 ? 0 : Double(hits) / Double(total)
}
