// Light, line-based reading of Swift source: enough to find test methods, test classes and
// the names an exercise declares, without a Swift parser. Lessons are written by instructors
// who follow the conventions in Lessons/README.md, so this does not need to understand every
// corner of the language; `lectern validate` catches what it misses.

/// Helpers that read Swift source text line by line.
public enum SwiftSource {
    private static let modifiers: Set<Substring> = [
        "public", "internal", "private", "fileprivate", "package", "open", "final", "static",
        "mutating", "nonmutating", "indirect", "@inlinable", "@discardableResult", "nonisolated",
    ]

    /// Names declared at the start of a line (column 0) by `func`, `struct`, `class`, `enum`,
    /// `protocol`, `typealias`, `actor`, `let` or `var`.
    ///
    ///     SwiftSource.topLevelNames(in: "func softmax(_ x: [Float]) -> [Float] {")  // ["softmax"]
    public static func topLevelNames(in code: String) -> [String] {
        var names: [String] = []
        for line in code.split(separator: "\n") {
            guard let first = line.unicodeScalars.first, first != " ", first != "\t" else { continue }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let word = words.first, modifiers.contains(word) { words = words.dropFirst() }
            guard let keyword = words.first, words.count >= 2 else { continue }
            guard ["func", "struct", "class", "enum", "protocol", "typealias", "actor", "let", "var"].contains(keyword)
            else { continue }
            let name = identifierPrefix(of: words[words.index(after: words.startIndex)])
            if !name.isEmpty && !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The names of the XCTest methods in `code`: `func testSomething()` with no parameters.
    public static func testMethods(in code: String) -> [String] {
        testMethodLines(in: code).map(\.name)
    }

    /// Test methods with the 0-based index of the line that declares each.
    public static func testMethodLines(in code: String) -> [(name: String, line: Int)] {
        var found: [(name: String, line: Int)] = []
        for (index, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let word = words.first, modifiers.contains(word) || word.hasPrefix("@") { words = words.dropFirst() }
            guard words.first == "func", words.count >= 2 else { continue }
            let rest = line[line.range(of: "func")!.upperBound...].drop(while: { $0 == " " })
            let name = identifierPrefix(of: rest)
            guard name.hasPrefix("test") else { continue }
            let afterName = rest.dropFirst(name.count).drop(while: { $0 == " " })
            let parameters = afterName.dropFirst().drop(while: { $0 == " " })
            if afterName.hasPrefix("(") && parameters.hasPrefix(")") { found.append((name, index)) }
        }
        return found
    }

    /// XCTestCase subclasses in a whole test file, each with its test methods.
    public static func testClasses(in code: String) -> [(name: String, methods: [String])] {
        var classes: [(name: String, methods: [String])] = []
        for line in code.split(separator: "\n") {
            if let range = line.range(of: "class "), line.contains("XCTestCase") {
                let name = identifierPrefix(of: line[range.upperBound...].drop(while: { $0 == " " }))
                if !name.isEmpty { classes.append((name, [])) }
            } else if !classes.isEmpty, let method = testMethods(in: String(line)).first {
                classes[classes.count - 1].methods.append(method)
            }
        }
        return classes
    }

    /// Whether `identifier` occurs in `code` as a whole word (not inside a longer name).
    public static func mentions(_ identifier: String, in code: String) -> Bool {
        let scalars = Array(code.unicodeScalars), target = Array(identifier.unicodeScalars)
        guard !target.isEmpty, scalars.count >= target.count else { return false }
        for start in 0...(scalars.count - target.count) where scalars[start] == target[0] {
            guard Array(scalars[start..<(start + target.count)]) == target else { continue }
            let before = start > 0 ? scalars[start - 1] : " "
            let after = start + target.count < scalars.count ? scalars[start + target.count] : " "
            // A dot before means a member (`LecternCore.softmax`, `x.softmax`), not the exercise.
            if !isIdentifierScalar(before) && before != "." && !isIdentifierScalar(after) { return true }
        }
        return false
    }

    /// The leading identifier of `text` (letters, digits, underscore).
    static func identifierPrefix<S: StringProtocol>(of text: S) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(while: isIdentifierScalar)))
    }

    static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    /// A string literal for `text`, safe to paste into generated Swift source.
    public static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
