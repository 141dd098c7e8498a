// Why a merges file cannot be read. subword-nmt's apply_bpe.py reports "invalid line N in BPE
// codes file" and exits; we say the same with the path, the 1-based line number and the text,
// so the message alone says what to fix.
import Foundation

/// A merges file that is missing, unreadable, or not in subword-nmt's format.
///
/// ```swift
/// do { _ = try BPEMerges(contentsOf: URL(fileURLWithPath: "merges.txt")) }
/// catch { print(error) }   // "merges.txt:3: expected two symbols separated by a space, found \"a b c\""
/// ```
public enum BPEMergesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing at this path.
    case fileNotFound(path: String)
    /// The file exists but cannot be read, or is not UTF-8.
    case unreadable(path: String, reason: String)
    /// Line `line` (1-based, counting the header) is not a merge.
    case malformedLine(path: String, line: Int, text: String)
    /// The `#version:` header names a format we do not read.
    case unsupportedVersion(path: String, version: String)

    /// One line saying what is wrong and where.
    ///
    /// ```swift
    /// BPEMergesError.malformedLine(path: "m.txt", line: 2, text: "a").description
    /// // "m.txt:2: expected two symbols separated by a space, found \"a\""
    /// ```
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            "\(path): no such file"
        case let .unreadable(path, reason):
            "\(path): cannot read: \(reason)"
        case let .malformedLine(path, line, text):
            "\(path):\(line): expected two symbols separated by a space, found \"\(text)\""
        case let .unsupportedVersion(path, version):
            "\(path):1: unsupported merges file version \"\(version)\" (supported: \"#version: 0.2\" written by subword-nmt ≥ 0.2, and \"#version: plain\")"
        }
    }
}

extension BPEMergesError: LocalizedError {
    /// The same text as ``description``.
    ///
    /// ```swift
    /// BPEMergesError.fileNotFound(path: "x").errorDescription   // "x: no such file"
    /// ```
    public var errorDescription: String? { description }
}
