// An attention matrix (target steps × source steps) drawn as a terminal heatmap.
//
// Reference: the alignment plots of Bahdanau et al. (2015, fig. 3) and the attention heatmaps
// of `bertviz` / matplotlib's `imshow`: source tokens along the top, target tokens down the
// side, one cell per weight, darker (or brighter) for more attention.
//
// Why three styles: a lesson's output may be shown live in a terminal (24-bit colour gives the
// most levels), saved to a file and read in any viewer (the Unicode shading characters
// U+2591…U+2593 and U+2588 are in every monospace font), or read where only ASCII is safe.
//
// Why cells are two characters wide: a terminal character cell is about twice as tall as it is
// wide, so two characters make a roughly square cell and the matrix keeps its proportions.
//
// Why values are placed on a fixed 0…1 scale by default: attention weights are probabilities,
// and a fixed scale lets two maps (two heads, two epochs) be compared by eye; `normalized`
// rescales by the largest weight for diffuse maps over long sequences.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An attention matrix with its source and target tokens, rendered as a text heatmap.
///
///     let map = AttentionHeatmap([[0.9, 0.1], [0.3, 0.7]],
///                                source: ["le", "chat"], target: ["the", "cat"])
///     print(map.render(style: .shades))
///     //      l c
///     //      e h
///     //        a
///     //        t
///     // the │██  │
///     // cat │░░▓▓│
///     //    0   ░░▒▒▓▓██ 1
///
/// Rows are target steps (what the decoder produced), columns are source steps (what it
/// attended to), as in `attention(query: target, key: source)`.
public struct AttentionHeatmap: Sendable, Hashable {
    /// How cells are drawn.
    ///
    ///     AttentionHeatmap.Style.detect()   // .trueColor in a 24-bit terminal, else .shades or .ascii
    public enum Style: Sendable, Hashable, CaseIterable {
        /// A 24-bit background colour per cell (`ESC[48;2;r;g;bm`) from the viridis ramp, which
        /// is perceptually uniform (equal steps in weight look like equal steps in colour) and
        /// readable by the colour-blind.
        ///
        ///     map.render(style: .trueColor)
        case trueColor
        /// The Unicode shading characters ` ░▒▓█`, five levels.
        ///
        ///     map.render(style: .shades)
        case shades
        /// The ASCII ramp ` .:-=+*#%@`, ten levels, for output that must stay ASCII.
        ///
        ///     map.render(style: .ascii)
        case ascii

        /// `.trueColor` when `LECTERN_COLOR` is `1`, or when `COLORTERM` is `truecolor` or
        /// `24bit` and standard output is a terminal (or `LECTERN_TTY` is `1`, which lectern
        /// sets when it shows a lesson's output live); else `.shades` when the locale
        /// (`LC_ALL`, then `LC_CTYPE`, then `LANG`) is UTF-8; else `.ascii`. A non-empty
        /// `NO_COLOR` (https://no-color.org) turns colour off unless `LECTERN_COLOR` is `1`.
        ///
        ///     AttentionHeatmap.Style.detect(environment: ["LANG": "en_US.UTF-8"], isTerminal: false)   // .shades
        ///     AttentionHeatmap.Style.detect(environment: ["LECTERN_COLOR": "1"])                         // .trueColor
        ///
        /// - Parameter isTerminal: whether standard output is a terminal; `nil` asks `isatty`.
        public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  isTerminal: Bool? = nil) -> Style {
            if environment["LECTERN_COLOR"] == "1" { return .trueColor }
            let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
            let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
            if !noColor, colorTerm == "truecolor" || colorTerm == "24bit" {
                let terminal = isTerminal ?? (isatty(1) == 1 || environment["LECTERN_TTY"] == "1")
                if terminal { return .trueColor }
            }
            // POSIX precedence: the first of these that is set and non-empty names the
            // character set; none at all means the "C" locale, which is ASCII.
            let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy
                .compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
            let lowered = locale.lowercased()
            return lowered.contains("utf-8") || lowered.contains("utf8") ? .shades : .ascii
        }
    }

    /// The weights, one row per target step, one column per source step.
    ///
    ///     map.weights[1][0]   // how much target step 1 attended to source step 0
    public let weights: [[Float]]
    /// The labels of the columns (source steps).
    ///
    ///     map.sourceTokens   // ["le", "chat"]
    public let sourceTokens: [String]
    /// The labels of the rows (target steps).
    ///
    ///     map.targetTokens   // ["the", "cat"]
    public let targetTokens: [String]

    /// A heatmap of `weights` (target steps × source steps, values in 0…1), with its columns
    /// labelled by `source` and its rows by `target`; a `nil` label list labels by position
    /// (0, 1, …). With no rows, `source` alone gives the number of columns.
    ///
    ///     AttentionHeatmap([[1, 0], [0, 1]], source: ["a", "b"], target: ["x", "y"])
    ///     AttentionHeatmap([[0.5, 0.5]])   // labels 0, 1 and 0
    ///
    /// - Precondition: every row has the same length, and each label list (when given) has
    ///   one label per column or row; ``validate(_:source:target:)`` returns the message.
    public init(_ weights: [[Float]], source: [String]? = nil, target: [String]? = nil) {
        if let problem = Self.validate(weights, source: source, target: target) {
            fatalError(problem)
        }
        let columns = weights.first?.count ?? source?.count ?? 0
        self.weights = weights
        self.sourceTokens = source ?? (0..<columns).map(String.init)
        self.targetTokens = target ?? weights.indices.map(String.init)
    }

    /// A heatmap of a 2-D tensor of shape `[target, source]`; leading dimensions of size 1
    /// (a batch of one, a single head: `[1, 1, target, source]`) are ignored.
    ///
    ///     let weights = scores.softmax(axis: -1)   // [tgt, src]
    ///     AttentionHeatmap(weights, source: sourceWords, target: outputWords)
    ///
    /// - Precondition: the tensor has rank 2 after dropping leading 1s, and the label counts
    ///   match its shape.
    public init(_ weights: Tensor, source: [String]? = nil, target: [String]? = nil) {
        var shape = weights.shape
        while shape.count > 2, shape[0] == 1 { shape.removeFirst() }
        require(shape.count == 2,
                "AttentionHeatmap: needs a [target, source] tensor (leading dimensions of size 1 allowed), got shape \(weights.shape)")
        let (rows, columns) = (shape[0], shape[1])
        let scalars = weights.scalars
        let matrix = (0..<rows).map { r in Array(scalars[(r * columns)..<((r + 1) * columns)]) }
        // With no rows the matrix alone cannot carry the column count, so check the source
        // labels against the shape here.
        if let source, source.count != columns {
            fatalError(Self.countMessage(source.count, "source tokens", columns, "columns (source steps)"))
        }
        self.init(matrix, source: source ?? (0..<columns).map(String.init), target: target)
    }

    /// Why `weights` with these labels cannot be drawn, or `nil` when they can: rows of
    /// different lengths, or a label list whose count differs from the columns (`source`) or
    /// rows (`target`). The initializers stop with this message.
    ///
    ///     AttentionHeatmap.validate([[1, 0]], source: ["a"], target: ["x"])
    ///     // "AttentionHeatmap: 1 source tokens for 2 columns (source steps); give one label per column"
    public static func validate(_ weights: [[Float]], source: [String]?, target: [String]?) -> String? {
        let columns = weights.first?.count ?? source?.count ?? 0
        if let row = weights.firstIndex(where: { $0.count != columns }) {
            return "AttentionHeatmap: row \(row) has \(weights[row].count) weights but row 0 has \(columns); every target step needs one weight per source step"
        }
        if let source, source.count != columns {
            return countMessage(source.count, "source tokens", columns, "columns (source steps)")
        }
        if let target, target.count != weights.count {
            return countMessage(target.count, "target tokens", weights.count, "rows (target steps)")
        }
        return nil
    }

    private static func countMessage(_ got: Int, _ what: String, _ want: Int, _ of: String) -> String {
        "AttentionHeatmap: \(got) \(what) for \(want) \(of); give one label per \(of.hasPrefix("rows") ? "row" : "column")"
    }

    /// The heatmap as lines of text: the source tokens across the top (on one line when all
    /// are at most two characters, else written downwards one character per line), then one
    /// line per target step (its token, then its cells between bars), then a legend line
    /// mapping the ramp from 0 to 1. Labels longer than `maxLabelLength` are cut and end in
    /// `…` (`~` in ASCII); characters that cannot be shown (control characters, and anything
    /// outside ASCII in the `.ascii` style) print as `?`. Non-finite weights print as `??`
    /// without colour; weights outside 0…1 are clamped.
    ///
    ///     print(AttentionHeatmap([[1, 0]], source: ["a", "b"], target: ["x"]).render(style: .ascii))
    ///     //    a b
    ///     // x |@@  |
    ///     //  0   ..::--==++**##%%@@ 1
    ///
    /// - Parameters:
    ///   - style: how cells are drawn; detected from the environment by default.
    ///   - normalized: divide by the largest weight first (the legend then ends at that
    ///     weight), so a diffuse map over a long sequence still uses the whole ramp.
    ///   - maxLabelLength: the most characters of a token shown, at least 2.
    /// - Precondition: `maxLabelLength >= 2`.
    public func render(style: Style = .detect(), normalized: Bool = false, maxLabelLength: Int = 8) -> String {
        require(maxLabelLength >= 2, "AttentionHeatmap.render: maxLabelLength must be at least 2, got \(maxLabelLength)")
        let rows = weights.count, columns = weights.first?.count ?? sourceTokens.count
        guard rows > 0, columns > 0 else {
            return "(empty attention map: \(rows) target × \(columns) source steps)"
        }

        let ascii = style == .ascii
        func label(_ token: String) -> [Character] {
            var characters = token.map { c -> Character in
                let printable = !c.unicodeScalars.contains { $0.properties.generalCategory == .control }
                return printable && (!ascii || c.isASCII) ? c : "?"
            }
            if characters.count > maxLabelLength {
                characters = Array(characters.prefix(maxLabelLength - 1)) + [ascii ? "~" : "…"]
            }
            return characters
        }
        let sourceLabels = sourceTokens.map(label), targetLabels = targetTokens.map(label)
        let labelWidth = targetLabels.map(\.count).max() ?? 0
        let bar = ascii ? "|" : "│"
        let indent = String(repeating: " ", count: labelWidth + 2)   // label, space, bar

        var lines: [String] = []
        let headerHeight = sourceLabels.map(\.count).max() ?? 0
        if headerHeight <= 2 {
            lines.append(indent + sourceLabels.map { String($0) + String(repeating: " ", count: 2 - $0.count) }.joined())
        } else {
            for k in 0..<headerHeight {
                lines.append(indent + sourceLabels.map { k < $0.count ? String($0[k]) + " " : "  " }.joined())
            }
        }
        // Trailing spaces in the header carry nothing (the matrix rows keep theirs: a blank
        // cell is a weight near 0, and the closing bar shows where the row ends).
        lines = lines.map { line in
            var line = line
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }

        let finite = weights.joined().filter(\.isFinite)
        let top = normalized ? Swift.max(finite.max() ?? 1, .leastNormalMagnitude) : 1
        for (row, targetLabel) in zip(weights, targetLabels) {
            let padded = String(repeating: " ", count: labelWidth - targetLabel.count) + String(targetLabel)
            let cells = row.map { weight in weight.isFinite ? Self.cell(weight / top, style) : "??" }
            // The reset ends the last cell's colour so it cannot bleed into the bar or into the
            // following lines (a terminal keeps the background until told otherwise).
            lines.append(padded + " " + bar + cells.joined() + (style == .trueColor ? Self.reset : "") + bar)
        }

        let steps = style == .trueColor ? 10 : Self.ramp(style).count
        let legend = (0..<steps).map { Self.cell(Float($0) / Float(steps - 1), style) }.joined()
        let topLabel = normalized ? formatFixed(Double(top), 2) : "1"
        lines.append(String(repeating: " ", count: labelWidth) + "0 " + legend
                     + (style == .trueColor ? Self.reset : "") + " " + topLabel)
        return lines.joined(separator: "\n")
    }

    /// The SGR code that restores the default colours.
    private static let reset = "\u{1B}[0m"

    /// The shading characters of a text style, lightest first.
    private static func ramp(_ style: Style) -> [Character] {
        style == .ascii ? Array(" .:-=+*#%@") : Array(" ░▒▓█")
    }

    /// One two-character cell for a weight (clamped to 0…1).
    private static func cell(_ weight: Float, _ style: Style) -> String {
        let value = Swift.min(1, Swift.max(0, weight))
        switch style {
        case .trueColor:
            let (r, g, b) = viridis(value)
            return "\u{1B}[48;2;\(r);\(g);\(b)m  "
        case .shades, .ascii:
            // Equal-width bins, the top one closed: with n levels, [k/n, (k+1)/n) is level k,
            // so only weights of at least (n-1)/n reach the darkest character.
            let characters = ramp(style)
            let level = Swift.min(characters.count - 1, Int(value * Float(characters.count)))
            return String(repeating: characters[level], count: 2)
        }
    }

    /// The viridis colour map (matplotlib's default) at `value` in 0…1, interpolated linearly
    /// between nine of its published samples: close enough to the 256-entry table for a
    /// terminal, and small enough to read.
    private static func viridis(_ value: Float) -> (Int, Int, Int) {
        let stops: [(Float, Float, Float)] = [
            (68, 1, 84), (71, 44, 123), (59, 82, 139), (44, 113, 142), (33, 145, 140),
            (40, 174, 128), (94, 201, 98), (170, 220, 50), (253, 231, 37),
        ]
        let position = value * Float(stops.count - 1)
        let low = Swift.min(stops.count - 2, Int(position))
        let t = position - Float(low)
        let (a, b) = (stops[low], stops[low + 1])
        func mix(_ x: Float, _ y: Float) -> Int { Int((x + (y - x) * t).rounded()) }
        return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
