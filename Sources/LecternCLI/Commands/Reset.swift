// `lectern reset <exercise>`: put the starter code back, keeping a backup of the student's file.
import ArgumentParser
import Foundation
import LecternRunner

struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore an exercise's starter code (your version is backed up first).")

    @Argument(help: "The exercise id.")
    var exercise: String

    @OptionGroup var options: CourseOptions

    func run() throws {
        try guarded {
            let context = try Context.load(options)
            let (lesson, exercise) = try context.course.exercise(id: self.exercise)
            let backup = try context.workspace.reset(lesson: lesson, exercise: exercise)
            let path = Grader.displayPath(of: context.file(lesson, exercise))
            if let backup {
                print("Your version is saved as \(context.style.cyan(Grader.displayPath(of: backup))).")
            }
            print("\(path) holds the starter code again.")
        }
    }
}
