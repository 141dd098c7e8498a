// `lectern lab forward --model DIR --inputs inputs.json --output out.safetensors`: one forward
// pass of a Hugging Face model directory, with Hugging Face's input and output names, so that
// the library can be checked against Python field by field:
//
//     out = AutoModelForX.from_pretrained(DIR)(**inputs)   →   safetensors.save_file(out, …)
import ArgumentParser
import Foundation
import LecternCore
import LecternModels

struct LabForward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run a Hugging Face model directory on inputs.json; write its outputs under Hugging Face's names.",
        discussion: """
        Model: a folder with config.json and model.safetensors (or model.safetensors.index.json and its shards), or a hub name (ORG/NAME) found in the local Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub; `lectern lab pull ORG/NAME` fills it). The class is the first of config.json's "architectures" (BertModel when there is none and model_type is "bert").

        Inputs: a JSON object of lists of lists of integers, named as the model's forward() arguments: {"input_ids": [[101, 7592, 102]], "attention_mask": [[1, 1, 1]], "token_type_ids": [[0, 0, 0]]}.

        Output: a safetensors file (F32) holding every output field under its Hugging Face name — BertModel: last_hidden_state, pooler_output; BertForPreTraining: also prediction_logits, seq_relationship_logits; BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification: logits; BertForQuestionAnswering: start_logits, end_logits. The file is written atomically. Standard output gets one line per field, "name [shape]" (or, with --json, one JSON object {"architecture": …, "outputs": {name: shape}}).

        Errors (no such model, a config or weights that do not match, malformed inputs) go to standard error, with exit status 1.
        """
    )

    @Option(help: ArgumentHelp("A model folder, or ORG/NAME in the Hugging Face cache.", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("The inputs: a JSON object such as {\"input_ids\": [[101, 102]]}.", valueName: "file"))
    var inputs: String

    @Option(help: ArgumentHelp("Where to write the outputs (.safetensors).", valueName: "file"))
    var output: String

    @Flag(help: "Print a JSON summary instead of one line per field.")
    var json = false

    func run() throws {
        do {
            guard let data = FileManager.default.contents(atPath: inputs) else {
                throw PretrainedModelError.invalidInput("cannot read \(inputs)")
            }
            let parsed = try ModelInputs(json: data)
            let directory = try ModelFolder.resolve(model)
            let loaded = try AutoModel.load(directory: directory)
            let outputs = try loaded.forward(parsed)
            var tensors: [String: Tensor] = [:]
            for (name, tensor) in outputs { tensors[name] = tensor }
            try Safetensors.write(tensors, metadata: ["format": "pt", "architecture": type(of: loaded).architecture],
                                  to: URL(fileURLWithPath: output))
            if json {
                let fields = outputs.map { "\(Bench.jsonString($0.name)): \(Tokenize.list($0.tensor.shape))" }.joined(separator: ", ")
                print("{\"architecture\": \(Bench.jsonString(type(of: loaded).architecture)), \"outputs\": {\(fields)}}")
            } else {
                for (name, tensor) in outputs { print(name, Tokenize.list(tensor.shape)) }
            }
        } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
    }
}
