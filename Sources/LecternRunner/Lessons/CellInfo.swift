// The info string of a fenced code block is where a lesson says what a block is.
//
//     ```swift                                  a runnable cell
//     ```swift setup                            runs, hidden from the reader
//     ```swift norun                            shown, never run
//     ```swift exercise id=softmax points=3 timeout=5
//     ```swift test for=softmax                 visible XCTest methods for an exercise
//     ```hint for=softmax                       one hint (Markdown), revealed one at a time
//
// Any other language (```text, ```python, ```) is plain display. Lessons/README.md is the
// instructor-facing description of the format; keep the two in step.

/// What a fenced code block is, decoded from its info string.
public enum CellKind: Equatable, Sendable {
    /// Runs in document order; its output is shown under it.
    case run
    /// Runs like `run`, but `lectern read` does not show it.
    case setup
    /// Shown to the reader, never compiled or run.
    case display
    /// Starter code of a graded exercise.
    case exercise(id: String, points: Int, timeout: Double?)
    /// XCTest methods the student can see, for one exercise.
    case test(exercise: String)
    /// One hint for one exercise (Markdown).
    case hint(exercise: String)
    /// A code block in another language, or with no language: display only.
    case other(language: String)
}

/// A problem with an info string, described for the instructor.
public struct CellInfoError: Error, Equatable, Sendable {
    /// What is wrong and how to fix it.
    public var message: String
}

/// Parses the info string of a fenced code block.
///
///     try CellInfo.parse("swift exercise id=softmax points=3")
///     // .exercise(id: "softmax", points: 3, timeout: nil)
public enum CellInfo {
    /// Exercise ids: lower-case letters, digits and dashes, starting with a letter.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Decodes `info`; throws a ``CellInfoError`` naming the problem.
    public static func parse(_ info: String) throws(CellInfoError) -> CellKind {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let language = words.first else { return .other(language: "") }
        var attributes: [String: String] = [:]
        var keywords: [String] = []
        for word in words.dropFirst() {
            if let eq = word.firstIndex(of: "=") {
                let key = String(word[..<eq]), value = String(word[word.index(after: eq)...])
                guard !key.isEmpty, !value.isEmpty else {
                    throw CellInfoError(message: "malformed attribute '\(word)' in info string '\(info)': write key=value with no spaces")
                }
                guard attributes[key] == nil else {
                    throw CellInfoError(message: "attribute '\(key)' is given twice in '\(info)'")
                }
                attributes[key] = value
            } else {
                keywords.append(word)
            }
        }
        switch language {
        case "swift": return try parseSwift(info: info, keywords: keywords, attributes: attributes)
        case "hint":
            guard keywords.isEmpty else {
                throw CellInfoError(message: "unexpected word '\(keywords[0])' in hint block '\(info)': write ```hint for=EXERCISE-ID")
            }
            try expectOnly(["for"], in: attributes, info: info)
            return .hint(exercise: try exerciseReference(attributes, info: info, example: "hint for=softmax"))
        default:
            return .other(language: language)
        }
    }

    private static func parseSwift(info: String, keywords: [String], attributes: [String: String]) throws(CellInfoError) -> CellKind {
        guard keywords.count <= 1 else {
            throw CellInfoError(message: "a swift cell has one type, but '\(info)' names \(keywords.count): \(keywords.joined(separator: ", "))")
        }
        switch keywords.first {
        case nil:
            try expectOnly([], in: attributes, info: info)
            return .run
        case "setup":
            try expectOnly([], in: attributes, info: info)
            return .setup
        case "norun":
            try expectOnly([], in: attributes, info: info)
            return .display
        case "exercise":
            try expectOnly(["id", "points", "timeout"], in: attributes, info: info)
            guard let id = attributes["id"] else {
                throw CellInfoError(message: "exercise cell without an id: write ```swift exercise id=my-exercise points=1")
            }
            guard isValidID(id) else {
                throw CellInfoError(message: "exercise id '\(id)' is not valid: use lower-case letters, digits and dashes, starting with a letter")
            }
            var points = 1
            if let text = attributes["points"] {
                guard let value = Int(text), value >= 0 else {
                    throw CellInfoError(message: "points=\(text) is not a whole number of points (0 or more)")
                }
                points = value
            }
            var timeout: Double?
            if let text = attributes["timeout"] {
                guard let value = Double(text.hasSuffix("s") ? String(text.dropLast()) : text), value > 0, value <= 600 else {
                    throw CellInfoError(message: "timeout=\(text) is not a number of seconds between 0 and 600")
                }
                timeout = value
            }
            return .exercise(id: id, points: points, timeout: timeout)
        case "test":
            try expectOnly(["for"], in: attributes, info: info)
            return .test(exercise: try exerciseReference(attributes, info: info, example: "swift test for=softmax"))
        case let other?:
            throw CellInfoError(message: "unknown cell type '\(other)' in '\(info)': use one of setup, norun, exercise, test (or none, for a runnable cell)")
        }
    }

    private static func exerciseReference(_ attributes: [String: String], info: String, example: String) throws(CellInfoError) -> String {
        guard let id = attributes["for"] else {
            throw CellInfoError(message: "'\(info)' does not say which exercise it belongs to: write ```\(example)")
        }
        return id
    }

    private static func expectOnly(_ allowed: Set<String>, in attributes: [String: String], info: String) throws(CellInfoError) {
        for key in attributes.keys.sorted() where !allowed.contains(key) {
            let expected = allowed.isEmpty ? "this cell type takes no attributes" : "expected " + allowed.sorted().joined(separator: ", ")
            throw CellInfoError(message: "unknown attribute '\(key)' in '\(info)': \(expected)")
        }
    }
}

extension CellKind {
    /// Whether the block is hidden from a reader of the lesson (`lectern read`).
    public var isHiddenFromReader: Bool {
        switch self {
        case .setup, .hint: return true
        default: return false
        }
    }
}

/// Lines of a Swift cell that run but are not shown: they start with `# ` (or are just `#`),
/// as in rustdoc. Swift has no statement that starts with a hash followed by a space.
public enum HiddenLine {
    /// The line's code if it is a hidden line, else nil.
    public static func code(_ line: Substring) -> Substring? {
        if line == "#" { return "" }
        if line.hasPrefix("# ") { return line.dropFirst(2) }
        return nil
    }
}
