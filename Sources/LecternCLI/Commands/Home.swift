// `lectern` with no arguments: the course map, progress per lesson, and the next step.
import ArgumentParser
import Foundation
import LecternRunner

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show the course map, your progress, and what to do next (the default).")

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            let context = try Context.load(options)
            print(Home.map(context))
        }
    }

    static func map(_ context: Context) -> String {
        let style = context.style
        var out = style.bold("Lectern") + style.dim(" — sequence models, hands on") + "\n\n"
        let current = context.currentExercise
        for lesson in context.course.lessons {
            let total = lesson.exercises.count
            let solved = lesson.exercises.filter { context.state.exercises[$0.id]?.passed == true }.count
            let points = lesson.exercises.reduce(0) { $0 + (context.state.exercises[$1.id]?.points ?? 0) }
            let maxPoints = lesson.exercises.reduce(0) { $0 + $1.points }
            let mark = total > 0 && solved == total ? style.green("✓") : (current?.lesson.slug == lesson.slug ? style.cyan("▸") : " ")
            let title = lesson.title.padding(toLength: 34, withPad: " ", startingAt: 0)
            let bar = progressBar(solved, total, style: style)
            out += " \(mark) \(String(format: "%2d", lesson.number))  \(title) \(bar) "
            out += style.dim(total == 0 ? "no exercises" : "\(solved)/\(total) exercises · \(points)/\(maxPoints) points") + "\n"
        }
        out += "\n"
        let attempted = !context.state.exercises.isEmpty
        if let (lesson, exercise) = current {
            let path = Grader.displayPath(of: context.file(lesson, exercise))
            if !attempted {
                out += style.bold("Start here: ") + "read Lesson \(lesson.number) — " + style.cyan("lectern read \(lesson.number)") + "\n"
                out += style.dim("  then run its cells with ") + "lectern run \(lesson.number)" + "\n"
            } else {
                out += style.bold("Next: ") + "\(exercise.title) " + style.dim("(exercise \(exercise.id), Lesson \(lesson.number), \(exercise.points) points)") + "\n"
            }
            out += "  edit   " + style.cyan(path) + "\n"
            out += "  check  " + style.cyan("lectern check \(exercise.id)") + style.dim("   (or `lectern watch` to check on every save)") + "\n"
            out += "  stuck? " + style.cyan("lectern hint \(exercise.id)") + "\n"
        } else if !context.course.allExercises.isEmpty {
            out += style.green("Every exercise is solved. Well done!") + " `lectern list` shows your points.\n"
        }
        return out
    }

    static func progressBar(_ done: Int, _ total: Int, style: Style) -> String {
        let width = 10
        let filled = total == 0 ? 0 : width * done / total
        return style.green(String(repeating: "█", count: filled)) + style.dim(String(repeating: "░", count: width - filled))
    }
}
