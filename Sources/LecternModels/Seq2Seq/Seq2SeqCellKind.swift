// Which recurrent layer an encoder–decoder model is built from.
//
// Reference: Sutskever et al. (2014), "Sequence to Sequence Learning with Neural Networks"
// (NeurIPS), used deep LSTMs; Cho et al. (2014), "Learning Phrase Representations using RNN
// Encoder–Decoder for Statistical Machine Translation" (EMNLP), introduced the GRU for the same
// architecture. The lectures compare the two, so the choice is one config field.

/// The recurrent layer of a ``Seq2SeqModel``'s encoder and decoder.
///
///     var config = Seq2SeqConfig(vocabSize: 13, embeddingDim: 16, hiddenSize: 32, bosID: 1, eosID: 2)
///     config.cell = .lstm   // Sutskever et al. (2014); the default .gru is Cho et al. (2014)
///
/// The raw values are what a config file stores (`"cell": "gru"`).
public enum Seq2SeqCellKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Gated recurrent units (``GRU``): one state tensor h.
    case gru
    /// Long short-term memory (``LSTM``): two state tensors, h and the cell state c.
    case lstm
}
