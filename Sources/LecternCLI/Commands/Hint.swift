// `lectern hint <exercise>`: reveal the exercise's hints one at a time.
import ArgumentParser
import Foundation
import LecternRunner

struct Hint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reveal the next hint for an exercise (and repeat the ones you have seen).")

    @Argument(help: "The exercise id (default: the one you are working on).")
    var exercise: String?

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            var context = try Context.load(options)
            let (_, exercise) = try context.exercise(self.exercise)
            print(try Hint.reveal(exercise, context: &context))
        }
    }

    /// Records one more revealed hint and returns the text of every revealed hint.
    static func reveal(_ exercise: Exercise, context: inout Context) throws(CourseError) -> String {
        let style = context.style
        guard !exercise.hints.isEmpty else { return "Exercise \(exercise.id) has no hints. Re-read its section with `lectern read`." }
        let shown = min(exercise.hints.count, (context.state.exercises[exercise.id]?.hintsRevealed ?? 0) + 1)
        context.state = try context.store.update { state in
            state.exercises[exercise.id, default: ExerciseProgress()].hintsRevealed = shown
        }
        let renderer = MarkdownRenderer(style: style, width: min(terminalWidth(), 100))
        var out = ""
        for (index, hint) in exercise.hints.prefix(shown).enumerated() {
            out += style.bold("Hint \(index + 1) of \(exercise.hints.count)") + "\n" + renderer.render(hint) + "\n"
        }
        if shown == exercise.hints.count { out += style.dim("That was the last hint.") + "\n" }
        return out
    }
}
