// A sentence-transformers model: tokenizer, BERT encoder, pooling, normalisation — one vector
// per sentence, for semantic search and ranking.
//
// Reference: sentence-transformers' `SentenceTransformer` (its `modules.json` pipeline of
// `models.Transformer`, `models.Pooling`, `models.Normalize`, and `encode()`), and the model
// all-MiniLM-L6-v2 (Wang et al., "MiniLM", 2020, fine-tuned by sentence-transformers on
// 1 B sentence pairs): 6 layers, H = 384, 12 heads, 22.7 M parameters, max_seq_length 256.
//
// What `encode()` does, and so what this does:
//   1. tokenize each sentence with the model's tokenizer, [CLS] … [SEP], truncated to
//      `max_seq_length` tokens (sentence_bert_config.json) including the two specials;
//   2. sort the sentences by length, longest first, and run batches of 32 padded to the
//      batch's longest (fewer padded positions than one big batch);
//   3. pool each sequence's last hidden states over its real tokens, then L2-normalise;
//   4. return the vectors in the input order.
//
// Departures: only the pipeline Transformer (BERT) → Pooling → optional Normalize is read; a
// model with other modules (Dense, a different backbone) is refused with its module list.

import Foundation
import LecternCore
import LecternHub
import LecternNN
import LecternTokenizers

/// A sentence-embedding model loaded from a sentence-transformers folder.
///
///     let embedder = try SentenceEmbedder.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")
///     let v = embedder.embed(["A man is eating food.", "A man is eating pasta."])   // (2, 384)
///     let cosine = (v.slice(axis: 0, 0..<1) * v.slice(axis: 0, 1..<2)).sum().scalar   // ≈ 0.76
public final class SentenceEmbedder {
    /// The encoder (module 0, `models.Transformer`).
    public let model: BertModel
    /// The model's WordPiece tokenizer, truncating at `maxSeqLength`.
    public let tokenizer: BertWordPieceTokenizer
    /// How token states become one vector (module 1).
    public let pooling: SentencePooling
    /// Whether vectors are scaled to unit length (a `models.Normalize` module).
    public let normalizes: Bool
    /// The longest input in tokens, specials included (`max_seq_length`).
    public let maxSeqLength: Int
    /// Sentences per forward pass (sentence-transformers' default 32).
    public var batchSize = 32

    /// An embedder from its parts.
    ///
    ///     SentenceEmbedder(model: tinyBert, tokenizer: wordPiece, pooling: .init(mode: .mean), normalizes: true, maxSeqLength: 64)
    public init(model: BertModel, tokenizer: BertWordPieceTokenizer, pooling: SentencePooling, normalizes: Bool, maxSeqLength: Int) {
        self.model = model
        var tokenizer = tokenizer
        tokenizer.truncation = BertWordPieceTokenizer.Truncation(maxLength: maxSeqLength)
        tokenizer.padding = nil
        self.tokenizer = tokenizer
        self.pooling = pooling
        self.normalizes = normalizes
        self.maxSeqLength = min(maxSeqLength, model.config.maxPositionEmbeddings)
        model.eval()
    }

    /// Loads a sentence-transformers model by folder or hub name (see ``PretrainedModel/fromPretrained(_:revision:options:)``).
    ///
    ///     let embedder = try SentenceEmbedder.fromPretrained("/models/all-MiniLM-L6-v2")
    public static func fromPretrained(_ nameOrPath: String, revision: String = "main",
                                      cache: HubCache = .standard()) throws(PretrainedModelError) -> SentenceEmbedder {
        try load(directory: ModelFolder.resolve(nameOrPath, revision: revision, cache: cache))
    }

    /// Loads the sentence-transformers folder `directory` (modules.json, sentence_bert_config.json,
    /// the pooling config, config.json, model.safetensors, tokenizer.json).
    ///
    ///     let embedder = try SentenceEmbedder.load(directory: URL(fileURLWithPath: "all-MiniLM-L6-v2"))
    public static func load(directory: URL) throws(PretrainedModelError) -> SentenceEmbedder {
        let pipeline = try SentenceTransformerFiles(directory: directory)
        let model = try BertModel.load(directory: directory)
        let tokenizer = try pipeline.tokenizer()
        return SentenceEmbedder(model: model, tokenizer: tokenizer, pooling: pipeline.pooling,
                                normalizes: pipeline.normalizes, maxSeqLength: pipeline.maxSeqLength)
    }

    /// The token ids of `sentence` as the model sees them: [CLS] … [SEP], truncated.
    ///
    ///     embedder.encode("hello world").ids   // [101, 7592, 2088, 102]
    public func encode(_ sentence: String) -> Encoding { tokenizer.encode(sentence) }

    /// One vector per sentence, (N, H), in the input order; unit length when the model normalises.
    ///
    ///     let vectors = embedder.embed(["first sentence", "second one"])   // (2, 384)
    public func embed(_ sentences: [String]) -> Tensor {
        let encodings = sentences.map(encode)
        return embed(encodings: encodings)
    }

    /// The vectors of already tokenized sentences, (N, H).
    ///
    ///     embedder.embed(encodings: [embedder.encode("hi")])
    public func embed(encodings: [Encoding]) -> Tensor {
        let h = model.config.hiddenSize
        guard !encodings.isEmpty else { return Tensor.zeros([0, h]) }
        // Longest first, as encode() sorts: each batch then pads little.
        let order = encodings.indices.sorted { encodings[$0].count > encodings[$1].count }
        var rows = [[Float]](repeating: [], count: encodings.count)
        Tensor.withoutGradients {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = Array(order[start..<min(start + batchSize, order.count)])
                let vectors = embedBatch(batch.map { encodings[$0] })   // (b, H)
                let flat = vectors.scalars
                for (k, index) in batch.enumerated() { rows[index] = Array(flat[(k * h)..<((k + 1) * h)]) }
            }
        }
        return Tensor(shape: [encodings.count, h], scalars: rows.flatMap { $0 })   // (N, H)
    }

    /// The token states of one sentence, (T, H): what sentence-transformers calls `token_embeddings`.
    ///
    ///     embedder.tokenStates("hello world").shape   // [4, 384]
    public func tokenStates(_ sentence: String) -> Tensor {
        let e = encode(sentence)
        return Tensor.withoutGradients {
            model(inputIDs: [e.ids], tokenTypeIDs: [e.typeIDs]).lastHiddenState.reshaped([e.count, model.config.hiddenSize])   // (T, H)
        }
    }

    private func embedBatch(_ batch: [Encoding]) -> Tensor {
        let t = batch.map(\.count).max() ?? 0
        let pad = model.config.padTokenID ?? 0
        let ids = batch.map { $0.ids + Array(repeating: pad, count: t - $0.count) }                 // (b, T)
        let types = batch.map { $0.typeIDs + Array(repeating: 0, count: t - $0.count) }            // (b, T)
        let mask = batch.map { Array(repeating: 1, count: $0.count) + Array(repeating: 0, count: t - $0.count) }   // (b, T)
        let hidden = model(inputIDs: ids, attentionMask: mask, tokenTypeIDs: types).lastHiddenState   // (b, T, H)
        let pooled = pooling(hidden, attentionMask: mask)                                           // (b, H)
        return normalizes ? l2Normalized(pooled) : pooled                                           // (b, H)
    }
}
