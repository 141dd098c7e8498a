// The pooler: the sentence vector that BERT's classification heads read.
//
// Reference: transformers' `BertPooler` (models/bert/modeling_bert.py) and Devlin et al.
// (2019) §3: the final state of [CLS], the first token, through a dense layer and tanh,
//
//     pooler_output = tanh(W_p h_[CLS] + b_p)        W_p: H × H
//
// trained by next-sentence prediction. (For sentence similarity it is a poor vector; mean
// pooling over tokens, as sentence-transformers does, works better.)

import LecternCore
import LecternNN

/// tanh(dense(first token's state)): (B, T, H) → (B, H).
///
///     let pooled = model.pooler!(output.lastHiddenState)   // (B, H)
public final class BertPooler: Module {
    /// W_p and b_p (`dense`), H × H.
    public let dense: Linear
    public var training = true

    /// The pooler of `config`, with parameters from `scope`.
    public init(_ config: BertConfig, _ scope: ParameterScope) {
        dense = config.newLinear(scope("dense"), config.hiddenSize, config.hiddenSize)
    }

    public var children: NamedModules { [("dense", dense)] }

    /// tanh(W_p h₀ + b_p) for each sequence's first token, (B, H).
    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let (b, h) = (hidden.shape[0], hidden.shape[2])
        let first = hidden.slice(axis: 1, 0..<1).reshaped([b, h])   // (B, H): the [CLS] states
        return dense(first).tanh()                                    // (B, H)
    }
}
