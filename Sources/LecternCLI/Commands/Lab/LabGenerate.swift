// `lectern lab generate --model DIR --input-ids 1,2,3 --max-new-tokens N [--json]`: Hugging
// Face's `model.generate(input_ids, max_new_tokens=N)` for a causal language model (GPT-2),
// greedy, printing `sequences` (prompt included). Several prompts are one left-padded batch,
// as generate() expects for decoder-only models.
import ArgumentParser
import Foundation
import LecternModels

struct LabGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue prompts with a causal language model (GPT-2), greedily, as Hugging Face's generate().",
        discussion: """
        Model: a folder with config.json and model.safetensors whose architecture is GPT2LMHeadModel, or a hub name (ORG/NAME) in the local Hugging Face cache (`lectern lab pull openai-community/gpt2`).

        Prompts: --input-ids with comma-separated token ids (repeat the option for a batch), or --text with the model's tokenizer (tokenizer.json, or vocab.json + merges.txt, in the model folder). A batch of prompts of different lengths is padded on the left with --pad-token-id, and the attention mask and position ids skip the padding, as generate() does.

        Decoding: greedy (the argmax at each step), at most --max-new-tokens tokens; a row that produces --eos-token-id (default: the config's eos_token_id) is filled with --pad-token-id (default: the EOS id) until every row has ended.

        Output (stable): one line per prompt, the whole sequence's ids (prompt, including its left padding, then the new tokens) separated by spaces; with --text, the decoded new text on a second line. With --json: one JSON object {"sequences": [[…], …]} (and "texts": […] with --text).
        """
    )

    @Option(help: ArgumentHelp("A model folder, or ORG/NAME in the Hugging Face cache.", valueName: "dir"))
    var model: String

    @Option(name: .customLong("input-ids"), help: ArgumentHelp("A prompt's token ids, comma-separated; repeat for a batch.", valueName: "ids"))
    var inputIDs: [String] = []

    @Option(help: ArgumentHelp("A prompt as text, encoded with the model's tokenizer; repeat for a batch.", valueName: "text"))
    var text: [String] = []

    @Option(help: "The most tokens to add to each prompt.")
    var maxNewTokens = 20

    @Option(help: "The token that ends a sequence (default: the config's eos_token_id).")
    var eosTokenID: Int?

    @Option(help: "The token that pads prompts and ended rows (default: the EOS id).")
    var padTokenID: Int?

    @Flag(help: "Print one JSON object instead of lines.")
    var json = false

    func validate() throws {
        guard inputIDs.isEmpty != text.isEmpty else { throw ValidationError("give prompts with --input-ids or with --text (not both)") }
        guard maxNewTokens >= 0 else { throw ValidationError("--max-new-tokens must be 0 or more") }
    }

    func run() throws {
        do {
            let directory = try ModelFolder.resolve(model)
            guard let lm = try AutoModel.load(directory: directory) as? GPT2LMHeadModel else {
                throw PretrainedModelError.invalidConfig("lab generate runs causal language models (GPT2LMHeadModel); \(directory.path) holds another architecture")
            }
            var tokenizer: (any Tokenizer)?
            var prompts: [[Int]] = []
            if text.isEmpty {
                for (n, list) in inputIDs.enumerated() {
                    let ids = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard !ids.isEmpty, ids.allSatisfy({ $0 != nil && (0..<lm.config.vocabSize).contains($0!) }) else {
                        throw PretrainedModelError.invalidInput("--input-ids #\(n + 1) \"\(list)\" must be comma-separated ids in 0..<\(lm.config.vocabSize)")
                    }
                    prompts.append(ids.map { $0! })
                }
            } else {
                do { tokenizer = try TokenizerFile.load(directory) } catch {
                    throw PretrainedModelError.missingFile(directory.path, "--text needs the model's tokenizer (tokenizer.json, or vocab.json + merges.txt): \(error)")
                }
                prompts = text.map { tokenizer!.encode($0).ids }
                guard prompts.allSatisfy({ !$0.isEmpty }) else { throw PretrainedModelError.invalidInput("a --text prompt encodes to no tokens") }
            }
            let longest = prompts.map(\.count).max() ?? 0
            guard longest + maxNewTokens <= lm.config.nPositions else {
                throw PretrainedModelError.invalidInput("\(longest) prompt tokens + \(maxNewTokens) new ones exceed the model's \(lm.config.nPositions) positions (n_positions)")
            }
            let eos = eosTokenID ?? lm.config.eosTokenID
            let pad = padTokenID ?? eos ?? 0
            let padded = prompts.map { Array(repeating: pad, count: longest - $0.count) + $0 }          // left padding
            let mask = prompts.map { Array(repeating: 0, count: longest - $0.count) + Array(repeating: 1, count: $0.count) }
            let sequences = lm.generate(inputIDs: padded, attentionMask: mask, maxNewTokens: maxNewTokens, eosTokenID: eos, padTokenID: pad)
            let texts = tokenizer.map { t in sequences.map { t.decode(Array($0.dropFirst(longest))) } }
            if json {
                var object = "{\"sequences\": [" + sequences.map(Tokenize.list).joined(separator: ", ") + "]"
                if let texts { object += ", \"texts\": [" + texts.map(Bench.jsonString).joined(separator: ", ") + "]" }
                print(object + "}")
            } else {
                for (i, sequence) in sequences.enumerated() {
                    print(sequence.map(String.init).joined(separator: " "))
                    if let texts { print(texts[i]) }
                }
            }
        } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
    }
}
