// bpe-learn-10k-1mb: learning 10,000 classic BPE merges (subword-nmt convention, minimum
// frequency 2) from 1 MB of text, word counting included, against subword-nmt 0.3's
// `learn_bpe` on the same text (Sennrich et al. 2016; subword_nmt/learn_bpe.py).
//
// The text: the license texts of Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt
// (237 KB), copied again and again with the ASCII letters of copy k rotated by k (ROT-k:
// "the" → "uif" → "vjg" …), so that each copy adds new words of the same shape instead of
// only raising the counts of the same ones; cut at 1,000,000 bytes, then back to the last
// line break. Scripts/bench/reference.py (kind "bpe_learn") builds the same text the same way.
// The merges are the same on both sides (checked by the fixture tests on the 237 KB corpus).
import Foundation
import LecternTokenizers

extension BenchCase {
    static var bpeLearn: BenchCase {
        let corpus = benchCorpusPath()
        return BenchCase(name: "bpe-learn-10k-1mb", unit: .milliseconds,
                         reference: ReferenceSpec(kind: "bpe_learn", params: [
                             "corpus": corpus, "bytes": 1_000_000, "merges": 10_000, "min_frequency": 2,
                         ])) {
            let text = rotatedCorpus(path: corpus, bytes: 1_000_000)
            return {
                let words = WordFrequencies(countingWordsIn: text)
                let result = BPETrainer.train(words, convention: .subwordNMT, merges: 10_000, minimumFrequency: 2)
                benchKeep(result.merges.fileText)
            }
        }
    }

    /// The fixture corpus in the course folder (where reference.py also runs).
    private static func benchCorpusPath() -> String {
        let root = (try? Context.findCourseRoot(explicit: nil, environment: ProcessInfo.processInfo.environment))
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return root.appendingPathComponent("Tests/LecternTokenizersTests/Fixtures/bpe/corpus.txt").path
    }

    /// Copies of the text at `path`, copy k with its ASCII letters rotated by k, up to `bytes`
    /// bytes and back to the last line break. Exits with a message if the file is missing.
    static func rotatedCorpus(path: String, bytes: Int) -> String {
        guard let base = FileManager.default.contents(atPath: path), !base.isEmpty else {
            printError("lectern: bpe-learn-10k-1mb needs \(path) (run from the course folder)")
            exit(2)
        }
        var text: [UInt8] = []
        text.reserveCapacity(bytes + base.count)
        var shift = 0
        while text.count < bytes {
            for byte in base {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): text.append(UInt8(ascii: "a") + (byte - UInt8(ascii: "a") + UInt8(shift % 26)) % 26)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): text.append(UInt8(ascii: "A") + (byte - UInt8(ascii: "A") + UInt8(shift % 26)) % 26)
                default: text.append(byte)
                }
            }
            shift += 1
        }
        text.removeLast(text.count - bytes)
        while let last = text.last, last != UInt8(ascii: "\n") { text.removeLast() }
        return String(decoding: text, as: UTF8.self)
    }
}
