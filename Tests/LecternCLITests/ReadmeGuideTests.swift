// The README's guides for engineers are code that must work: this test cuts each one out of
// README.md, compiles it against the built library exactly as a user's program would be, runs it,
// and checks what it says it does (models that learn, a checkpoint that loads back).
import Foundation
import XCTest

final class ReadmeGuideTests: XCTestCase {
    func testTheGuideCompilesRunsAndTrains() throws {
        guard let run = try compileAndRun(block: "guide") else { return }
        let lines = run.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("parameters: 82"), run.out)
        try assertLossFalls(in: lines, byMoreThan: 5)
        let accuracy = try XCTUnwrap(lines.first { $0.hasPrefix("accuracy: ") }.flatMap { Float($0.dropFirst(10)) }, run.out)
        XCTAssertGreaterThan(accuracy, 0.95)
        XCTAssertTrue(lines.contains("restored model agrees: true"), run.out)
    }

    func testTheTransformerGuideCompilesTrainsAndDecodes() throws {
        guard let run = try compileAndRun(block: "transformer-guide") else { return }
        let lines = run.out.split(separator: "\n").map(String.init)
        // d = 32, d_ff = 64, one layer each side, 14 tokens (ten digits and four specials): the paper's formula.
        let (d, ff, v) = (32, 64, 14)
        let attention = 4 * (d * d + d), feedForward = 2 * d * ff + ff + d
        let expected = v * d + (attention + feedForward + 2 * 2 * d) + (2 * attention + feedForward + 3 * 2 * d) + 2 * 2 * d
        XCTAssertTrue(lines.contains("parameters: \(expected)"), run.out)
        try assertLossFalls(in: lines, byMoreThan: 3)
        let accuracy = try XCTUnwrap(lines.first { $0.hasPrefix("exact match: ") }.flatMap { Float($0.dropFirst(13)) }, run.out)
        XCTAssertGreaterThan(accuracy, 0.9, "greedy decoding of the copy task")
    }

    func testTheBertGuideTrainsSavesAndReloads() throws {
        guard let run = try compileAndRun(block: "bert-guide") else { return }
        let lines = run.out.split(separator: "\n").map(String.init)
        // Embeddings (12 + 16 + 2)·32 + LN 64; per layer 4·(32·32 + 32) + LN 64 + 32·64 + 64 + 64·32 + 32 + LN 64;
        // MLM head transform 32·32 + 32 + LN 64, output bias 12 (decoder tied to the embeddings).
        let (h, ff, v) = (32, 64, 12)
        let layer = 4 * (h * h + h) + 2 * h + (h * ff + ff) + (ff * h + h) + 2 * h
        let expected = (v + 16 + 2) * h + 2 * h + 2 * layer + (h * h + h) + 2 * h + v
        XCTAssertTrue(lines.contains("parameters: \(expected)"), run.out)
        try assertLossFalls(in: lines, byMoreThan: 10)
        XCTAssertTrue(lines.contains("[CLS] 6 [MASK] 11 [SEP] → 9"), run.out)
    }

    /// Checks the guide's "loss: 0.72 → 0.02" line: the last loss is below the first divided by
    /// `factor`.
    private func assertLossFalls(in lines: [String], byMoreThan factor: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        let lossLine = try XCTUnwrap(lines.first { $0.hasPrefix("loss: ") }, lines.joined(separator: "\n"), file: file, line: line)
        let losses = lossLine.dropFirst(6).components(separatedBy: " → ").compactMap { Float($0) }
        XCTAssertEqual(losses.count, 2, lossLine, file: file, line: line)
        if losses.count == 2 { XCTAssertLessThan(losses[1], losses[0] / factor, lossLine, file: file, line: line) }
    }

    /// Cuts the Swift code between `<!-- block:begin -->` and `<!-- block:end -->` out of
    /// README.md, compiles it against the built library as a user's program would be (no
    /// warnings allowed), and runs it; nil after a reported compile failure.
    private func compileAndRun(block name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, out: String, err: String)? {
        let readme = try String(contentsOf: BuildProducts.course.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try XCTUnwrap(readme.range(of: "<!-- \(name):begin -->"), "README.md lost its \(name) markers", file: file, line: line)
        let end = try XCTUnwrap(readme.range(of: "<!-- \(name):end -->"), file: file, line: line)
        let block = readme[begin.upperBound..<end.lowerBound]
        let codeStart = try XCTUnwrap(block.range(of: "```swift\n"), file: file, line: line)
        let codeEnd = try XCTUnwrap(block.range(of: "```", options: .backwards), file: file, line: line)
        let code = String(block[codeStart.upperBound..<codeEnd.lowerBound])

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try code.write(to: work.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)

        let build = try BuildProducts.directory()
        let swiftc = try XCTUnwrap(ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }, "swiftc is not on PATH")
        var arguments = ["-swift-version", "6", "-I", build.appendingPathComponent("Modules").path, "-L", build.path, "-lLectern",
                         "-Xlinker", "-rpath", "-Xlinker", build.path, "-o", work.appendingPathComponent("guide").path,
                         work.appendingPathComponent("main.swift").path]
        #if os(Linux)
        arguments += ["-Xcc", "-fmodule-map-file=" + BuildProducts.course.appendingPathComponent("Sources/CBLAS/module.modulemap").path]
        #endif
        let compiled = try BuildProducts.run(URL(fileURLWithPath: swiftc), arguments, in: work)
        XCTAssertEqual(compiled.status, 0, "the \(name) does not compile:\n\(compiled.err)", file: file, line: line)
        XCTAssertFalse(compiled.err.contains("warning:"), "the \(name) compiles with warnings:\n\(compiled.err)", file: file, line: line)
        guard compiled.status == 0 else { return nil }
        let run = try BuildProducts.run(work.appendingPathComponent("guide"), [], in: work)
        XCTAssertEqual(run.status, 0, run.out + run.err, file: file, line: line)
        return run
    }
}
