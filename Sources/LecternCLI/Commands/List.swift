// `lectern list [--json]`: every lesson and exercise, with status, points and file.
import ArgumentParser
import Foundation
import LecternRunner

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every lesson and exercise with its status, points and file.")

    @Flag(help: "Print JSON: an array of lessons, each with its exercises.")
    var json = false

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            let context = try Context.load(options)
            if json {
                let lessons: [[String: Any]] = context.course.lessons.map { lesson in
                    ["lesson": lesson.slug, "number": lesson.number, "title": lesson.title,
                     "exercises": lesson.exercises.map { exercise -> [String: Any] in
                        let progress = context.state.exercises[exercise.id]
                        return ["id": exercise.id, "title": exercise.title, "status": List.status(progress),
                                "points": progress?.points ?? 0, "max_points": exercise.points,
                                "path": context.file(lesson, exercise).path]
                     }]
                }
                let data = try? JSONSerialization.data(withJSONObject: lessons, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                FileHandle.standardOutput.write((data ?? Data("[]".utf8)) + Data("\n".utf8))
                return
            }
            print(List.table(context))
        }
    }

    /// `passed`, `failing` or `not started`.
    static func status(_ progress: ExerciseProgress?) -> String {
        guard let progress, progress.attempts > 0 || progress.passed else { return "not started" }
        return progress.passed ? "passed" : "failing"
    }

    static func table(_ context: Context) -> String {
        let style = context.style
        var out = ""
        for lesson in context.course.lessons {
            out += style.bold("Lesson \(lesson.number): \(lesson.title)") + "\n"
            if lesson.exercises.isEmpty { out += style.dim("  no exercises") + "\n" }
            for exercise in lesson.exercises {
                let progress = context.state.exercises[exercise.id]
                let status = status(progress)
                let mark = status == "passed" ? style.green("✓") : (status == "failing" ? style.red("✗") : style.dim("·"))
                let points = "\(progress?.points ?? 0)/\(exercise.points)".padding(toLength: 6, withPad: " ", startingAt: 0)
                out += "  \(mark) \(exercise.id.padding(toLength: 22, withPad: " ", startingAt: 0)) \(points) "
                out += style.dim(Grader.displayPath(of: context.file(lesson, exercise))) + "\n"
            }
        }
        return out
    }
}
