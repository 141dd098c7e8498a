// `lectern lab …`: tools for the library's developers and curious students — benchmarks now,
// and later the tokenizer playground and other experiments that are not part of a lesson.
import ArgumentParser

struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools: benchmarks against NumPy and PyTorch, and other experiments.",
        subcommands: [Bench.self, LabBPE.self, Tokenize.self, TrainTokenizer.self]
    )
}
