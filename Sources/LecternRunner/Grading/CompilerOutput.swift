// Reads back what `swiftc -diagnostic-style=llvm` printed: one `file:line:col: error: message`
// header per problem, followed by the source line and a caret.

/// Parsing of compiler diagnostics.
enum CompilerOutput {
    /// The errors in `text`, each with the excerpt lines that follow it. Linker failures,
    /// which have no location, come back as one located-nowhere error.
    static func errors(in text: String) -> [CompilerError] {
        var errors: [CompilerError] = []
        var inError = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let header = parseHeader(line) {
                inError = header.severity == "error"
                if inError {
                    errors.append(CompilerError(location: header.location, column: header.column, message: header.message, excerpt: ""))
                }
            } else if line.hasPrefix("error: ") {
                inError = true
                errors.append(CompilerError(location: nil, column: nil, message: String(line.dropFirst(7)), excerpt: ""))
            } else if inError, !line.trimmingCharacters(in: .whitespaces).isEmpty, let last = errors.indices.last,
                      errors[last].excerpt.split(separator: "\n").count < 4 {
                errors[last].excerpt += (errors[last].excerpt.isEmpty ? "" : "\n") + line
            }
        }
        return errors
    }

    /// `path:12:5: error: message` → its parts.
    static func parseHeader(_ line: Substring) -> (location: SourceLocation, column: Int, severity: String, message: String)? {
        for severity in ["error", "warning", "note"] {
            guard let marker = line.range(of: ": \(severity): ") else { continue }
            let position = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard position.count >= 3, let lineNumber = Int(position[position.count - 2]),
                  let column = Int(position[position.count - 1]) else { continue }
            let file = position.dropLast(2).joined(separator: ":")
            return (SourceLocation(file: file, line: lineNumber), column, severity, String(line[marker.upperBound...]))
        }
        return nil
    }
}

import Foundation
