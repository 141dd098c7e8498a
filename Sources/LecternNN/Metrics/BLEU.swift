// Corpus BLEU, computed as sacreBLEU computes it by default, on pre-tokenised text.
//
// References: K. Papineni, S. Roukos, T. Ward, W.-J. Zhu, "BLEU: a Method for Automatic
// Evaluation of Machine Translation", ACL 2002 (modified n-gram precision for n = 1…4, their
// geometric mean, the brevity penalty, all from corpus-level counts); M. Post, "A Call for
// Clarity in Reporting BLEU Scores", WMT 2018, and sacrebleu 2.x `BLEU(tokenize='none')`, whose
// corpus score this reproduces (checked to 1e-4 by Tests/LecternNNTests/BLEUTests.swift against
// fixtures from Scripts/fixtures/bleu_reference.py):
//
//     pₙ  = Σ_sentences Σ_ngrams min(count_hyp, count_ref) / Σ_sentences (#hyp n-grams)
//     BP  = 1 if c ≥ r, else exp(1 − r/c)            (c, r: total hypothesis/reference length)
//     BLEU = 100 · BP · exp(¼ Σₙ log pₙ)
//
// Choices, matching sacreBLEU's defaults for corpus BLEU:
//   - tokenisation 'none': a string is split on whitespace and nothing else, because our tasks'
//     outputs are already token (or character) sequences; sacreBLEU's '13a' tokeniser would
//     split punctuation such as the "-" of "2021-03-05" and change the score. For character
//     tasks pass the character arrays, or join the characters with spaces;
//   - smoothing 'exp' (Chen & Cherry, WMT 2014, method 3, as in mteval-v13a): a precision
//     with no match is 1/(2ᵏ · #hyp n-grams) for the k-th such order, instead of 0;
//   - no matching n-gram at all gives score 0 and precisions 0 (sacreBLEU's early stop);
//   - an order with no hypothesis n-gram at all (every hypothesis shorter than n) makes the
//     score 0, as sacreBLEU's log(0) = −9999999999 does;
//   - one reference per hypothesis (sacreBLEU accepts several; our tasks have one answer).

import Foundation

/// The corpus BLEU score and its parts, as sacreBLEU reports them.
///
///     let bleu = corpusBLEU(hypotheses: ["the cat sat on the mat"], references: ["the cat sat on a mat"])
///     bleu.score        // 0–100
///     bleu.precisions   // [pₙ × 100 for n = 1…4]
public struct BLEUScore: Sendable, Hashable, CustomStringConvertible {
    /// The score, 0–100 (sacreBLEU's scale).
    ///
    ///     bleu.score   // 53.7
    public let score: Double
    /// The modified n-gram precisions for n = 1…4, in percent, after smoothing.
    ///
    ///     bleu.precisions[0]   // the unigram precision
    public let precisions: [Double]
    /// The brevity penalty, in (0, 1].
    ///
    ///     bleu.brevityPenalty   // 1 when the hypotheses are not shorter than the references
    public let brevityPenalty: Double
    /// The total number of hypothesis tokens, c.
    ///
    ///     bleu.hypothesisLength
    public let hypothesisLength: Int
    /// The total number of reference tokens, r.
    ///
    ///     bleu.referenceLength
    public let referenceLength: Int

    /// sacreBLEU's one-line summary, e.g. `BLEU = 53.73 80.0/60.0/50.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)`.
    ///
    ///     print(bleu)
    public var description: String {
        let p = precisions.map { formatFixed($0, 1) }.joined(separator: "/")
        let ratio = referenceLength == 0 ? 0 : Double(hypothesisLength) / Double(referenceLength)
        return "BLEU = \(formatFixed(score, 2)) \(p) (BP = \(formatFixed(brevityPenalty, 3)) ratio = \(formatFixed(ratio, 3)) hyp_len = \(hypothesisLength) ref_len = \(referenceLength))"
    }
}

/// Corpus BLEU of whitespace-tokenised strings (sacreBLEU's `tokenize='none'`).
///
///     corpusBLEU(hypotheses: ["2 0 2 1 - 0 3 - 0 5"], references: ["2 0 2 1 - 0 3 - 0 5"]).score   // 100
///
/// - Precondition: one reference per hypothesis.
public func corpusBLEU(hypotheses: [String], references: [String]) -> BLEUScore {
    func split(_ s: String) -> [String] { s.split(whereSeparator: \.isWhitespace).map(String.init) }
    return corpusBLEU(hypotheses: hypotheses.map(split), references: references.map(split))
}

/// Corpus BLEU of token sequences, e.g. the decoded characters of a seq2seq model.
///
///     let hyps = predictions.map { vocabulary.decodeTokens($0) }
///     let refs = data.test.map { $0.target.map(String.init) }
///     print(corpusBLEU(hypotheses: hyps, references: refs))
///
/// - Precondition: one reference per hypothesis.
public func corpusBLEU(hypotheses: [[String]], references: [[String]], maxOrder: Int = 4) -> BLEUScore {
    require(hypotheses.count == references.count,
            "corpusBLEU: \(hypotheses.count) hypotheses but \(references.count) references")
    require(maxOrder >= 1, "corpusBLEU: maxOrder must be at least 1, got \(maxOrder)")
    var matches = Array(repeating: 0, count: maxOrder)
    var totals = Array(repeating: 0, count: maxOrder)
    var c = 0, r = 0
    for (hyp, ref) in zip(hypotheses, references) {
        c += hyp.count
        r += ref.count
        for n in 1...maxOrder {
            let hypCounts = ngramCounts(hyp, n), refCounts = ngramCounts(ref, n)
            totals[n - 1] += max(0, hyp.count - n + 1)
            for (gram, count) in hypCounts { matches[n - 1] += min(count, refCounts[gram, default: 0]) }
        }
    }

    let bp = c < r ? (c > 0 ? exp(1 - Double(r) / Double(c)) : 0) : 1
    var precisions = Array(repeating: 0.0, count: maxOrder)
    // No match of any order: sacreBLEU stops early with score 0 and all precisions 0, rather
    // than reporting smoothed precisions for a hypothesis that shares nothing with the reference.
    if matches.allSatisfy({ $0 == 0 }) {
        return BLEUScore(score: 0, precisions: precisions, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
    }
    var smooth = 1.0
    for n in 0..<maxOrder {
        if totals[n] == 0 { break }   // no n-grams of this order: precision stays 0, score 0
        if matches[n] == 0 {
            smooth *= 2
            precisions[n] = 100 / (smooth * Double(totals[n]))
        } else {
            precisions[n] = 100 * Double(matches[n]) / Double(totals[n])
        }
    }
    let score = precisions.contains(0) ? 0 : bp * exp(precisions.map(log).reduce(0, +) / Double(maxOrder))
    return BLEUScore(score: score, precisions: precisions, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
}

/// How often each n-gram of `tokens` occurs.
private func ngramCounts(_ tokens: [String], _ n: Int) -> [ArraySlice<String>: Int] {
    var counts: [ArraySlice<String>: Int] = [:]
    guard tokens.count >= n else { return counts }
    for start in 0...(tokens.count - n) {
        counts[tokens[start..<start + n], default: 0] += 1
    }
    return counts
}
