// encode-wordpiece: BERT WordPiece encoding throughput (MB of text per second, one thread) —
// BertWordPieceTokenizer.encode on every line of a text ([CLS] … [SEP], normalizer,
// pre-tokenizer, WordPiece), against Hugging Face tokenizers' `BertWordPieceTokenizer(vocab)`
// `encode_batch` on the same lines with RAYON_NUM_THREADS=1 (set before tokenizers is
// imported, so its batch runs on one thread too).
//
// Both sides load the real BERT uncased vocabulary (30,522 tokens: all-MiniLM-L6-v2's
// vocab.txt, Tests/LecternTokenizersTests/Fixtures/wordpiece/minilm/vocab.txt) and encode the
// same text: the license texts of Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt (the
// text encode-byte-bpe uses; the course's Lessons/*.md when it is missing), split at "\n"
// (empty lines included, none after the final line break). Scripts/bench/reference.py: kind
// "encode_wordpiece".
import Foundation
import LecternTokenizers

extension BenchCase {
    static var encodeWordPiece: BenchCase {
        let root = (try? Context.findCourseRoot(explicit: nil, environment: ProcessInfo.processInfo.environment))
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let vocabPath = root.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/wordpiece/minilm/vocab.txt").path
        var textPath = root.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt").path
        if !FileManager.default.fileExists(atPath: textPath) {
            textPath = root.appendingPathComponent("Lessons/00-getting-started.md").path
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: textPath)[.size] as? Int) ?? 0
        return BenchCase(name: "encode-wordpiece", unit: .megabytesPerSecond(bytesPerCall: Double(max(bytes, 1))),
                         reference: ReferenceSpec(kind: "encode_wordpiece", params: ["vocab": vocabPath, "text": textPath])) {
            let tokenizer: BertWordPieceTokenizer
            do { tokenizer = try BertWordPieceTokenizer(vocabTXT: URL(fileURLWithPath: vocabPath), lowercase: true) } catch {
                printError("lectern: encode-wordpiece: \(error) (run from the course folder)")
                exit(2)
            }
            guard let data = FileManager.default.contents(atPath: textPath) else {
                printError("lectern: encode-wordpiece needs \(textPath) (run from the course folder)")
                exit(2)
            }
            let lines = TextLines.split(data)
            return {
                for line in lines { benchKeep(tokenizer.encode(line)) }
            }
        }
    }
}
