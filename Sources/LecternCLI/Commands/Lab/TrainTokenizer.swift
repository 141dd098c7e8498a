// `lectern lab train-tokenizer --type bpe|byte-bpe|wordpiece --vocab-size N --input CORPUS
// --output DIR`: train one of the module's three tokenizers on a text file and write the files
// its reference tool writes — subword-nmt's merges file and vocabulary for classic BPE (what
// `learn-bpe` and `get-vocab` produce), GPT-2's vocab.json + merges.txt (+ tokenizer.json) for
// byte-level BPE, BERT's vocab.txt (+ tokenizer.json) for WordPiece.
import ArgumentParser
import Foundation
import LecternTokenizers

struct TrainTokenizer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-tokenizer",
        abstract: "Train a BPE, byte-level BPE or WordPiece tokenizer on a text file.",
        discussion: """
        Files written to the output folder:
          bpe        merges.txt (subword-nmt's codes: #version: 0.2, "</w>" marks word ends) and vocab.txt ("token count" per line, as `subword-nmt get-vocab` counts the corpus segmented with the merges, "@@" marking pieces that continue a word)
          byte-bpe   vocab.json, merges.txt and tokenizer.json (GPT-2's files; special token <|endoftext|>)
          wordpiece  vocab.txt and tokenizer.json (BERT's files; [PAD] [UNK] [CLS] [SEP] [MASK] first; merges chosen by the score f(ab)/(f(a)·f(b)))
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case bpe, byteBPE = "byte-bpe", wordpiece
    }

    @Option(help: ArgumentHelp("The tokenizer to train: bpe, byte-bpe or wordpiece.", valueName: "type"))
    var type: Kind

    @Option(help: ArgumentHelp("The vocabulary size to reach, special tokens and the alphabet included.", valueName: "n"))
    var vocabSize: Int

    @Option(help: ArgumentHelp("The training text, UTF-8 (`-` for standard input).", valueName: "corpus"))
    var input: String

    @Option(help: ArgumentHelp("The folder to write the files into (created if needed).", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Never merge a pair seen fewer times than this.", valueName: "count"))
    var minFrequency = 2

    @Flag(help: "WordPiece: keep case and accents (a cased BERT); the default lowercases and strips accents.")
    var cased = false

    func validate() throws {
        guard vocabSize > 0 else { throw ValidationError("--vocab-size must be positive, got \(vocabSize)") }
        guard minFrequency >= 1 else { throw ValidationError("--min-frequency must be at least 1, got \(minFrequency)") }
    }

    func run() throws {
        let text = try LabBPELearn.readText(input)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        let clock = ContinuousClock()
        let start = clock.now
        var written: [String] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            switch type {
            case .wordpiece:
                let trainer = WordPieceTrainer(vocabularySize: vocabSize, minimumFrequency: minFrequency,
                                               normalizer: BertNormalizer(lowercase: !cased))
                let result = trainer.train(texts: TrainTokenizer.lines(of: text))
                try result.tokenizer().save(to: folder)
                written = ["vocab.txt (\(result.tokens.count) tokens, \(result.merges.count) merges)", "tokenizer.json"]
            case .byteBPE:
                let tokenizer = ByteLevelBPETrainer.train(texts: TrainTokenizer.lines(of: text), vocabSize: vocabSize,
                                                          minFrequency: minFrequency, specialTokens: ["<|endoftext|>"])
                try tokenizer.save(to: folder)
                written = ["vocab.json (\(tokenizer.vocabularySize) tokens)", "merges.txt", "tokenizer.json"]
            case .bpe:
                let words = WordFrequencies(countingWordsIn: text)
                let result = BPETrainer.train(words, convention: .subwordNMT, vocabularySize: vocabSize, minimumFrequency: minFrequency)
                try Data(result.merges.fileText.utf8).write(to: folder.appendingPathComponent("merges.txt"))
                let vocabulary = TrainTokenizer.subwordNMTVocabulary(BPESegmenter(merges: result.merges).segment(text: text))
                try Data(vocabulary.utf8).write(to: folder.appendingPathComponent("vocab.txt"))
                written = ["merges.txt (\(result.merges.count) merges)", "vocab.txt"]
            }
        } catch let error as TokenizerError {
            printError("lectern: \(error.description)")
            throw Exit.failed
        } catch {
            printError("lectern: \(output): cannot write: \(error.localizedDescription)")
            throw Exit.failed
        }
        let seconds = (clock.now - start).components
        let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) * 1e-18
        print("\(type.rawValue): wrote \(written.joined(separator: ", ")) to \(folder.path) in \(String(format: "%.2f", elapsed)) s")
    }

    /// The lines of `text` (split at "\n"), the training unit of the HF-style trainers.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// `subword-nmt get-vocab` of segmented text: "token count" lines, most frequent first,
    /// ties in order of first occurrence (Python's stable sort of a Counter); tokens are split
    /// on spaces after stripping "\r", "\n" and spaces from each line's ends.
    static func subwordNMTVocabulary(_ segmented: String) -> String {
        var counts: [[UInt8]: Int] = [:]
        var order: [[UInt8]] = []
        for line in segmented.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var line = line[...]
            let strip: Set<UInt8> = [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " ")]
            while let first = line.first, strip.contains(first) { line.removeFirst() }
            while let last = line.last, strip.contains(last) { line.removeLast() }
            for token in line.split(separator: UInt8(ascii: " ")) {
                let bytes = Array(token)
                if counts[bytes] == nil { order.append(bytes) }
                counts[bytes, default: 0] += 1
            }
        }
        let ranked = order.enumerated().sorted { a, b in
            let (countA, countB) = (counts[a.element]!, counts[b.element]!)
            return countA != countB ? countA > countB : a.offset < b.offset
        }
        return ranked.map { String(decoding: $0.element, as: UTF8.self) + " \(counts[$0.element]!)\n" }.joined()
    }
}
