// `lectern lab bpe learn`: `subword-nmt learn-bpe -s N --min-frequency F` — count the words of
// a corpus (split on spaces and line breaks, as subword-nmt does), learn N merges with "</w>"
// and subword-nmt's tie-break, and write the `#version: 0.2` merges file.
import ArgumentParser
import Foundation
import LecternTokenizers

struct LabBPELearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Learn BPE merges from a text corpus (like `subword-nmt learn-bpe`)."
    )

    @Option(help: ArgumentHelp("The training text, UTF-8 (`-` for standard input).", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("How many merges to learn (subword-nmt's -s).", valueName: "n"))
    var merges: Int

    @Option(help: ArgumentHelp("Stop when no pair occurs this many times.", valueName: "count"))
    var minFrequency = 2

    @Option(help: ArgumentHelp("Where to write the merges (default: standard output).", valueName: "file"))
    var output: String?

    func validate() throws {
        guard merges >= 0 else { throw ValidationError("--merges must be 0 or more, got \(merges)") }
        guard minFrequency >= 1 else { throw ValidationError("--min-frequency must be at least 1, got \(minFrequency)") }
    }

    func run() throws {
        let text = try LabBPELearn.readText(input)
        let words = WordFrequencies(countingWordsIn: text)
        let result = BPETrainer.train(words, convention: .subwordNMT, merges: merges, minimumFrequency: minFrequency)
        let fileText = result.merges.fileText
        if let output {
            do { try Data(fileText.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                printError("lectern: \(output): cannot write: \(error.localizedDescription)")
                throw Exit.failed
            }
        } else {
            FileHandle.standardOutput.write(Data(fileText.utf8))
        }
        let why = switch result.stop {
        case .mergeLimit: "the requested number"
        case .minimumFrequency: "no pair occurs \(minFrequency) times"
        case .noPairs: "every word is a single symbol"
        case .vocabularySize: "the vocabulary is full"
        }
        printError("\(result.merges.count) merges from \(words.count) distinct words (\(words.total) in all); stopped: \(why)")
    }

    /// The UTF-8 text of `path` (or of standard input for "-"), or a clear error.
    static func readText(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard FileManager.default.fileExists(atPath: path) else {
                printError("lectern: \(path): no such file")
                throw Exit.failed
            }
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                printError("lectern: \(path): cannot read: \(error.localizedDescription)")
                throw Exit.failed
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            printError("lectern: \(path == "-" ? "standard input" : path): not UTF-8 text")
            throw Exit.failed
        }
        return text
    }
}
