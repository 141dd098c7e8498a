// Word-wrapping of styled inline text for the terminal.
//
// Styling is carried as SGR codes on each piece of text rather than as escapes embedded in the
// text, so that wrapping can measure what the reader sees and so that no escape ever straddles a
// line break (a line that ends inside a colour would bleed it into the indentation of the next).

/// A piece of inline text and the SGR codes in force over it ("1" bold, "36" cyan, …).
struct StyledRun: Equatable {
    /// The text, without escapes.
    var text: String
    /// The SGR codes, outermost first; empty for unstyled text.
    var codes: [String]
}

/// Inline content, as the Markdown walker produces it and the wrapper consumes it.
enum InlineAtom: Equatable {
    /// Prose: every space in it is a place the line may break.
    case text(String, codes: [String])
    /// Text that must stay on one line (inline code, a URL), unless it is longer than a line.
    case glued(String, codes: [String])
    /// A hard line break.
    case lineBreak
}

/// Measuring and wrapping styled text.
enum TextLayout {
    /// The width of `text` as a terminal shows it, counted in unicode scalars, with ANSI CSI
    /// escape sequences (`ESC [ … final`) not counted.
    static func visibleWidth(_ text: some StringProtocol) -> Int {
        var count = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                count += 1
                continue
            }
            // A CSI sequence runs to its final byte (0x40–0x7E); other escapes are two scalars.
            guard let next = scalars.next() else { break }
            if next == "[" {
                while let byte = scalars.next(), !(0x40...0x7E).contains(byte.value) {}
            }
        }
        return count
    }

    /// `text` wrapped to `width` as unstyled prose (or all in `codes`).
    static func wrap(_ text: String, codes: [String] = [], width: Int, style: Style) -> [String] {
        wrap([.text(text, codes: codes)], width: width, style: style)
    }

    /// Lays `atoms` out in lines no wider than `width` (at least 1), breaking at spaces; a word
    /// longer than a whole line is cut, so that no line is ever wider than `width`. Returns no
    /// lines when there are no words at all.
    static func wrap(_ atoms: [InlineAtom], width: Int, style: Style) -> [String] {
        let width = max(width, 1)
        let segments = words(in: atoms)
        guard segments.contains(where: { !$0.isEmpty }) else { return [] }
        var lines: [String] = []
        for segment in segments {
            var line: [StyledRun] = []
            var lineWidth = 0
            func flush() {
                lines.append(render(line, style: style))
                line = []
                lineWidth = 0
            }
            for word in segment {
                if word.width > width {
                    if !line.isEmpty { flush() }
                    let chunks = cut(word.runs, width: width)
                    for chunk in chunks.dropLast() {
                        line = chunk
                        flush()
                    }
                    line = chunks.last ?? []
                    lineWidth = line.reduce(0) { $0 + $1.text.unicodeScalars.count }
                } else if line.isEmpty {
                    line = word.runs
                    lineWidth = word.width
                } else if lineWidth + 1 + word.width <= width {
                    line.append(StyledRun(text: " ", codes: word.spaceCodes))
                    line += word.runs
                    lineWidth += 1 + word.width
                } else {
                    flush()
                    line = word.runs
                    lineWidth = word.width
                }
            }
            // Flushed even when empty: two hard breaks in a row ask for an empty line.
            flush()
        }
        return lines
    }

    /// The line's runs as text, each run in its SGR codes (merged with equal neighbours, so a
    /// bold phrase is one escape pair rather than one per word).
    static func render(_ runs: [StyledRun], style: Style) -> String {
        var merged: [StyledRun] = []
        for run in runs where !run.text.isEmpty {
            if let last = merged.last, last.codes == run.codes {
                merged[merged.count - 1].text += run.text
            } else {
                merged.append(run)
            }
        }
        return merged.map { $0.codes.isEmpty ? $0.text : style.sgr($0.codes.joined(separator: ";"), $0.text) }.joined()
    }

    // MARK: - Words

    /// A run of non-space text, possibly in several styles (`foo**bar**` is one word).
    private struct Word {
        var runs: [StyledRun] = []
        var width = 0
        /// The codes of the space before the word, so an underlined link keeps its underline
        /// across the gap between its words.
        var spaceCodes: [String] = []

        mutating func append(_ text: String, codes: [String]) {
            if let last = runs.last, last.codes == codes {
                runs[runs.count - 1].text += text
            } else {
                runs.append(StyledRun(text: text, codes: codes))
            }
            width += text.unicodeScalars.count
        }
    }

    /// The words of `atoms`, in segments separated by hard line breaks.
    private static func words(in atoms: [InlineAtom]) -> [[Word]] {
        var segments: [[Word]] = [[]]
        var word: Word?
        var pendingSpace: [String]?
        func add(_ text: String, codes: [String]) {
            if word == nil {
                word = Word(spaceCodes: pendingSpace ?? [])
                pendingSpace = nil
            }
            word?.append(text, codes: codes)
        }
        func finishWord() {
            if let finished = word { segments[segments.count - 1].append(finished) }
            word = nil
        }
        for atom in atoms {
            switch atom {
            case .lineBreak:
                finishWord()
                segments.append([])
                pendingSpace = nil
            case let .glued(text, codes):
                add(text, codes: codes)
            case let .text(text, codes):
                var chunk = String.UnicodeScalarView()
                for scalar in text.unicodeScalars {
                    if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                        if !chunk.isEmpty {
                            add(String(chunk), codes: codes)
                            chunk = String.UnicodeScalarView()
                        }
                        finishWord()
                        pendingSpace = codes
                    } else {
                        chunk.append(scalar)
                    }
                }
                if !chunk.isEmpty { add(String(chunk), codes: codes) }
            }
        }
        finishWord()
        return segments
    }

    /// A word too long for a line, cut into lines of `width` scalars (the last may be shorter).
    private static func cut(_ runs: [StyledRun], width: Int) -> [[StyledRun]] {
        var chunks: [[StyledRun]] = [[]]
        var used = 0
        for run in runs {
            var buffer = String.UnicodeScalarView()
            for scalar in run.text.unicodeScalars {
                if used == width {
                    if !buffer.isEmpty {
                        chunks[chunks.count - 1].append(StyledRun(text: String(buffer), codes: run.codes))
                        buffer = String.UnicodeScalarView()
                    }
                    chunks.append([])
                    used = 0
                }
                buffer.append(scalar)
                used += 1
            }
            if !buffer.isEmpty { chunks[chunks.count - 1].append(StyledRun(text: String(buffer), codes: run.codes)) }
        }
        return chunks
    }
}
