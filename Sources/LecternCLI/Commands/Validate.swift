// `lectern validate [lesson] [--json]`: the instructor's check before a release (and CI's).
import ArgumentParser
import Foundation
import LecternRunner

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check lessons: format, starters fail, solutions pass, cells run.",
        discussion: "Prints each problem as `file:line: what is wrong`. Exit status 1 when there is any problem.")

    @Argument(help: "One lesson (default: the whole course).")
    var lesson: String?

    @Flag(help: "Print the problems as a JSON array of {file, line, message}.")
    var json = false

    @OptionGroup var options: CourseOptions

    func run() throws {
        var problems: [LessonDiagnostic] = []
        try guarded {
            let context = try Context.load(options, materialize: false)
            let lessons = try lesson.map { [try context.course.lesson(named: $0)] }
            let validator = CourseValidator(toolchain: try context.toolchain(), course: context.course)
            let quiet = json
            problems = try validator.validate(lessons: lessons) { line in if !quiet { printError(line) } }
            if json {
                let objects = problems.map { ["file": $0.file, "line": $0.line, "message": $0.message] as [String: Any] }
                let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                for problem in problems { print(problem.description) }
                let count = (lessons ?? context.course.lessons).count
                print(problems.isEmpty ? context.style.green("✓ \(count) lesson\(count == 1 ? "" : "s") valid")
                                       : context.style.red("✗ \(problems.count) problem\(problems.count == 1 ? "" : "s")"))
            }
        }
        if !problems.isEmpty { throw Exit.failed }
    }
}
