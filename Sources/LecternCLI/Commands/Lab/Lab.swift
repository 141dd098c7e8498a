// `lectern lab …`: tools for the library's developers and curious students — benchmarks, the
// tokenizer playground, parameter counts, and other experiments that are not part of a lesson.
import ArgumentParser

struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools: benchmarks against NumPy and PyTorch, tokenizers, Hugging Face models (forward, embed, pull), parameter counts.",
        subcommands: [Bench.self, LabBPE.self, LabEmbed.self, LabForward.self, LabGenerate.self, Params.self, LabPull.self, Tokenize.self, LabTrainGPT.self, TrainTokenizer.self]
    )
}
