// Text split into lines the way every `lectern lab` command that reads lines splits it.
import Foundation

enum TextLines {
    /// UTF-8 `data` split at each "\n", empty lines kept; a final line break ends the last line
    /// rather than starting another. A "\r" before a "\n" stays part of its line.
    ///
    ///     TextLines.split(Data("a\n\nb\n".utf8))   // ["a", "", "b"]
    static func split(_ data: Data) -> [String] {
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
