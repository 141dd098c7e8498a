// The terminal form of a grade report: one line per test, and under each failure the message,
// the line it points at (with that line of source), and what the test printed.
import Foundation

/// Formats ``GradeReport``s for the terminal.
public struct ReportPrinter: Sendable {
    /// Colours on or off.
    public var style: Style
    /// Reads source lines to show under a failure (file path → text); the course root resolves
    /// relative paths.
    public var root: URL

    /// A printer using `style`, resolving relative file paths against `root`.
    public init(style: Style, root: URL) {
        self.style = style
        self.root = root
    }

    /// The whole report as text.
    public func format(_ report: GradeReport, title: String) -> String {
        var out = style.bold("\(title)") + style.dim("  (\(report.exerciseID) · \(report.studentFile))") + "\n"
        if !report.compilerErrors.isEmpty {
            out += "\n" + style.red("✗ " + (report.message ?? "does not compile")) + "\n\n"
            for error in report.compilerErrors.prefix(8) {
                let location = error.location.map { "\($0)\(error.column.map { ":\($0)" } ?? ""): " } ?? ""
                out += style.bold(location) + style.red("error: ") + error.message + "\n"
                if !error.excerpt.isEmpty { out += error.excerpt + "\n" }
            }
            if report.compilerErrors.count > 8 { out += style.dim("… and \(report.compilerErrors.count - 8) more errors") + "\n" }
            return out
        }
        out += "\n"
        var previous: TestResult?
        for result in report.tests {
            defer { previous = result }
            let mark: String
            switch result.outcome {
            case .passed: mark = style.green("✓")
            case .failed: mark = style.red("✗")
            case .crashed: mark = style.red("✗")
            case .timedOut: mark = style.yellow("⏱")
            case .notRun: mark = style.dim("·")
            }
            let hidden = result.test.visible ? "" : style.dim(" (hidden test)")
            out += "  \(mark) \(result.displayName)\(hidden)\n"
            guard result.outcome != .passed else { continue }
            if let previous, previous.outcome == result.outcome, previous.message == result.message,
               previous.location == result.location, result.output.isEmpty {
                // Starter code fails every test the same way: say it once.
                out += "      " + style.dim("(the same as above)") + "\n"
                continue
            }
            if let message = result.message {
                for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
                    out += "      " + style.red(String(line)) + "\n"
                }
            }
            if let location = result.location {
                out += "      " + style.dim("at ") + style.bold(location.description) + "\n"
                if let source = sourceLine(location) { out += "      " + style.dim("│ ") + source + "\n" }
            }
            if !result.output.isEmpty {
                out += "      " + style.dim("printed:") + "\n"
                for line in result.output.split(separator: "\n", omittingEmptySubsequences: false).prefix(40) {
                    out += "      " + style.dim("│ ") + line + "\n"
                }
                let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).count
                if lines > 40 { out += "      " + style.dim("│ … \(lines - 40) more lines") + "\n" }
                if result.outputTruncated { out += "      " + style.dim("│ [output cut at 64 KB]") + "\n" }
            }
        }
        let passed = report.tests.filter { $0.outcome == .passed }.count
        out += "\n"
        if let message = report.message, report.status == .error { out += style.red(message) + "\n" }
        let summary = "\(passed)/\(report.tests.count) tests passed · \(report.points)/\(report.maxPoints) points"
            + style.dim(String(format: " · %.2f s", report.seconds))
        out += (report.status == .pass ? style.green("✓ " + summary) : style.yellow(summary)) + "\n"
        return out
    }

    /// The text of `location`'s line, when the file can be read.
    func sourceLine(_ location: SourceLocation) -> String? {
        let url = location.file.hasPrefix("/") ? URL(fileURLWithPath: location.file)
            : (FileManager.default.fileExists(atPath: location.file) ? URL(fileURLWithPath: location.file) : root.appendingPathComponent(location.file))
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line >= 1, location.line <= lines.count else { return nil }
        return lines[location.line - 1].trimmingCharacters(in: .whitespaces)
    }
}
