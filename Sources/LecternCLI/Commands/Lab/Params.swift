// `lectern lab params [NAME | --config FILE] [overrides…] [--without-embeddings] [--json]`: how
// many parameters a Transformer has, and where they are. The count is the library's own: the
// command builds the model (LecternModels' `TransformerSeq2SeqModel`, or LecternNN's `Transformer`
// with --without-embeddings) and groups `namedParameters()` by name; no formula is repeated here,
// so the figures are exactly what a lesson's `model.parameterCount` prints. The formula line
// under the table is text for a student to check the per-layer column by hand.
//
// The library stops the process (fatalError) on an invalid configuration, so the command checks
// the configuration first, with the library's own conditions, and reports a clear error instead.
import ArgumentParser
import Foundation
import LecternModels

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count the parameters of a Transformer configuration, part by part.",
        // One line per paragraph: ArgumentParser wraps them to the terminal itself.
        discussion: """
        Configurations: \(Params.named.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). Or --config FILE: a TransformerSeq2SeqConfig JSON, one flat object with torch's and Hugging Face's keys (vocab_size, d_model, nhead, dim_feedforward, num_encoder_layers, num_decoder_layers, norm_first, bias, position_embedding_type, max_position_embeddings, tie_word_embeddings, bos_token_id, eos_token_id, …; missing keys take the defaults; with --without-embeddings only nn.Transformer's keys are read). The options --d-model … --pre-ln override the configuration's fields; --layers sets both stacks, --encoder-layers and --decoder-layers override it.

        Counting: the command builds the library's model — TransformerSeq2SeqModel (shared token embedding, positions, nn.Transformer, output projection), or with --without-embeddings nn.Transformer alone (LecternNN's Transformer: both stacks and their final LayerNorms) — and adds up its parameters by name; a shared parameter counts once, so a tied output projection, which is the embedding matrix itself, counts 0. The base model takes a few hundred MB and a few seconds to build (more in a debug build).

        Text output (stable): a line describing the configuration; a table with one row per part: token embedding, positions, encoder self-attention, encoder feed-forward, encoder layer norms, decoder self-attention, decoder cross-attention, decoder feed-forward, decoder layer norms, final layer norms (encoder.norm and decoder.norm), output projection (--without-embeddings: the encoder and decoder rows and final layer norms only). Columns: part, parameters per layer and number of layers (layer rows), parameters, and a note; numbers have thousands separators (,). Then the total, rounded in a note (63.1 M, 168.6 K), and one line with the formulas of one layer's pieces: attention 4·(d²+d), feed-forward 2·d·d_ff + d_ff + d, LayerNorm 2·d (with bias: false, 4·d², 2·d·d_ff and d).

        JSON output (--json): exactly one JSON object on standard output: {"config": {...}, "parts": [{"name": "...", "parameters": N}, ...], "total": N}. "config" is the configuration counted, as TransformerSeq2SeqConfig writes it (keys sorted; with --without-embeddings, nn.Transformer's keys only); "parts" are the table's rows in order, named as in its first column; the parts add up to "total".

        Errors go to standard error: an unknown configuration name (the known names are listed), a configuration that cannot be built (heads not dividing d_model, sizes not positive, …) or conflicting options exit with status 2; a --config file that cannot be read or is not a configuration exits with status 1.
        """
    )

    @Argument(help: ArgumentHelp("A named configuration: \(Params.named.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("A TransformerSeq2SeqConfig JSON file to count instead of a named configuration.", valueName: "file"))
    var configFile: String?

    @Option(help: ArgumentHelp("d_model, the width of every token vector.", valueName: "d"))
    var dModel: Int?

    @Option(help: ArgumentHelp("nhead, the number of attention heads (must divide d_model).", valueName: "h"))
    var heads: Int?

    @Option(help: ArgumentHelp("dim_feedforward, the hidden size d_ff of the feed-forward blocks.", valueName: "d_ff"))
    var ff: Int?

    @Option(help: ArgumentHelp("The number of layers of both stacks.", valueName: "n"))
    var layers: Int?

    @Option(help: ArgumentHelp("num_encoder_layers (overrides --layers).", valueName: "n"))
    var encoderLayers: Int?

    @Option(help: ArgumentHelp("num_decoder_layers (overrides --layers).", valueName: "n"))
    var decoderLayers: Int?

    @Option(help: ArgumentHelp("vocab_size, the shared source and target vocabulary.", valueName: "v"))
    var vocab: Int?

    @Flag(help: "An untied output projection (lm_head, V × d_model) instead of the embedding matrix.")
    var noTie = false

    @Flag(help: "Learned positions (a max_position_embeddings × d_model table) instead of sinusoids.")
    var learnedPositions = false

    @Option(help: ArgumentHelp("max_position_embeddings, the rows of the learned position table.", valueName: "n"))
    var maxPositions: Int?

    @Flag(help: "Pre-LN layers (norm_first); the count is the same as post-LN.")
    var preLn = false

    @Flag(help: "Count nn.Transformer alone: no embedding, positions or output projection.")
    var withoutEmbeddings = false

    @Flag(help: "Print one JSON object: the configuration, the parts and the total.")
    var json = false

    func run() throws {
        let (label, config) = try resolve()
        if let problem = Params.problem(with: config, withoutEmbeddings: withoutEmbeddings) {
            printError("lectern: \(label): \(problem)")
            throw Exit.usage
        }

        var generator = SeededGenerator(seed: 0)   // the values do not matter, only the shapes
        let named: NamedParameters
        let total: Int
        if withoutEmbeddings {
            let model = Transformer(config.transformer, using: &generator)
            (named, total) = (model.namedParameters(), model.parameterCount)
        } else {
            let model = TransformerSeq2SeqModel(config, using: &generator)
            (named, total) = (model.namedParameters(), model.parameterCount)
        }
        let parts = Params.parts(of: named, config: config, withoutEmbeddings: withoutEmbeddings)

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let configJSON = withoutEmbeddings ? try encoder.encode(config.transformer) : try encoder.encode(config)
            var text = "{\n  \"config\": \(String(decoding: configJSON, as: UTF8.self)),\n  \"parts\": ["
            for (index, part) in parts.enumerated() {
                text += (index == 0 ? "\n" : ",\n") + "    {\"name\": \(Bench.jsonString(part.name)), \"parameters\": \(part.parameters)}"
            }
            print(text + "\n  ],\n  \"total\": \(total)\n}")
        } else {
            print(Params.table(label: label, config: config, parts: parts, total: total, withoutEmbeddings: withoutEmbeddings))
        }
    }

    /// The configuration to count and a label for messages and the header: the named
    /// configuration or the --config file, with the override options applied.
    func resolve() throws -> (label: String, config: TransformerSeq2SeqConfig) {
        let label: String
        var config: TransformerSeq2SeqConfig
        switch (name, configFile) {
        case (nil, nil):
            printError("lectern: name a configuration (\(Params.knownNames)) or give --config FILE")
            throw Exit.usage
        case (.some, .some):
            printError("lectern: give a configuration name or --config FILE, not both")
            throw Exit.usage
        case let (name?, nil):
            guard let found = Params.named.first(where: { $0.name == name }) else {
                printError("lectern: unknown configuration \"\(name)\"; known configurations: \(Params.knownNames)")
                throw Exit.usage
            }
            (label, config) = (name, found.config)
        case let (nil, path?):
            (label, config) = (path, try Params.load(path, stackOnly: withoutEmbeddings))
        }

        let embeddingOptions = [("--vocab", vocab != nil), ("--no-tie", noTie), ("--learned-positions", learnedPositions),
                                ("--max-positions", maxPositions != nil)].filter(\.1).map(\.0)
        if withoutEmbeddings, !embeddingOptions.isEmpty {
            printError("lectern: \(embeddingOptions.joined(separator: ", ")) describe the embeddings, which --without-embeddings leaves out")
            throw Exit.usage
        }
        if let dModel { config.dModel = dModel }
        if let heads { config.nhead = heads }
        if let ff { config.dimFeedforward = ff }
        if let layers { (config.numEncoderLayers, config.numDecoderLayers) = (layers, layers) }
        if let encoderLayers { config.numEncoderLayers = encoderLayers }
        if let decoderLayers { config.numDecoderLayers = decoderLayers }
        if let vocab { config.vocabSize = vocab }
        if noTie { config.tieWordEmbeddings = false }
        if learnedPositions { config.positionEmbeddingType = .learned }
        if let maxPositions { config.maxPositionEmbeddings = maxPositions }
        if preLn { config.normFirst = true }
        return (label, config)
    }

    /// A configuration with a name.
    struct Named {
        /// What the user types: `transformer-base`.
        let name: String
        /// One line for --help.
        let summary: String
        /// The configuration.
        let config: TransformerSeq2SeqConfig
    }

    /// The named configurations, in --help order. Special ids 0, 1, 2 (pad, bos, eos), as the
    /// course's vocabularies number them.
    static var named: [Named] {
        func stack(_ d: Int, _ heads: Int, _ ff: Int, _ layers: Int, dropout: Float, normFirst: Bool = false) -> TransformerConfig {
            TransformerConfig(layer: TransformerLayerConfig(dModel: d, nhead: heads, dimFeedforward: ff, dropout: dropout,
                                                            normFirst: normFirst),
                              numEncoderLayers: layers, numDecoderLayers: layers)
        }
        return [
            Named(name: "transformer-base",
                  summary: "Vaswani et al. 2017 base: d_model 512, 8 heads, d_ff 2048, 6 + 6 layers, shared vocabulary 37000, tied embeddings",
                  config: TransformerSeq2SeqConfig(vocabSize: 37_000, transformer: stack(512, 8, 2048, 6, dropout: 0.1),
                                                   padID: 0, bosID: 1, eosID: 2)),
            Named(name: "transformer-big",
                  summary: "the paper's big model: d_model 1024, 16 heads, d_ff 4096, 6 + 6 layers, vocabulary 37000, tied",
                  config: TransformerSeq2SeqConfig(vocabSize: 37_000, transformer: stack(1024, 16, 4096, 6, dropout: 0.3),
                                                   padID: 0, bosID: 1, eosID: 2)),
            Named(name: "lesson3",
                  summary: "Lesson 3's model: vocabulary 14, d_model 64, 8 heads, d_ff 128, 2 + 2 pre-LN layers, sinusoidal positions, tied",
                  config: TransformerSeq2SeqConfig(vocabSize: 14, transformer: stack(64, 8, 128, 2, dropout: 0, normFirst: true),
                                                   maxPositionEmbeddings: 32, padID: 0, bosID: 1, eosID: 2)),
        ]
    }

    /// "transformer-base, transformer-big, lesson3".
    static var knownNames: String { named.map(\.name).joined(separator: ", ") }

    /// The configuration in the JSON file at `path`. With `stackOnly` only nn.Transformer's keys
    /// are read (the token side is not needed), so a file without `vocab_size` will do; the rest
    /// of the result is then a placeholder.
    static func load(_ path: String, stackOnly: Bool) throws -> TransformerSeq2SeqConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("lectern: \(path): " + (FileManager.default.fileExists(atPath: path) ? "cannot read" : "no such file"))
            throw Exit.failed
        }
        do {
            if stackOnly {
                let stack = try JSONDecoder().decode(TransformerConfig.self, from: data)
                return TransformerSeq2SeqConfig(vocabSize: 3, transformer: stack, padID: 0, bosID: 1, eosID: 2)
            }
            return try JSONDecoder().decode(TransformerSeq2SeqConfig.self, from: data)
        } catch let error as DecodingError {
            printError("lectern: \(path): not a TransformerSeq2SeqConfig: \(describe(error))")
            throw Exit.failed
        } catch let error as any CustomStringConvertible {
            printError("lectern: \(path): not a TransformerSeq2SeqConfig: \(error.description)")   // an unknown activation
            throw Exit.failed
        } catch {
            printError("lectern: \(path): not a TransformerSeq2SeqConfig: \(error.localizedDescription)")
            throw Exit.failed
        }
    }

    /// A decoding error in a sentence: which key, and what was wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : "\"\(keys)\": "
        }
        switch error {
        case let .keyNotFound(key, _): return "missing key \"\(key.stringValue)\""
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return path(context) + context.debugDescription
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return path(context) + (underlying ?? context.debugDescription)
        @unknown default: return "\(error)"
        }
    }

    /// Why the command will not build `config`, or nil: the library's own reasons
    /// (`invalidReason`, asked before building, since building an invalid config stops the
    /// process), and a size guard against typos that would exhaust memory.
    static func problem(with config: TransformerSeq2SeqConfig, withoutEmbeddings: Bool) -> String? {
        if let reason = withoutEmbeddings ? config.transformer.invalidReason : config.invalidReason { return reason }
        let layer = config.transformer.layer
        var matrices = [("d_model × d_model (an attention projection)", layer.dModel, layer.dModel),
                        ("dim_feedforward × d_model (linear1)", layer.dimFeedforward, layer.dModel)]
        if !withoutEmbeddings {
            matrices += [("vocab_size × d_model (embedding)", config.vocabSize, layer.dModel),
                         ("max_position_embeddings × d_model (positions)", config.maxPositionEmbeddings, layer.dModel)]
        }
        // Not a count: a guard against a typo that would exhaust memory while building.
        for (what, rows, columns) in matrices {
            let (size, overflow) = rows.multipliedReportingOverflow(by: columns)
            if overflow || size > maxMatrixScalars {
                return "\(what) = \(group(rows)) × \(group(columns)) scalars is too large to build (at most \(group(maxMatrixScalars)) per matrix)"
            }
        }
        return nil
    }

    /// The largest matrix ``problem(with:withoutEmbeddings:)`` lets the command build: 2³¹
    /// scalars, 8 GiB of Float.
    static let maxMatrixScalars = 1 << 31

    /// One row of the table: a part of the model, its parameters, and for layer rows the
    /// parameters of one layer and the number of layers.
    struct Part {
        /// The row's name, also its JSON name: "encoder self-attention".
        let name: String
        /// All its parameters.
        var parameters = 0
        /// Parameters per layer index, for the rows that are per layer.
        var perLayer: [Int: Int] = [:]
        /// The number of layers of its stack (nil: not a per-layer row).
        var layers: Int?
        /// A remark shown after the figures ("tied: shares the embedding").
        var note = ""
    }

    /// The model's parameters grouped into the table's rows, by their torch names
    /// (`transformer.encoder.layers.0.self_attn.in_proj_weight`, …). A name the grouping does not
    /// know (a library change) gets a row of its own, so the parts always add up to the total.
    static func parts(of named: NamedParameters, config: TransformerSeq2SeqConfig, withoutEmbeddings: Bool) -> [Part] {
        let (encoderLayers, decoderLayers) = (config.numEncoderLayers, config.numDecoderLayers)
        var rows: [Part] = []
        if !withoutEmbeddings {
            rows.append(Part(name: "token embedding", note: "\(group(config.vocabSize)) × \(config.dModel), shared by source and target"))
            rows.append(Part(name: "positions", note: config.positionEmbeddingType == .learned
                ? "learned, \(group(config.maxPositionEmbeddings)) × \(config.dModel)" : "sinusoidal: computed, not learned"))
        }
        rows += [Part(name: "encoder self-attention", layers: encoderLayers),
                 Part(name: "encoder feed-forward", layers: encoderLayers),
                 Part(name: "encoder layer norms", layers: encoderLayers, note: "norm1, norm2"),
                 Part(name: "decoder self-attention", layers: decoderLayers, note: "masked"),
                 Part(name: "decoder cross-attention", layers: decoderLayers, note: "queries: decoder; keys, values: encoder output"),
                 Part(name: "decoder feed-forward", layers: decoderLayers),
                 Part(name: "decoder layer norms", layers: decoderLayers, note: "norm1, norm2, norm3"),
                 Part(name: "final layer norms", note: "encoder.norm, decoder.norm")]
        if !withoutEmbeddings {
            rows.append(Part(name: "output projection", note: config.tieWordEmbeddings
                ? "tied: shares the embedding" : "lm_head, \(group(config.vocabSize)) × \(config.dModel)"))
        }

        for (fullName, parameter) in named {
            let name = fullName.hasPrefix("transformer.") ? String(fullName.dropFirst("transformer.".count)) : fullName
            let fields = name.split(separator: ".").map(String.init)
            var row: String
            var layer: Int?
            if fields.count >= 4, ["encoder", "decoder"].contains(fields[0]), fields[1] == "layers", let index = Int(fields[2]) {
                layer = index
                switch fields[3] {
                case "self_attn": row = "\(fields[0]) self-attention"
                case "multihead_attn": row = "\(fields[0]) cross-attention"
                case "linear1", "linear2": row = "\(fields[0]) feed-forward"
                case let field where field.hasPrefix("norm"): row = "\(fields[0]) layer norms"
                default: row = "other: \(fields[0]) \(fields[3])"
                }
            } else if fields.count >= 2, ["encoder", "decoder"].contains(fields[0]), fields[1] == "norm" {
                row = "final layer norms"
            } else {
                switch fields[0] {
                case "embedding": row = "token embedding"
                case "positions": row = "positions"
                case "lm_head": row = "output projection"
                default: row = "other: \(fields.dropLast().joined(separator: "."))"
                }
            }
            if !rows.contains(where: { $0.name == row }) { rows.append(Part(name: row)) }
            let index = rows.firstIndex { $0.name == row }!
            rows[index].parameters += parameter.count
            if let layer { rows[index].perLayer[layer, default: 0] += parameter.count }
        }
        return rows
    }

    /// The text output: the configuration, the table, the total and the formulas.
    static func table(label: String, config: TransformerSeq2SeqConfig, parts: [Part], total: Int, withoutEmbeddings: Bool) -> String {
        let d = config.dModel
        var header = "\(label): " + (withoutEmbeddings ? "nn.Transformer" : "TransformerSeq2SeqModel")
        header += ", d_model \(d), \(config.nhead) heads of \(config.nhead > 0 ? d / config.nhead : 0), d_ff \(config.dimFeedforward)"
        header += ", \(config.numEncoderLayers) encoder + \(config.numDecoderLayers) decoder layers, "
        header += config.normFirst ? "pre-LN" : "post-LN"
        if !config.bias { header += ", no biases" }
        if !withoutEmbeddings {
            header += "; vocabulary \(group(config.vocabSize)), \(config.positionEmbeddingType.rawValue) positions, "
            header += config.tieWordEmbeddings ? "tied output projection" : "untied output projection"
        }

        // Per layer: the count of one layer, when every layer of the stack has the same.
        func perLayer(_ part: Part) -> String {
            guard let layers = part.layers, layers > 0 else { return "" }
            let counts = Set(part.perLayer.values)
            return counts.count == 1 && part.perLayer.count == layers ? group(counts.first!) : "—"
        }
        let nameWidth = max("part".count, "total".count, parts.map(\.name.count).max() ?? 0)
        let cells = parts.map { part in
            (part.name, perLayer(part), part.layers.map(String.init) ?? "", group(part.parameters), part.note)
        }
        let perWidth = max("per layer".count, cells.map(\.1.count).max() ?? 0)
        let totalText = group(total)
        let countWidth = max("parameters".count, totalText.count, cells.map(\.3.count).max() ?? 0)
        func line(_ name: String, _ per: String, _ layers: String, _ count: String, _ note: String) -> String {
            let text = Bench.pad(name, nameWidth) + "  " + Bench.pad(per, perWidth, left: true) + "  "
                + Bench.pad(layers, "layers".count, left: true) + "  " + Bench.pad(count, countWidth, left: true)
            return note.isEmpty ? text : text + "  " + note
        }

        var lines = [header, "", line("part", "per layer", "layers", "parameters", "")]
        lines += cells.map { line($0.0, $0.1, $0.2, $0.3, $0.4) }
        let rounded = total >= 1_000_000 ? String(format: "%.1f M", Double(total) / 1e6)
            : total >= 1_000 ? String(format: "%.1f K", Double(total) / 1e3) : ""
        lines.append(line("total", "", "", totalText, rounded))
        lines.append("")
        let formulas = config.bias
            ? "attention 4·(d²+d), feed-forward 2·d·d_ff + d_ff + d, LayerNorm 2·d"
            : "attention 4·d², feed-forward 2·d·d_ff, LayerNorm d (no biases)"
        lines.append("per layer: \(formulas), with d = \(d), d_ff = \(config.dimFeedforward); "
                     + "an encoder layer has 1 attention, 1 feed-forward and 2 LayerNorms, a decoder layer 2, 1 and 3")
        return lines.joined(separator: "\n")
    }

    /// `n` with thousands separators, whatever the locale: 63,084,544.
    static func group(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index).isMultiple(of: 3) { result += "," }
            result.append(digit)
        }
        return (n < 0 ? "-" : "") + result
    }
}
