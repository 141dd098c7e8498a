// `lectern warm`: compile a tiny program against the reference library once, so that the
// compiler's module cache is ready and the first `lectern check` is fast.
import ArgumentParser
import Foundation
import LecternRunner

struct Warm: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prepare the compiler's module cache so the first check is fast.")

    @Flag(help: "Print nothing on success.")
    var quiet = false

    func run() throws {
        try guarded {
            let toolchain = try Context.toolchain(courseRoot: try? Context.findCourseRoot(explicit: nil, environment: ProcessInfo.processInfo.environment))
            try toolchain.library.verify()
            let start = Date()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-warm-\(UUID().uuidString.prefix(8))")
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let source = directory.appendingPathComponent("main.swift")
            try? Data(("import XCTest\nimport Foundation\n" + toolchain.library.imports + "print(\"ready\")\n").utf8).write(to: source)
            let result = try toolchain.compile(sources: [source], output: directory.appendingPathComponent("warm"),
                                               moduleName: "Warm", log: directory.appendingPathComponent("log"))
            guard result.succeeded else { throw CourseError("the compiler could not build against the reference library:\n\(result.diagnostics)") }
            if !quiet { print(String(format: "module cache ready (%.1f s)", Date().timeIntervalSince(start))) }
        }
    }
}
