// `lectern read <lesson>`: the lesson's prose rendered for the terminal.
import ArgumentParser
import Foundation
import LecternRunner

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a lesson in the terminal.",
        discussion: "Plain text when the output is not a terminal or NO_COLOR is set. Long lessons open in `less` on a terminal (set LECTERN_PAGER to choose another pager, or pass --no-pager).")

    @Argument(help: "The lesson: its number (0), name (getting-started) or file name.")
    var lesson: String

    @Flag(help: "Print straight to the terminal instead of a pager.")
    var noPager = false

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            let context = try Context.load(options)
            let lesson = try context.course.lesson(named: self.lesson)
            let renderer = MarkdownRenderer(style: context.style, width: min(terminalWidth(), 100))
            let text = renderer.render(lesson.markdown) { id in
                (try? context.course.exercise(id: id)).map { Grader.displayPath(of: context.file($0.lesson, $0.exercise)) }
            }
            let footer = context.style.dim("Run its cells: lectern run \(lesson.number)") + "\n"
            Pager.show(text + "\n" + footer, enabled: !noPager)
        }
    }
}

/// Shows long text through a pager on a terminal.
enum Pager {
    static func show(_ text: String, enabled: Bool) {
        let environment = ProcessInfo.processInfo.environment
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        guard enabled, isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1, lines > 40 else {
            print(text, terminator: "")
            return
        }
        let command = environment["LECTERN_PAGER"] ?? "less -RFX"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardInput = pipe
        do { try process.run() } catch {
            print(text, terminator: "")
            return
        }
        // A pager that quits early closes the pipe; ignore SIGPIPE rather than die.
        signal(SIGPIPE, SIG_IGN)
        try? pipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
