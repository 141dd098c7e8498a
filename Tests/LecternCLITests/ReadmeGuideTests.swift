// The README's guide for engineers is code that must work: this test cuts it out of README.md,
// compiles it against the built library exactly as a user's program would be, runs it, and
// checks what it says it does (a model that learns, and a checkpoint that loads back).
import Foundation
import XCTest

final class ReadmeGuideTests: XCTestCase {
    func testTheGuideCompilesRunsAndTrains() throws {
        let readme = try String(contentsOf: BuildProducts.course.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try XCTUnwrap(readme.range(of: "<!-- guide:begin -->"), "README.md lost its guide markers")
        let end = try XCTUnwrap(readme.range(of: "<!-- guide:end -->"))
        let block = readme[begin.upperBound..<end.lowerBound]
        let codeStart = try XCTUnwrap(block.range(of: "```swift\n"))
        let codeEnd = try XCTUnwrap(block.range(of: "```", options: .backwards))
        let code = String(block[codeStart.upperBound..<codeEnd.lowerBound])

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-guide-\(UUID().uuidString)")
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
        XCTAssertEqual(compiled.status, 0, "the guide does not compile:\n\(compiled.err)")
        XCTAssertFalse(compiled.err.contains("warning:"), "the guide compiles with warnings:\n\(compiled.err)")
        guard compiled.status == 0 else { return }

        let run = try BuildProducts.run(work.appendingPathComponent("guide"), [], in: work)
        XCTAssertEqual(run.status, 0, run.out + run.err)
        let lines = run.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("parameters: 82"), run.out)
        // "loss: 0.72 → 0.02": the loss must fall a lot.
        let lossLine = try XCTUnwrap(lines.first { $0.hasPrefix("loss: ") }, run.out)
        let losses = lossLine.dropFirst(6).components(separatedBy: " → ").compactMap { Float($0) }
        XCTAssertEqual(losses.count, 2, lossLine)
        if losses.count == 2 { XCTAssertLessThan(losses[1], losses[0] / 5, lossLine) }
        let accuracy = try XCTUnwrap(lines.first { $0.hasPrefix("accuracy: ") }.flatMap { Float($0.dropFirst(10)) }, run.out)
        XCTAssertGreaterThan(accuracy, 0.95)
        XCTAssertTrue(lines.contains("restored model agrees: true"), run.out)
    }
}
