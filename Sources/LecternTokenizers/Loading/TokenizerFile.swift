// The one entry point for tokenizer files, deciding the format by name and folder contents
// the way `AutoTokenizer.from_pretrained` looks into a model folder: `tokenizer.json` first
// (it describes the whole pipeline), then `vocab.json` + `merges.txt` (GPT-2 byte-level BPE),
// then `vocab.txt` (BERT WordPiece).
import Foundation

/// Loads any tokenizer file this module understands.
///
/// ```swift
/// let gpt2 = try TokenizerFile.load(URL(fileURLWithPath: "models/gpt2"))                  // a folder
/// let bert = try TokenizerFile.load(URL(fileURLWithPath: "models/bert/tokenizer.json"))   // a file
/// print(gpt2.encode("Hello").ids)
/// ```
public enum TokenizerFile {
    /// The tokenizer at `url`: a `tokenizer.json`, a `vocab.txt`, a `vocab.json` (with
    /// `merges.txt` beside it), or a folder holding one of these.
    ///
    /// ```swift
    /// do { let tokenizer = try TokenizerFile.load(url) } catch { print(error) }   // says what and where
    /// ```
    public static func load(_ url: URL) throws(TokenizerError) -> any Tokenizer {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw .fileNotFound(path: url.path) }
        if isFolder.boolValue {
            for name in ["tokenizer.json", "vocab.json", "vocab.txt"] {
                let candidate = url.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: candidate.path) { return try load(candidate) }
            }
            throw .fileNotFound(path: url.path)
        }
        switch url.lastPathComponent {
        case "vocab.json":
            return try GPT2Files.load(vocab: url, merges: url.deletingLastPathComponent().appendingPathComponent("merges.txt"))
        case "merges.txt":
            return try GPT2Files.load(vocab: url.deletingLastPathComponent().appendingPathComponent("vocab.json"), merges: url)
        case _ where url.pathExtension == "txt":
            // vocab.txt (or any other .txt): BERT's one-token-per-line WordPiece vocabulary.
            return try BertWordPieceTokenizer(vocabTXT: url)
        default:
            // Any other name (gpt2-tokenizer.json, …) is read as a tokenizer.json.
            return try HuggingFaceTokenizerJSON.load(try read(url), path: url.path)
        }
    }

    /// The bytes of `url`, or the loader's error.
    static func read(_ url: URL) throws(TokenizerError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .fileNotFound(path: url.path) }
        do { return try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: error.localizedDescription) }
    }
}
