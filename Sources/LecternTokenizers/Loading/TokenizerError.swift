// Why a tokenizer file cannot be loaded. The cases follow the failures Hugging Face
// `tokenizers` reports when it reads `tokenizer.json` (unknown variant, missing field, invalid
// type) and `BPE::from_file` (MergeTokenOutOfVocabulary), each carrying what was found and
// where, so that the message alone says what to fix.
import Foundation

/// A tokenizer file that cannot be read or understood.
///
/// ```swift
/// do { _ = try TokenizerFile.load(url) }
/// catch { print(error) }   // "tokenizer.json: model.type: unsupported model type \"Unigram\" (supported: BPE, WordPiece)"
/// ```
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing at this path (or a folder without a recognised tokenizer file in it).
    ///
    /// ```swift
    /// TokenizerError.fileNotFound(path: "models/gpt2")
    /// ```
    case fileNotFound(path: String)
    /// The file exists but could not be read.
    ///
    /// ```swift
    /// TokenizerError.unreadable(path: "vocab.json", reason: "Permission denied")
    /// ```
    case unreadable(path: String, reason: String)
    /// Not valid JSON, or a value of the wrong kind at `keyPath` (e.g. "model.vocab").
    ///
    /// ```swift
    /// TokenizerError.malformed(path: "tokenizer.json", keyPath: "model.vocab", reason: "expected an object")
    /// ```
    case malformed(path: String, keyPath: String, reason: String)
    /// A model type we do not implement (`model.type` of `tokenizer.json`).
    ///
    /// ```swift
    /// TokenizerError.unsupportedModel(path: "tokenizer.json", type: "Unigram")
    /// ```
    case unsupportedModel(path: String, type: String)
    /// A pre-tokenizer, decoder or normalizer type we do not implement, at `keyPath`.
    ///
    /// ```swift
    /// TokenizerError.unsupportedComponent(path: "tokenizer.json", keyPath: "pre_tokenizer.type", type: "Metaspace")
    /// ```
    case unsupportedComponent(path: String, keyPath: String, type: String)
    /// A byte-level BPE vocabulary without merges (no `merges.txt`, or `model.merges` absent).
    ///
    /// ```swift
    /// TokenizerError.missingMerges(path: "gpt2/merges.txt")
    /// ```
    case missingMerges(path: String)
    /// Merge number `index` (0-based) names a part, or produces a token, that is not in the
    /// vocabulary.
    ///
    /// ```swift
    /// TokenizerError.mergeNotInVocabulary(path: "merges.txt", index: 0, merge: "a b", missing: "b")
    /// ```
    case mergeNotInVocabulary(path: String, index: Int, merge: String, missing: String)

    /// One line saying what is wrong and where.
    ///
    /// ```swift
    /// TokenizerError.missingMerges(path: "gpt2").description
    /// // "gpt2: no merges (expected merges.txt next to vocab.json, or model.merges in tokenizer.json)"
    /// ```
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            "\(path): no such file, or a folder without tokenizer.json, vocab.json + merges.txt, or vocab.txt"
        case let .unreadable(path, reason):
            "\(path): cannot read: \(reason)"
        case let .malformed(path, keyPath, reason):
            "\(path): \(keyPath.isEmpty ? "" : "\(keyPath): ")\(reason)"
        case let .unsupportedModel(path, type):
            "\(path): model.type: unsupported model type \"\(type)\" (supported: BPE, WordPiece)"
        case let .unsupportedComponent(path, keyPath, type):
            "\(path): \(keyPath): unsupported type \"\(type)\""
        case let .missingMerges(path):
            "\(path): no merges (expected merges.txt next to vocab.json, or model.merges in tokenizer.json)"
        case let .mergeNotInVocabulary(path, index, merge, missing):
            "\(path): merge \(index + 1) \"\(merge)\": \"\(missing)\" is not in the vocabulary"
        }
    }
}

extension TokenizerError: LocalizedError {
    /// The same text as ``description``, so `error.localizedDescription` says it too.
    ///
    /// ```swift
    /// TokenizerError.fileNotFound(path: "x").errorDescription   // "x: no such file, …"
    /// ```
    public var errorDescription: String? { description }
}
