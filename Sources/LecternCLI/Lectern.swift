// `lectern`: the command line students and instructors use every day. This executable is the
// composition root: it is the only module that knows both the runner and the reference
// library, and it tells the runner where the library's build products are.
import ArgumentParser

/// The `lectern` command.
@main
struct Lectern: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lectern",
        abstract: "A hands-on course on sequence models, in Swift.",
        discussion: """
        Run `lectern` with no arguments to see the course map, your progress and what to do next.

        Students: read, run, check, watch, hint, reset, solution, list.
        Instructors: validate (every starter fails, every solution passes, every cell runs).
        """,
        subcommands: [Home.self, Read.self, Run.self, Check.self, Watch.self, Hint.self, Reset.self,
                      Solution.self, List.self, Validate.self, Warm.self, Lab.self],
        defaultSubcommand: Home.self
    )
}
