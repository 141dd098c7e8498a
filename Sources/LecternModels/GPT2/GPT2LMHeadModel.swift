// GPT-2 with its language-model head, and greedy generation with a key/value cache.
//
// Reference: transformers' `GPT2LMHeadModel` and `GenerationMixin` greedy search
// (generation/utils.py): the loss shifts the labels by one (token t predicts token t + 1);
// generation feeds the prompt once, then one token per step through the cache, takes the
// argmax, fills finished rows with the pad id, and stops when every row has produced EOS or
// `max_new_tokens` are done. Position ids follow the attention mask as generate() computes them.

import LecternCore
import LecternNN

/// The outputs of ``GPT2LMHeadModel`` (Hugging Face's `CausalLMOutputWithCrossAttentions` names).
public struct GPT2LMOutput {
    /// Mean next-token cross-entropy over labelled positions, when labels were given (`loss`).
    public var loss: Tensor?
    /// (B, T, V) next-token logits (`logits`).
    public var logits: Tensor
}

/// GPT-2 with the tied output head: logits = ln_f(h)·wteᵀ.
///
///     let gpt2 = try GPT2LMHeadModel.fromPretrained("openai-community/gpt2")
///     let ids = gpt2.generate(inputIDs: [[464, 2068, 7586]], maxNewTokens: 10)   // prompt + 10 tokens
public final class GPT2LMHeadModel: PretrainedModel {
    public let config: GPT2Config
    /// The decoder (`transformer`).
    public let transformer: GPT2Model
    /// V × d, no bias, the same parameter as `transformer.wte` when tied (`lm_head`).
    public let lmHead: Linear
    public var training = true

    public static var naming: CheckpointNaming { GPT2Model.naming }
    public static var isBaseModel: Bool { false }

    public init(config: GPT2Config, parameters scope: ParameterScope) throws(PretrainedModelError) {
        self.config = config
        transformer = try GPT2Model(config: config, parameters: scope("transformer"))
        let weight = config.tieWordEmbeddings
            ? scope("lm_head").tied("weight", to: transformer.wte.weight)
            : scope("lm_head").parameter("weight", shape: [config.vocabSize, config.nEmbd], initial: .normal(std: config.initializerRange))
        lmHead = Linear(weight: weight, bias: nil)
    }

    public var children: NamedModules { [("transformer", transformer), ("lm_head", lmHead)] }

    /// Next-token logits (B, T, V), and with `labels` (B, T; −100 = ignore; usually the inputs
    /// themselves) the loss of predicting labels[t + 1] from position t.
    ///
    ///     let out = gpt(inputIDs: batch, labels: batch)
    ///     out.loss!.scalar   // mean cross-entropy in nats; perplexity = exp(loss)
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, positionIDs: [[Int]]? = nil,
                               labels: [[Int]]? = nil) -> GPT2LMOutput {
        var cache = GPT2Cache()
        let logits = self(inputIDs: inputIDs, attentionMask: attentionMask, positionIDs: positionIDs, cache: &cache)   // (B, T, V)
        return GPT2LMOutput(loss: labels.map { shiftedLoss(logits, labels: $0) }, logits: logits)
    }

    /// Next-token logits (B, T, V) of the T new tokens after those in `cache`, which grows by T.
    ///
    ///     var cache = GPT2Cache()
    ///     _ = gpt(inputIDs: prompt, cache: &cache)
    ///     let next = gpt(inputIDs: [[token]], cache: &cache)   // (1, 1, V), the same as a full forward's last row
    public func callAsFunction(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, positionIDs: [[Int]]? = nil,
                               cache: inout GPT2Cache) -> Tensor {
        lmHead(transformer(inputIDs: inputIDs, attentionMask: attentionMask, positionIDs: positionIDs, cache: &cache))   // (B, T, V)
    }

    /// Position ids that skip left padding, as generate() computes them: cumsum(mask) − 1, 0 on padding.
    ///
    ///     GPT2LMHeadModel.positionIDs(attentionMask: [[0, 0, 1, 1]])   // [[0, 0, 0, 1]]
    public static func positionIDs(attentionMask: [[Int]]) -> [[Int]] {
        attentionMask.map { row in
            var seen = 0
            return row.map { flag in
                seen += flag
                return flag == 0 ? 0 : seen - 1
            }
        }
    }

    /// Greedy decoding: the prompt (B, T) followed by up to `maxNewTokens` argmax tokens per row,
    /// Hugging Face's `sequences` (prompt included). A row that produced `eosTokenID` is filled
    /// with `padTokenID` (default: the EOS id) until every row is done.
    ///
    ///     let out = gpt.generate(inputIDs: [[0, 0, 464, 2068], [464, 2068, 7586, 21831]],
    ///                            attentionMask: [[0, 0, 1, 1], [1, 1, 1, 1]], maxNewTokens: 5)
    public func generate(inputIDs: [[Int]], attentionMask: [[Int]]? = nil, maxNewTokens: Int,
                         eosTokenID: Int? = nil, padTokenID: Int? = nil) -> [[Int]] {
        let eos = eosTokenID ?? config.eosTokenID
        let pad = padTokenID ?? eos ?? 0
        var sequences = inputIDs
        var mask = attentionMask ?? inputIDs.map { Array(repeating: 1, count: $0.count) }
        var finished = Array(repeating: false, count: inputIDs.count)
        var cache = GPT2Cache(capacity: (inputIDs.first?.count ?? 0) + maxNewTokens)
        var next = inputIDs
        var positions = Self.positionIDs(attentionMask: mask)
        var realTokens = mask.map { $0.reduce(0, +) }   // each new token is real: its position is this count
        Tensor.withoutGradients {
            for _ in 0..<maxNewTokens where !finished.allSatisfy({ $0 }) {
                let logits = self(inputIDs: next, attentionMask: mask, positionIDs: positions, cache: &cache)   // (B, t, V)
                let t = logits.shape[1]
                let argmax = logits.slice(axis: 1, (t - 1)..<t).argmax(axis: -1)   // (B): the first maximum of the last position
                let chosen = argmax.indices.map { row in finished[row] ? pad : argmax[row] }
                for row in chosen.indices {
                    if chosen[row] == eos { finished[row] = true }
                    sequences[row].append(chosen[row])
                    mask[row].append(1)
                }
                next = chosen.map { [$0] }
                positions = realTokens.map { [$0] }
                realTokens = realTokens.map { $0 + 1 }
            }
        }
        return sequences
    }

    private func shiftedLoss(_ logits: Tensor, labels: [[Int]]) -> Tensor {
        let (b, t, v) = (logits.shape[0], logits.shape[1], logits.shape[2])
        require(labels.count == b && labels.allSatisfy { $0.count == t }, "GPT2LMHeadModel: labels must be (B, T) like inputIDs")
        // Position t predicts labels[t + 1]: drop the last position's logits and the first label.
        let predicting = logits.slice(axis: 1, 0..<(t - 1)).reshaped([b * (t - 1), v])   // (B·(T−1), V)
        let targets = labels.flatMap { $0.dropFirst() }                                   // B·(T−1)
        return crossEntropy(logits: predicting, targets: targets)
    }
}
