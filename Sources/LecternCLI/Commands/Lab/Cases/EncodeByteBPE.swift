// encode-byte-bpe: byte-level BPE encoding throughput (MB of text per second, one thread) —
// ByteLevelBPETokenizer.encode on every line of a text, against Hugging Face tokenizers'
// `Tokenizer.encode_batch` on the same lines with RAYON_NUM_THREADS=1 (set before tokenizers
// is imported, so its batch runs on one thread too).
//
// Both sides load the same tokenizer, the 2000-token byte-level BPE that
// Scripts/fixtures/byte_level_bpe.py trained with HF (Tests/LecternTokenizersTests/Fixtures/
// byte_bpe/tokenizer.json), and encode the same text: the license texts of
// Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt (237 KB, 4,600 lines), split at "\n"
// (empty lines included, none after the final line break). Both keep their pre-token cache
// between calls, as a long-running process would. Scripts/bench/reference.py: kind
// "encode_byte_bpe".
import Foundation
import LecternTokenizers

extension BenchCase {
    static var encodeByteBPE: BenchCase {
        let root = (try? Context.findCourseRoot(explicit: nil, environment: ProcessInfo.processInfo.environment))
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let tokenizerPath = root.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/byte_bpe/tokenizer.json").path
        let textPath = root.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt").path
        let bytes = (try? FileManager.default.attributesOfItem(atPath: textPath)[.size] as? Int) ?? 0
        return BenchCase(name: "encode-byte-bpe", unit: .megabytesPerSecond(bytesPerCall: Double(max(bytes, 1))),
                         reference: ReferenceSpec(kind: "encode_byte_bpe", params: ["tokenizer": tokenizerPath, "text": textPath])) {
            let tokenizer: any Tokenizer
            do { tokenizer = try TokenizerFile.load(URL(fileURLWithPath: tokenizerPath)) } catch {
                printError("lectern: encode-byte-bpe: \(error) (run from the course folder)")
                exit(2)
            }
            guard let data = FileManager.default.contents(atPath: textPath) else {
                printError("lectern: encode-byte-bpe needs \(textPath) (run from the course folder)")
                exit(2)
            }
            let lines = TextLines.split(data)
            return {
                for line in lines { benchKeep(tokenizer.encode(line)) }
            }
        }
    }
}
