// `lectern check [exercise] [--json] [--all]`: grade an exercise against its visible and
// hidden tests.
import ArgumentParser
import Foundation
import LecternRunner

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade an exercise (default: the one you are working on).",
        discussion: """
        Exit status: 0 every test passed, 1 some test failed (or the code does not compile), \
        2 usage or lesson error. --json prints Exercism's results.json (version 3) with points.
        """)

    @Argument(help: "The exercise id (see `lectern list`).")
    var exercise: String?

    @Flag(help: "Print the results as JSON (Exercism results.json v3, plus points and max_points).")
    var json = false

    @Flag(help: "Grade every exercise (rebuilds your progress after a lost or corrupt progress file).")
    var all = false

    @OptionGroup var options: CourseOptions

    func validate() throws {
        if all && exercise != nil { throw ValidationError("give an exercise id or --all, not both") }
    }

    func run() throws {
        var allPassed = true
        try guarded {
            var context = try Context.load(options, materialize: true)
            let targets = all ? context.course.allExercises : [try context.exercise(exercise)]
            var reports: [GradeReport] = []
            for (lesson, exercise) in targets {
                let report = try context.grade(lesson, exercise)
                reports.append(report)
                allPassed = allPassed && report.status == .pass
                if json { continue }
                if all {
                    let mark = report.status == .pass ? context.style.green("✓") : context.style.red("✗")
                    print("\(mark) \(exercise.id.padding(toLength: 24, withPad: " ", startingAt: 0)) \(report.points)/\(report.maxPoints) points")
                } else {
                    print(ReportPrinter(style: context.style, root: context.course.root).format(report, title: "Lesson \(lesson.number) · \(exercise.title)"))
                    print(Check.nextStep(after: report, context: context))
                }
            }
            if json {
                let data = reports.count == 1 ? reports[0].resultsJSON()
                    : Data(("[" + reports.map { String(decoding: $0.resultsJSON(), as: UTF8.self) }.joined(separator: ",\n") + "]").utf8)
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        }
        if !allPassed { throw Exit.failed }
    }

    /// What to do after a check.
    static func nextStep(after report: GradeReport, context: Context) -> String {
        let style = context.style
        if report.status == .pass {
            if let (lesson, next) = context.currentExercise {
                return style.green("Solved! ") + "Next: \(next.title) — " + style.cyan(Grader.displayPath(of: context.file(lesson, next)))
                    + style.dim("  (lectern check \(next.id))")
            }
            return style.green("Solved! ") + "That was the last exercise of the course."
        }
        let hints = (try? context.course.exercise(id: report.exerciseID))?.exercise.hints.count ?? 0
        let used = context.state.exercises[report.exerciseID]?.hintsRevealed ?? 0
        return hints > used ? style.dim("Stuck? `lectern hint \(report.exerciseID)` (\(hints - used) hint\(hints - used == 1 ? "" : "s") left)") : ""
    }
}
