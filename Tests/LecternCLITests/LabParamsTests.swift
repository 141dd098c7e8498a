// `lectern lab params` end to end: the counts of the library's Transformer against the count
// worked out by hand from the paper (Vaswani et al. 2017 §3), and against PyTorch's
// `sum(p.numel() for p in nn.Transformer().parameters())` = 44,140,544; the JSON document; the
// override options; and clean errors for configurations the library would refuse.
import Foundation
import XCTest

final class LabParamsTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-params-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func params(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), ["lab", "params"] + arguments, environment: ["NO_COLOR": "1"])
    }

    /// The parsed --json document: its config, its parts in order, its total.
    func document(_ arguments: [String]) throws -> (config: [String: Any], parts: [(name: String, parameters: Int)], total: Int) {
        let result = try params(arguments + ["--json"])
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], result.out)
        let config = try XCTUnwrap(object["config"] as? [String: Any])
        let parts = try XCTUnwrap(object["parts"] as? [[String: Any]]).map { part in
            (name: try XCTUnwrap(part["name"] as? String), parameters: try XCTUnwrap(part["parameters"] as? Int))
        }
        let total = try XCTUnwrap(object["total"] as? Int)
        XCTAssertEqual(parts.map(\.parameters).reduce(0, +), total, "the parts of \(arguments) do not add up to the total")
        return (config, parts, total)
    }

    /// The count by hand, from the paper, independently of the library. One attention block is
    /// W^Q, W^K, W^V, W^O (d × d each) with their biases: 4·(d² + d). The feed-forward block is
    /// d → d_ff → d with biases: 2·d·d_ff + d_ff + d. A LayerNorm has a gain and a bias: 2·d.
    /// An encoder layer: self-attention, FFN, 2 LayerNorms; a decoder layer: self-attention,
    /// cross-attention, FFN, 3 LayerNorms; nn.Transformer adds a final LayerNorm to each stack.
    /// Around it: one shared V × d embedding, used again as the output projection when tied (an
    /// untied one is another V × d, without bias), and a P × d table for learned positions.
    static func analytic(d: Int, ff: Int, encoderLayers: Int, decoderLayers: Int, vocab: Int? = nil,
                         tied: Bool = true, learnedPositions: Int = 0) -> Int {
        let attention = 4 * (d * d + d)
        let feedForward = 2 * d * ff + ff + d
        let layerNorm = 2 * d
        let encoderLayer = attention + feedForward + 2 * layerNorm
        let decoderLayer = 2 * attention + feedForward + 3 * layerNorm
        var total = encoderLayers * encoderLayer + decoderLayers * decoderLayer + 2 * layerNorm
        if let vocab { total += vocab * d * (tied ? 1 : 2) + learnedPositions * d }
        return total
    }

    /// Lesson 3's model: vocabulary 14, d 64, d_ff 128, 2 + 2 layers.
    static let lesson3 = analytic(d: 64, ff: 128, encoderLayers: 2, decoderLayers: 2, vocab: 14)

    /// The one test that builds the base model (a few seconds in a debug build).
    func testBaseModelMatchesTheCountByHandAndPyTorch() throws {
        let base = try document(["transformer-base"])
        let expected = Self.analytic(d: 512, ff: 2048, encoderLayers: 6, decoderLayers: 6, vocab: 37_000)
        XCTAssertEqual(expected, 63_084_544)
        XCTAssertEqual(base.total, expected)
        XCTAssertEqual(base.parts.first?.name, "token embedding")
        XCTAssertEqual(base.parts.first?.parameters, 37_000 * 512)
        XCTAssertEqual(base.parts.last?.name, "output projection")
        XCTAssertEqual(base.parts.last?.parameters, 0, "tied: the projection is the embedding matrix")
        XCTAssertEqual(base.config["d_model"] as? Int, 512)
        XCTAssertEqual(base.config["nhead"] as? Int, 8)
        XCTAssertEqual(base.config["vocab_size"] as? Int, 37_000)
        XCTAssertEqual(base.config["tie_word_embeddings"] as? Bool, true)

        // nn.Transformer alone: PyTorch's own count of `nn.Transformer()`.
        let stack = try document(["transformer-base", "--without-embeddings"])
        XCTAssertEqual(stack.total, 44_140_544)
        XCTAssertEqual(stack.total, Self.analytic(d: 512, ff: 2048, encoderLayers: 6, decoderLayers: 6))
        XCTAssertEqual(stack.parts.map(\.name), ["encoder self-attention", "encoder feed-forward", "encoder layer norms",
                                                 "decoder self-attention", "decoder cross-attention", "decoder feed-forward",
                                                 "decoder layer norms", "final layer norms"])
        XCTAssertNil(stack.config["vocab_size"], "nn.Transformer's config has no vocabulary")
        XCTAssertEqual(base.total - stack.total, 37_000 * 512)
    }

    func testTextTable() throws {
        let result = try params(["lesson3"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "", "nothing on standard error")
        XCTAssertEqual(Self.lesson3, 168_576)
        let lines = result.out.split(separator: "\n").map(String.init)
        func row(_ name: String) throws -> [String] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(name + " ") }, "no row \(name) in\n\(result.out)")
            return line.dropFirst(name.count).split(separator: " ").map(String.init)
        }
        XCTAssertEqual(Array(try row("token embedding").prefix(1)), ["896"])
        XCTAssertEqual(Array(try row("encoder self-attention").prefix(3)), ["16,640", "2", "33,280"])   // 4·(64² + 64)
        XCTAssertEqual(Array(try row("encoder feed-forward").prefix(3)), ["16,576", "2", "33,152"])     // 2·64·128 + 128 + 64
        XCTAssertEqual(Array(try row("decoder layer norms").prefix(3)), ["384", "2", "768"])           // 3 · 2·64
        XCTAssertEqual(Array(try row("decoder cross-attention").prefix(3)), ["16,640", "2", "33,280"])
        XCTAssertEqual(Array(try row("final layer norms").prefix(1)), ["256"])
        XCTAssertTrue(try row("output projection").joined(separator: " ").hasPrefix("0 tied"), result.out)
        XCTAssertEqual(Array(try row("total").prefix(1)), ["168,576"])
        XCTAssertTrue(result.out.contains("4·(d²+d)") && result.out.contains("2·d·d_ff + d_ff + d"), result.out)
    }

    func testOverridesChangeTheCountAsTheFormulaSays() throws {
        XCTAssertEqual(try document(["lesson3"]).total, Self.lesson3)
        let cases: [([String], Int)] = [
            (["--d-model", "128", "--heads", "8"], Self.analytic(d: 128, ff: 128, encoderLayers: 2, decoderLayers: 2, vocab: 14)),
            (["--ff", "256"], Self.analytic(d: 64, ff: 256, encoderLayers: 2, decoderLayers: 2, vocab: 14)),
            (["--layers", "3"], Self.analytic(d: 64, ff: 128, encoderLayers: 3, decoderLayers: 3, vocab: 14)),
            (["--layers", "3", "--encoder-layers", "1"], Self.analytic(d: 64, ff: 128, encoderLayers: 1, decoderLayers: 3, vocab: 14)),
            (["--encoder-layers", "0", "--decoder-layers", "4"], Self.analytic(d: 64, ff: 128, encoderLayers: 0, decoderLayers: 4, vocab: 14)),
            (["--vocab", "1000"], Self.analytic(d: 64, ff: 128, encoderLayers: 2, decoderLayers: 2, vocab: 1000)),
            (["--no-tie"], Self.lesson3 + 14 * 64),
            (["--learned-positions", "--max-positions", "100"], Self.lesson3 + 100 * 64),
            (["--max-positions", "100"], Self.lesson3),        // sinusoids: no parameters, however many
            (["--pre-ln"], Self.lesson3),                      // the same LayerNorms, elsewhere
        ]
        for (options, expected) in cases {
            XCTAssertEqual(try document(["lesson3"] + options).total, expected, "lesson3 \(options.joined(separator: " "))")
        }
        let untied = try document(["lesson3", "--no-tie", "--learned-positions", "--pre-ln", "--d-model", "32", "--heads", "2"])
        XCTAssertEqual(untied.config["tie_word_embeddings"] as? Bool, false)
        XCTAssertEqual(untied.config["position_embedding_type"] as? String, "learned")
        XCTAssertEqual(untied.config["norm_first"] as? Bool, true)
        XCTAssertEqual(untied.config["d_model"] as? Int, 32)
        XCTAssertEqual(untied.parts.first { $0.name == "output projection" }?.parameters, 14 * 32)
        XCTAssertEqual(untied.parts.first { $0.name == "positions" }?.parameters, 32 * 32)   // lesson3's 32 positions
    }

    func testConfigFile() throws {
        let file = scratch.appendingPathComponent("config.json")
        try Data(#"{"vocab_size": 100, "d_model": 48, "nhead": 6, "dim_feedforward": 96, "num_encoder_layers": 3, "num_decoder_layers": 1, "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": false}"#.utf8).write(to: file)
        let counted = try document(["--config", file.path])
        XCTAssertEqual(counted.total, Self.analytic(d: 48, ff: 96, encoderLayers: 3, decoderLayers: 1, vocab: 100, tied: false))
        XCTAssertEqual(counted.config["vocab_size"] as? Int, 100)
        XCTAssertEqual(try document(["--config", file.path, "--layers", "2"]).total,
                       Self.analytic(d: 48, ff: 96, encoderLayers: 2, decoderLayers: 2, vocab: 100, tied: false))

        // nn.Transformer's keys alone are enough without embeddings.
        let stack = scratch.appendingPathComponent("stack.json")
        try Data(#"{"d_model": 16, "nhead": 4, "dim_feedforward": 32, "num_encoder_layers": 1, "num_decoder_layers": 2}"#.utf8).write(to: stack)
        XCTAssertEqual(try document(["--config", stack.path, "--without-embeddings"]).total,
                       Self.analytic(d: 16, ff: 32, encoderLayers: 1, decoderLayers: 2))
    }

    func testErrorsAreCleanMessages() throws {
        func check(_ arguments: [String], status: Int32, mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
            let result = try params(arguments)
            XCTAssertEqual(result.status, status, "\(arguments): \(result.err)", file: file, line: line)
            XCTAssertEqual(result.out, "", "\(arguments): nothing on standard output", file: file, line: line)
            for text in mentions {
                XCTAssertTrue(result.err.contains(text), "\(arguments): \"\(text)\" not in: \(result.err)", file: file, line: line)
            }
            for crash in ["Fatal error", "Crash", "Backtrace", "backtrace", "Thread 0"] {
                XCTAssertFalse(result.err.contains(crash), "\(arguments) crashed: \(result.err)", file: file, line: line)
            }
        }
        try check(["transformer-huge"], status: 2, mentions: ["unknown configuration \"transformer-huge\"", "transformer-base", "transformer-big", "lesson3"])
        try check([], status: 2, mentions: ["transformer-base", "--config"])
        try check(["lesson3", "--heads", "5"], status: 2, mentions: ["nhead (5) must divide d_model (64)"])
        try check(["transformer-base", "--d-model", "500"], status: 2, mentions: ["nhead (8) must divide d_model (500)"])
        try check(["lesson3", "--d-model", "0"], status: 2, mentions: ["d_model", "must be positive"])
        try check(["lesson3", "--layers=-1"], status: 2, mentions: ["layer counts must be 0 or more"])
        try check(["lesson3", "--vocab", "2"], status: 2, mentions: ["pad, bos and eos ids", "0..<2"])
        try check(["lesson3", "--learned-positions", "--max-positions", "0"], status: 2, mentions: ["max_position_embeddings must be positive"])
        try check(["lesson3", "--vocab", "100000000000"], status: 2, mentions: ["too large"])
        try check(["lesson3", "--without-embeddings", "--no-tie"], status: 2, mentions: ["--no-tie", "--without-embeddings"])

        let config = scratch.appendingPathComponent("config.json")
        try check(["lesson3", "--config", config.path], status: 2, mentions: ["not both"])
        try check(["--config", config.path], status: 1, mentions: [config.path, "no such file"])
        try Data("{\"vocab_size\": 10".utf8).write(to: config)
        try check(["--config", config.path], status: 1, mentions: [config.path, "not a TransformerSeq2SeqConfig"])
        try Data(#"{"vocab_size": 10, "bos_token_id": 1}"#.utf8).write(to: config)
        try check(["--config", config.path], status: 1, mentions: ["missing key \"eos_token_id\""])
        try Data(#"{"vocab_size": 10, "bos_token_id": 1, "eos_token_id": 2, "activation": "mish"}"#.utf8).write(to: config)
        try check(["--config", config.path], status: 1, mentions: ["unknown activation \"mish\""])
        try Data(#"{"vocab_size": 10, "bos_token_id": 1, "eos_token_id": 2, "d_model": 60, "nhead": 7}"#.utf8).write(to: config)
        try check(["--config", config.path], status: 2, mentions: [config.path, "nhead (7) must divide d_model (60)"])
        try Data(#"{"vocab_size": 10, "bos_token_id": 1, "eos_token_id": 2, "dropout": 1}"#.utf8).write(to: config)
        try check(["--config", config.path], status: 2, mentions: ["dropout must be in [0, 1)"])
    }
}
