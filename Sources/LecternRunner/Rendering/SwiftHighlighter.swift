// Light syntax colouring for the Swift shown by `lectern read`.
//
// A lexer, not a parser: lesson cells are short and a wrong colour costs nothing, so this only
// tells apart comments, string literals, numbers, keywords (with attributes and `#` directives)
// and everything else, which stays uncoloured. Only reserved words are coloured: contextual
// words such as `get` or `willSet` are ordinary identifiers often enough that colouring them
// would mislead.

/// Colours Swift source for the terminal: keywords, string literals, numbers and comments.
///
///     print(SwiftHighlighter.highlight("let x = 1 // one", style: .detect()))
public enum SwiftHighlighter {
    /// `code` with ANSI colours, or `code` unchanged when `style` is not enabled. No escape
    /// sequence spans a line break, so callers may indent the result line by line.
    public static func highlight(_ code: String, style: Style) -> String {
        guard style.enabled else { return code }
        let scalars = Array(code.unicodeScalars)
        var output = ""
        var plainStart = 0
        var index = 0

        func text(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        func emit(_ range: Range<Int>, code sgr: String) {
            output += text(plainStart..<range.lowerBound)
            output += text(range).split(separator: "\n", omittingEmptySubsequences: false)
                .map { style.sgr(sgr, String($0)) }
                .joined(separator: "\n")
            plainStart = range.upperBound
        }
        func at(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            if scalar == "/", at(1) == "/" {
                index = lineEnd(scalars, from: index)
                emit(start..<index, code: Code.comment)
            } else if scalar == "/", at(1) == "*" {
                index = blockCommentEnd(scalars, from: index)
                emit(start..<index, code: Code.comment)
            } else if let end = stringLiteralEnd(scalars, from: index) {
                index = end
                emit(start..<index, code: Code.string)
            } else if isDigit(scalar), start == 0 || !isIdentifierScalar(scalars[start - 1]) {
                index = numberEnd(scalars, from: index)
                emit(start..<index, code: Code.number)
            } else if isIdentifierStart(scalar) {
                index = identifierEnd(scalars, from: index)
                if keywords.contains(text(start..<index)) { emit(start..<index, code: Code.keyword) }
            } else if scalar == "@" || scalar == "#", let next = at(1), isIdentifierStart(next) {
                // Attributes (`@MainActor`) and compiler directives (`#if`, `#available`).
                index = identifierEnd(scalars, from: index + 1)
                emit(start..<index, code: Code.keyword)
            } else if scalar == "`" {
                // A quoted identifier (`default`) is a name, not a keyword.
                index += 1
                while index < scalars.count, scalars[index] != "`", scalars[index] != "\n" { index += 1 }
                if index < scalars.count, scalars[index] == "`" { index += 1 }
            } else {
                index += 1
            }
        }
        output += text(plainStart..<scalars.count)
        return output
    }

    /// The SGR codes of each kind of token.
    private enum Code {
        static let keyword = "35"
        static let string = "32"
        static let number = "33"
        static let comment = "2"
    }

    /// Swift's reserved words, plus the declaration modifiers and `some`/`any`, which read as
    /// keywords in lesson code.
    private static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "actor", "package",
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for",
        "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "as", "Any", "await", "async", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        "some", "any", "mutating", "nonmutating", "override", "final", "lazy", "weak", "unowned",
        "convenience", "required", "indirect", "nonisolated", "consuming", "borrowing", "sending",
    ]

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "$" || scalar.value >= 0x80
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    private static func identifierEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, isIdentifierScalar(scalars[index]) { index += 1 }
        return index
    }

    /// The index of the newline ending the line at `start` (or the end of the text).
    private static func lineEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, scalars[index] != "\n" { index += 1 }
        return index
    }

    /// The end of a `/* … */` comment at `start`; Swift's block comments nest.
    private static func blockCommentEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < scalars.count {
            if scalars[index] == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                depth += 1
                index += 2
            } else if scalars[index] == "*", index + 1 < scalars.count, scalars[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return index
    }

    /// The end of a number at `start`: `42`, `1_000`, `3.14`, `1e-9`, `0xFF`, `0x1p-3`.
    private static func numberEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let hex = start + 1 < scalars.count && scalars[start] == "0" && (scalars[start + 1] == "x" || scalars[start + 1] == "X")
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let exponent: Set<Unicode.Scalar> = hex ? ["p", "P"] : ["e", "E"]
            if exponent.contains(scalar), let sign = next, sign == "+" || sign == "-" {
                index += 2
            } else if scalar == ".", let digit = next, isDigit(digit) {
                // `1.5` continues the number; `1...5` and `1.description` do not.
                index += 2
            } else if isIdentifierScalar(scalar), scalar.value < 0x80 {
                index += 1
            } else {
                break
            }
        }
        return index
    }

    /// The end of the string literal starting at `start`, or nil when none starts there.
    /// Handles `"…"`, `"""…"""` and raw strings (`#"…"#`); an interpolation's parentheses are
    /// skipped as a whole, so a quote inside `\(f("x"))` does not end the literal. An unclosed
    /// single-line literal ends at the end of its line.
    private static func stringLiteralEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        var hashes = 0
        while index < scalars.count, scalars[index] == "#" {
            hashes += 1
            index += 1
        }
        guard index < scalars.count, scalars[index] == "\"" else { return nil }
        let multiline = index + 2 < scalars.count && scalars[index + 1] == "\"" && scalars[index + 2] == "\""
        let quotes = multiline ? 3 : 1
        index += quotes

        func hashesFollow(_ position: Int) -> Bool {
            guard position + hashes <= scalars.count else { return false }
            return scalars[position..<position + hashes].allSatisfy { $0 == "#" }
        }
        func closes(_ position: Int) -> Bool {
            guard position + quotes <= scalars.count,
                  scalars[position..<position + quotes].allSatisfy({ $0 == "\"" }) else { return false }
            return hashesFollow(position + quotes)
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if closes(index) { return index + quotes + hashes }
            if scalar == "\n" && !multiline { return index }
            if scalar == "\\" && hashesFollow(index + 1) {
                index += 1 + hashes
                if index < scalars.count, scalars[index] == "(" {
                    index = interpolationEnd(scalars, from: index)
                } else {
                    index += 1
                }
                continue
            }
            index += 1
        }
        return min(index, scalars.count)
    }

    /// The end of the parenthesised interpolation at `start` (which is its `(`), skipping
    /// nested parentheses and simple string literals.
    private static func interpolationEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "(":
                depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index + 1 }
            case "\"":
                index += 1
                while index < scalars.count, scalars[index] != "\"", scalars[index] != "\n" {
                    index += scalars[index] == "\\" ? 2 : 1
                }
            case "\n":
                // An interpolation cannot span lines in a single-line literal; stop rather than
                // colour the rest of the cell as a string.
                return index
            default:
                break
            }
            index += 1
        }
        return min(index, scalars.count)
    }
}
