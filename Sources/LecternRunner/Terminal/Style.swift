// ANSI styling for terminal output, switched off when output is not a terminal or when the
// NO_COLOR convention (https://no-color.org) asks for plain text.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Styles text with ANSI escapes, or leaves it plain.
///
///     let style = Style.detect()          // colour on a TTY without NO_COLOR
///     print(style.bold("Lesson 0"))
public struct Style: Sendable {
    /// Whether escapes are emitted at all.
    public var enabled: Bool

    /// A style that emits escapes when `enabled` is true.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Plain text, no escapes.
    public static let plain = Style(enabled: false)

    /// Colour when standard output is a terminal and `NO_COLOR` is unset or empty
    /// (`LECTERN_COLOR=1` forces colour, for tests and pagers that understand it).
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        if environment["LECTERN_COLOR"] == "1" { return Style(enabled: true) }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .plain }
        if environment["TERM"] == "dumb" { return .plain }
        return Style(enabled: isatty(STDOUT_FILENO) == 1)
    }

    /// Wraps `text` in the SGR code `code` (e.g. "1" bold, "32" green) and a reset.
    public func sgr(_ code: String, _ text: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// `text` in bold.
    public func bold(_ text: String) -> String { sgr("1", text) }
    /// `text` dimmed (secondary information).
    public func dim(_ text: String) -> String { sgr("2", text) }
    /// `text` in italic.
    public func italic(_ text: String) -> String { sgr("3", text) }
    /// `text` underlined.
    public func underline(_ text: String) -> String { sgr("4", text) }
    /// `text` in red (failures).
    public func red(_ text: String) -> String { sgr("31", text) }
    /// `text` in green (passes).
    public func green(_ text: String) -> String { sgr("32", text) }
    /// `text` in yellow (warnings).
    public func yellow(_ text: String) -> String { sgr("33", text) }
    /// `text` in blue.
    public func blue(_ text: String) -> String { sgr("34", text) }
    /// `text` in magenta.
    public func magenta(_ text: String) -> String { sgr("35", text) }
    /// `text` in cyan (commands and paths to act on).
    public func cyan(_ text: String) -> String { sgr("36", text) }
}

/// The width of the terminal in columns (80 when it cannot be told; `COLUMNS` wins).
public func terminalWidth(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    if let text = environment["COLUMNS"], let columns = Int(text), columns > 10 { return columns }
    var size = winsize()
    #if os(Linux)
    let request = UInt(TIOCGWINSZ)
    #else
    let request = TIOCGWINSZ
    #endif
    if ioctl(STDOUT_FILENO, request, &size) == 0, size.ws_col > 10 { return Int(size.ws_col) }
    return 80
}
