// A learned classic-BPE merge table and its file format: subword-nmt's "codes" file
// (learn_bpe.py writes it, apply_bpe.py reads it): a `#version: 0.2` header, then one merge
// per line, "left right", in the order learnt — the line number is the merge's rank. Version
// 0.2 means "</w> is glued to the last character"; the same layout with `#version: plain`
// holds a table learnt without end-of-word marker (the lecture's convention), which
// subword-nmt itself cannot read.
import Foundation

/// Merges in the order they were learnt (index = rank: lower merges first), and the
/// convention they were learnt with.
///
/// ```swift
/// let merges = BPEMerges(convention: .plain, merges: [BPEMerge("a", "t"), BPEMerge("m", "at")])
/// merges.fileText   // "#version: plain\na t\nm at\n"
/// ```
public struct BPEMerges: Sendable, Equatable {
    /// How words were split and ties broken when these merges were learnt.
    ///
    /// ```swift
    /// try BPEMerges(fileText: "#version: 0.2\n").convention   // .subwordNMT
    /// ```
    public var convention: BPEConvention
    /// The merges, rank 0 first.
    ///
    /// ```swift
    /// try BPEMerges(fileText: "#version: 0.2\nt h\n").merges   // [BPEMerge("t", "h")]
    /// ```
    public var merges: [BPEMerge]

    /// A table of `merges` (rank = position) learnt with `convention`.
    ///
    /// ```swift
    /// BPEMerges(convention: .subwordNMT, merges: [BPEMerge("t", "h")]).count   // 1
    /// ```
    public init(convention: BPEConvention, merges: [BPEMerge]) {
        self.convention = convention
        self.merges = merges
    }

    /// The number of merges.
    ///
    /// ```swift
    /// BPEMerges(convention: .plain, merges: []).count   // 0
    /// ```
    public var count: Int { merges.count }

    /// The header line naming the convention: subword-nmt's `#version: 0.2`, or ours.
    static func header(for convention: BPEConvention) -> String {
        switch convention {
        case .subwordNMT: "#version: 0.2"
        case .plain: "#version: plain"
        }
    }

    /// The file as `subword-nmt learn-bpe` writes it: the header, then "left right" per line.
    ///
    /// ```swift
    /// BPEMerges(convention: .subwordNMT, merges: [BPEMerge("t", "h")]).fileText
    /// // "#version: 0.2\nt h\n"
    /// ```
    public var fileText: String {
        var text = Self.header(for: convention) + "\n"
        for merge in merges { text += merge.description + "\n" }
        return text
    }

    /// Parses a merges file as apply_bpe.py does: the version header, then one merge per
    /// line, each `strip('\r\n ')`-ed and split on a single space into exactly two symbols.
    /// Trailing empty lines are ignored; any other line that is not two symbols is an error
    /// with its 1-based line number. A header-only file is an empty table (subword-nmt learns
    /// one when no pair reaches --min-frequency). `path` only labels errors.
    ///
    /// ```swift
    /// try BPEMerges(fileText: "#version: 0.2\nt h\nth e</w>\n").merges[1]   // BPEMerge("th", "e</w>")
    /// ```
    public init(fileText: String, path: String = "merges.txt") throws(BPEMergesError) {
        // Lines and fields are cut on scalars: as `Character`s, "\r\n" is one character and a
        // space followed by a combining accent is another, and neither would split.
        var lines = fileText.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first, String(first).hasPrefix("#version:") else {
            throw .unsupportedVersion(path: path, version: "none: no \"#version:\" header (subword-nmt 0.1)")
        }
        let version = String(first.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).last ?? first[...])
        var number = version
        while number.hasSuffix(".0") { number.removeLast(2) }   // "0.2.0" reads as 0.2, as in apply_bpe.py
        switch number {
        case "0.2": convention = .subwordNMT
        case "plain": convention = .plain
        default: throw .unsupportedVersion(path: path, version: version)
        }
        merges = []
        merges.reserveCapacity(lines.count - 1)
        for (index, line) in lines.enumerated().dropFirst() {
            let parts = Self.strip(line).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedLine(path: path, line: index + 1, text: String(line))
            }
            merges.append(BPEMerge(String(parts[0]), String(parts[1])))
        }
    }

    /// Reads a merges file (see ``init(fileText:path:)``).
    ///
    /// ```swift
    /// let merges = try BPEMerges(contentsOf: URL(fileURLWithPath: "merges.txt"))
    /// ```
    public init(contentsOf url: URL) throws(BPEMergesError) {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: path, reason: error.localizedDescription) }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8") }
        try self.init(fileText: text, path: path)
    }

    /// `line.strip('\r\n ')`: Python's strip of exactly those three characters.
    private static func strip(_ line: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        let stripped: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\r" || $0 == "\n" }
        guard let start = line.firstIndex(where: { !stripped($0) }),
              let end = line.lastIndex(where: { !stripped($0) }) else { return line[line.startIndex..<line.startIndex] }
        return line[start...end]
    }
}
