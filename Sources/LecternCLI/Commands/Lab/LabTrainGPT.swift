// `lectern lab train-gpt --corpus FILE --tokenizer DIR --output DIR`: train a small GPT-2 on a
// text file (or continue one with --from), report training and validation loss and perplexity as
// it goes, and save a model folder — config.json, model.safetensors and the tokenizer's files —
// that `lectern lab generate --text …` and Python's `GPT2LMHeadModel.from_pretrained` load.
//
// The recipe is nanoGPT's, scaled down: the corpus as one token stream (documents separated by
// the tokenizer's <|endoftext|> when it has one), the last 10 % held out; random windows of
// `context + 1` tokens, each predicting its own next tokens (teacher forcing); AdamW with weight
// decay 0.1, a linear warm-up of 5 % of the steps then a cosine decay to a tenth of the rate, and
// gradients clipped to norm 1.
import ArgumentParser
import Foundation
import LecternModels

struct LabTrainGPT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-gpt",
        abstract: "Train (or continue training) a small GPT-2 on a text file and save a model folder.",
        discussion: """
        Tokenizer: a byte-level BPE folder (vocab.json + merges.txt, or tokenizer.json), e.g. from `lectern lab train-tokenizer --type byte-bpe`. Its files are copied into the output folder.

        Corpus: UTF-8 text; blank lines separate documents. The last 10 % of the tokens are held out for validation.

        Output: every --eval-every steps, one line "step N  train L  val L  ppl P" (losses in nats per token, perplexity exp(val)); at the end, the folder --output with config.json, model.safetensors and the tokenizer's files (written atomically per file). --from DIR continues a saved model with its own configuration (the size options are then ignored).
        """
    )

    @Option(help: ArgumentHelp("The training text.", valueName: "file")) var corpus: String
    @Option(help: ArgumentHelp("A byte-level BPE tokenizer folder.", valueName: "dir")) var tokenizer: String
    @Option(help: ArgumentHelp("Where to save the model folder.", valueName: "dir")) var output: String
    @Option(help: ArgumentHelp("Continue training this saved model folder.", valueName: "dir")) var from: String?
    @Option(help: "n_embd, the width of the model.") var nEmbd = 128
    @Option(help: "n_layer, the number of blocks.") var nLayer = 4
    @Option(help: "n_head, heads per block.") var nHead = 4
    @Option(help: "n_positions, the context length trained on.") var context = 64
    @Option(help: "Sequences per step.") var batchSize = 16
    @Option(help: "Optimizer steps.") var steps = 1000
    @Option(help: "Peak learning rate.") var lr: Float = 3e-3
    @Option(help: "Steps between evaluations.") var evalEvery = 100
    @Option(help: "Seed of the initial weights and of the batches.") var seed: UInt64 = 0

    func validate() throws {
        guard nEmbd > 0, nLayer > 0, nHead > 0, nEmbd % nHead == 0 else { throw ValidationError("--n-embd must be a positive multiple of --n-head") }
        guard context >= 2, batchSize >= 1, steps >= 1, evalEvery >= 1, lr > 0 else {
            throw ValidationError("--context ≥ 2, and --batch-size, --steps, --eval-every and --lr must be positive")
        }
    }

    func run() throws {
        do {
            let tokenizerURL = URL(fileURLWithPath: tokenizer)
            let bpe = try TokenizerFile.load(tokenizerURL)
            guard let text = try? String(contentsOfFile: corpus, encoding: .utf8) else {
                throw PretrainedModelError.invalidInput("cannot read \(corpus) as UTF-8 text")
            }
            // One token stream; documents (blank-line separated) end with <|endoftext|> when the tokenizer has it.
            let separator = bpe.id(of: "<|endoftext|>")
            var stream: [Int] = []
            for document in text.components(separatedBy: "\n\n") where !document.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                stream += bpe.encode(document).ids
                if let separator { stream.append(separator) }
            }
            let split = stream.count * 9 / 10
            guard split > context + 1, stream.count - split > context + 1 else {
                throw PretrainedModelError.invalidInput("the corpus has \(stream.count) tokens: too few for --context \(context) (need more than \(10 * (context + 2)))")
            }
            let (train, held) = (Array(stream[..<split]), Array(stream[split...]))

            var rng = SeededGenerator(seed: seed)
            let model: GPT2LMHeadModel
            if let from {
                model = try GPT2LMHeadModel.load(directory: URL(fileURLWithPath: from))
                guard model.config.vocabSize >= bpe.vocabularySize else {
                    throw PretrainedModelError.invalidConfig("\(from) has \(model.config.vocabSize) tokens, the tokenizer \(bpe.vocabularySize)")
                }
            } else {
                var config = GPT2Config(vocabSize: bpe.vocabularySize, nPositions: context, nEmbd: nEmbd, nLayer: nLayer, nHead: nHead,
                                        residPdrop: 0, embdPdrop: 0, attnPdrop: 0)
                config.bosTokenID = separator
                config.eosTokenID = separator
                model = try GPT2LMHeadModel(config: config, using: &rng)
            }
            let window = min(context, model.config.nPositions)
            print("GPT-2 with \(model.parameterCount) parameters; \(train.count) training and \(held.count) validation tokens; context \(window)")
            model.train()
            let optimizer = AdamW(model.parameters(), lr: lr, weightDecay: 0.1)
            let warmup = max(1, steps / 20)
            for step in 1...steps {
                // nanoGPT's schedule: linear warm-up, then a cosine decay to lr / 10.
                let progress = Float(max(0, step - warmup)) / Float(max(1, steps - warmup))
                optimizer.lr = step <= warmup ? lr * Float(step) / Float(warmup) : lr * (0.1 + 0.45 * (1 + cos(.pi * progress)))
                let batch = (0..<batchSize).map { _ -> [Int] in
                    let start = rng.nextInt(below: train.count - window - 1)
                    return Array(train[start..<(start + window)])
                }
                let loss = model(inputIDs: batch, labels: batch).loss!
                model.zeroGrad()
                loss.backward()
                _ = clipGradNorm(model.parameters(), maxNorm: 1)
                optimizer.step()
                if step % evalEvery == 0 || step == steps {
                    let validation = evaluate(model, held, window: window)
                    print("step \(step)  train \(String(format: "%.3f", loss.scalar))  val \(String(format: "%.3f", validation))  ppl \(String(format: "%.1f", exp(validation)))")
                }
            }
            model.eval()
            let out = URL(fileURLWithPath: output)
            try model.savePretrained(to: out)
            // The tokenizer's files sit in --tokenizer itself, or beside the file it names.
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: tokenizerURL.path, isDirectory: &isFolder)
            let tokenizerFolder = isFolder.boolValue ? tokenizerURL : tokenizerURL.deletingLastPathComponent()
            for name in ["vocab.json", "merges.txt", "tokenizer.json"] {
                guard let data = FileManager.default.contents(atPath: tokenizerFolder.appendingPathComponent(name).path) else { continue }
                try data.write(to: out.appendingPathComponent(name), options: .atomic)
            }
            print("saved \(out.path)")
        } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
    }

    /// Mean next-token loss over consecutive windows of the held-out tokens (at most 32 windows).
    private func evaluate(_ model: GPT2LMHeadModel, _ tokens: [Int], window: Int) -> Float {
        model.eval()
        defer { model.train() }
        let starts = Array(stride(from: 0, to: tokens.count - window, by: window).prefix(32))
        let batch = starts.map { Array(tokens[$0..<($0 + window)]) }
        return Tensor.withoutGradients { model(inputIDs: batch, labels: batch).loss!.scalar }
    }
}
