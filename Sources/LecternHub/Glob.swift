// Shell-style patterns for choosing files, with Python's `fnmatch.fnmatchcase` rules, which is
// what huggingface_hub's `allow_patterns` use (utils/_paths.py, `filter_repo_objects`):
//   *        any run of characters, "/" included ("*.json" matches "1_Pooling/config.json")
//   ?        one character
//   [abc]    one of a set; [a-z] a range; [!abc] none of them
// A pattern ending in "/" means everything in that folder ("onnx/" is "onnx/*"), and matching
// is case-sensitive.
//
// Departures from the reference: none intended; fnmatch translates to a regular expression,
// this matcher walks the pattern directly (backtracking to the last "*").

/// A compiled fnmatch-style pattern.
///
/// ```swift
/// Glob("*.safetensors").matches("model-00001-of-00002.safetensors")   // true
/// Glob("*.json").matches("1_Pooling/config.json")                      // true: "*" crosses "/"
/// Glob("1_Pooling/").matches("1_Pooling/config.json")                 // true: a folder
/// Glob("model.safetensors").matches("model.safetensors.index.json")   // false: whole names only
/// ```
struct Glob: Sendable, Equatable {
    private enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case any              // ?
        case star             // *
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    private let tokens: [Token]

    /// The pattern `pattern` (a trailing "/" means the folder's contents).
    init(_ pattern: String) {
        var scalars = Array(pattern.unicodeScalars)
        if scalars.last == "/" { scalars.append("*") }
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "*": if tokens.last != .star { tokens.append(.star) }
            case "?": tokens.append(.any)
            case "[":
                // A set runs to the next "]" that is not its first member; without one, "[" is literal.
                var end = index
                if end < scalars.count, scalars[end] == "!" { end += 1 }
                if end < scalars.count, scalars[end] == "]" { end += 1 }
                while end < scalars.count, scalars[end] != "]" { end += 1 }
                guard end < scalars.count else { tokens.append(.literal("[")); continue }
                var members = scalars[index..<end][...]
                let negated = members.first == "!"
                if negated { members = members.dropFirst() }
                var ranges: [ClosedRange<Unicode.Scalar>] = []
                while let first = members.first {
                    members = members.dropFirst()
                    if members.count >= 2, members.first == "-" {
                        let last = members[members.index(after: members.startIndex)]
                        if first <= last { ranges.append(first...last) }   // a reversed range matches nothing
                        members = members.dropFirst(2)
                    } else {
                        ranges.append(first...first)
                    }
                }
                tokens.append(.set(ranges, negated: negated))
                index = end + 1
            default: tokens.append(.literal(scalar))
            }
        }
        self.tokens = tokens
    }

    /// Whether the whole of `path` matches.
    func matches(_ path: String) -> Bool {
        let text = Array(path.unicodeScalars)
        var (t, p) = (0, 0)                       // positions in text and tokens
        var backtrack: (token: Int, text: Int)?   // after the last "*": where to retry
        while t < text.count {
            if p < tokens.count {
                switch tokens[p] {
                case .star:
                    backtrack = (p + 1, t)
                    p += 1
                    continue
                case .any:
                    p += 1; t += 1
                    continue
                case .literal(let scalar) where scalar == text[t]:
                    p += 1; t += 1
                    continue
                case let .set(ranges, negated) where ranges.contains { $0.contains(text[t]) } != negated:
                    p += 1; t += 1
                    continue
                default: break
                }
            }
            // Mismatch: let the last "*" swallow one more character, or fail.
            guard let (token, start) = backtrack else { return false }
            backtrack = (token, start + 1)
            (p, t) = (token, start + 1)
        }
        return tokens[p...].allSatisfy { $0 == .star }
    }
}
