// `lectern watch`: re-check the current exercise every time its file is saved, with one-key
// commands for the next exercise, a hint, the list, and quitting.
import ArgumentParser
import Foundation
import LecternRunner
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check your exercise whenever you save it.",
        discussion: "Keys: n next exercise · h hint · l list · c check now · q quit.")

    @Argument(help: "The exercise to start with (default: the one you are working on).")
    var exercise: String?

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            var context = try Context.load(options)
            var (lesson, exercise) = try context.exercise(self.exercise)
            let keys = RawKeys()
            defer { keys.restore() }
            let style = context.style
            func banner() {
                print(style.bold("Watching ") + style.cyan(Grader.displayPath(of: context.file(lesson, exercise)))
                      + style.dim("  — save to check · n next · h hint · l list · c check · q quit"))
            }
            func check() throws(CourseError) {
                if style.enabled { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                let report = try context.grade(lesson, exercise)
                print(ReportPrinter(style: style, root: context.course.root).format(report, title: "Lesson \(lesson.number) · \(exercise.title)"))
                print(Check.nextStep(after: report, context: context))
                banner()
            }
            banner()
            try check()
            var seen = Watch.modificationTime(context.file(lesson, exercise))
            var changedAt: Date?
            while true {
                switch keys.key(timeout: 0.05) {
                case "q", "\u{4}": return
                case "c": try check()
                case "h": print(try Hint.reveal(exercise, context: &context)); banner()
                case "l": print(List.table(context)); banner()
                case "n":
                    let all = context.course.allExercises
                    let start = (all.firstIndex { $0.exercise.id == exercise.id } ?? -1) + 1
                    let rest = all[start...] + all[..<start]
                    guard let next = rest.first(where: { context.state.exercises[$0.exercise.id]?.passed != true }) ?? rest.first else { break }
                    (lesson, exercise) = next
                    context.state = try context.store.update { $0.current = exercise.id }
                    seen = Watch.modificationTime(context.file(lesson, exercise))
                    try check()
                default: break
                }
                // Debounce: editors often write a file in several steps; check once it is quiet.
                let now = Watch.modificationTime(context.file(lesson, exercise))
                if now != seen { seen = now; changedAt = Date() }
                if let at = changedAt, Date().timeIntervalSince(at) >= 0.08 {
                    changedAt = nil
                    try check()
                }
            }
        }
    }

    /// A file's modification time (with its size, to catch same-second saves).
    static func modificationTime(_ url: URL) -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return "missing" }
        #if os(Linux)
        return "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec).\(info.st_size)"
        #else
        return "\(info.st_mtimespec.tv_sec).\(info.st_mtimespec.tv_nsec).\(info.st_size)"
        #endif
    }
}

/// Single key presses from a terminal (no Enter needed), restored on exit and on Ctrl-C.
final class RawKeys {
    private var original = termios()
    private let active: Bool

    init() {
        active = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &original) == 0
        guard active else { return }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        RawKeys.saved = original
        signal(SIGINT) { _ in
            if var saved = RawKeys.saved { _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
            _exit(130)
        }
    }

    /// The terminal settings to restore from the signal handler.
    nonisolated(unsafe) static var saved: termios?

    /// A key pressed within `timeout` seconds, or nil. Without a terminal, just waits.
    func key(timeout: Double) -> Character? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard active else { usleep(UInt32(timeout * 1_000_000)); return nil }
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var byte: UInt8 = 0
        guard readByte(&byte) == 1 else { return nil }
        return Character(Unicode.Scalar(byte))
    }

    private func readByte(_ byte: inout UInt8) -> Int {
        withUnsafeMutablePointer(to: &byte) { read(STDIN_FILENO, $0, 1) }
    }

    /// Puts the terminal back as it was.
    func restore() {
        guard active else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &original)
    }
}
