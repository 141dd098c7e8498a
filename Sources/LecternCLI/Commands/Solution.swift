// `lectern solution <exercise>`: the reference answer, once the student has solved it.
import ArgumentParser
import Foundation
import LecternRunner

struct Solution: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the reference solution of an exercise you have solved.")

    @Argument(help: "The exercise id.")
    var exercise: String

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            let context = try Context.load(options)
            let (lesson, exercise) = try context.course.exercise(id: self.exercise)
            guard context.state.exercises[exercise.id]?.passed == true else {
                throw CourseError("solve \(exercise.id) first (lectern check \(exercise.id)): the reference solution is your reward, not a shortcut")
            }
            let url = context.course.solutionURL(lesson: lesson, exercise: exercise)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw CourseError("this edition of the course has no reference solution for \(exercise.id)")
            }
            print(context.style.bold("Reference solution of \(exercise.id)") + context.style.dim("  (\(context.course.relativePath(url)))"))
            print(SwiftHighlighter.highlight(text, style: context.style))
        }
    }
}
