// A course is a folder with `Lessons/NN-slug.md` files and their `Solutions/NN-slug/` folders.
import Foundation

/// Problems that stop a command before it can do anything useful.
public struct CourseError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do about it.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// The lessons of a course, parsed, with the locations of their solutions.
///
///     let course = try Course.load(root: URL(fileURLWithPath: "."))
///     let lesson = try course.lesson(named: "0")
public struct Course: Sendable {
    /// The folder holding `Lessons/` and `Solutions/`.
    public var root: URL
    /// The lessons, by number.
    public var lessons: [Lesson]
    /// Format problems found while loading (parser problems plus course-level ones).
    public var diagnostics: [LessonDiagnostic]

    /// Reads every `Lessons/NN-slug.md` under `root`.
    public static func load(root: URL) throws(CourseError) -> Course {
        let lessonsDirectory = root.appendingPathComponent("Lessons")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: lessonsDirectory.path)
        } catch {
            throw CourseError("no Lessons/ folder in \(root.path): run lectern from the course folder, or pass --course DIR")
        }
        var lessons: [Lesson] = []
        var diagnostics: [LessonDiagnostic] = []
        for name in names.sorted() where name.hasSuffix(".md") && name != "README.md" {
            let path = "Lessons/" + name
            guard let (number, slug) = parseFileName(name) else {
                diagnostics.append(LessonDiagnostic(file: path, line: 0, message: "lesson files are named NN-slug.md (two digits, a dash, lower-case words): rename this file"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: lessonsDirectory.appendingPathComponent(name).path),
                  let markdown = String(data: data, encoding: .utf8) else {
                diagnostics.append(LessonDiagnostic(file: path, line: 0, message: "cannot be read as UTF-8 text"))
                continue
            }
            let result = LessonParser.parse(markdown, path: path, slug: slug, number: number)
            lessons.append(result.lesson)
            diagnostics += result.diagnostics
        }
        var course = Course(root: root, lessons: lessons, diagnostics: diagnostics)
        course.diagnostics += course.courseDiagnostics()
        return course
    }

    /// `("00-getting-started.md")` → `(0, "00-getting-started")`.
    static func parseFileName(_ name: String) -> (Int, String)? {
        let slug = String(name.dropLast(3))
        let scalars = Array(slug.unicodeScalars)
        guard scalars.count > 3, scalars[0].properties.numericType != nil, scalars[1].properties.numericType != nil,
              scalars[2] == "-", let number = Int(String(slug.prefix(2))),
              CellInfo.isValidID(String(slug.dropFirst(3))) else { return nil }
        return (number, slug)
    }

    /// Problems that need more than one file to see: ids used twice in the course, exercises
    /// without tests, missing solutions.
    func courseDiagnostics() -> [LessonDiagnostic] {
        var diagnostics: [LessonDiagnostic] = []
        var seen: [String: String] = [:]
        for lesson in lessons {
            for exercise in lesson.exercises {
                let line = exercise.starter.fenceLine
                if let other = seen[exercise.id] {
                    diagnostics.append(LessonDiagnostic(file: lesson.path, line: line, message: "exercise id '\(exercise.id)' is already used in \(other): ids are course-wide, choose another"))
                }
                seen[exercise.id] = "\(lesson.path):\(line)"
                let solution = solutionURL(lesson: lesson, exercise: exercise)
                if !FileManager.default.fileExists(atPath: solution.path) {
                    diagnostics.append(LessonDiagnostic(file: lesson.path, line: line, message: "exercise '\(exercise.id)' has no reference solution: create \(relativePath(solution))"))
                }
                if exercise.visibleTests.isEmpty && hiddenTestClasses(lesson: lesson, exercise: exercise).isEmpty {
                    diagnostics.append(LessonDiagnostic(file: lesson.path, line: line, message: "exercise '\(exercise.id)' has no tests: add a ```swift test for=\(exercise.id) cell or \(relativePath(hiddenTestsURL(lesson: lesson, exercise: exercise)))"))
                }
            }
        }
        return diagnostics
    }

    /// The lesson a student names by number (`0`, `00`), slug, short name or file name.
    public func lesson(named name: String) throws(CourseError) -> Lesson {
        let key = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        let keyLastComponent = key.split(separator: "/").last.map(String.init) ?? key
        if let lesson = lessons.first(where: {
            $0.slug == keyLastComponent || $0.shortName == keyLastComponent || Int(keyLastComponent) == $0.number
        }) {
            return lesson
        }
        let known = lessons.map { "\($0.number) (\($0.shortName))" }.joined(separator: ", ")
        throw CourseError("no lesson '\(name)': the lessons are \(known.isEmpty ? "none yet" : known)")
    }

    /// The exercise with `id`, and its lesson.
    public func exercise(id: String) throws(CourseError) -> (lesson: Lesson, exercise: Exercise) {
        for lesson in lessons {
            if let exercise = lesson.exercises.first(where: { $0.id == id }) { return (lesson, exercise) }
        }
        let ids = lessons.flatMap { $0.exercises.map(\.id) }
        throw CourseError("no exercise '\(id)'\(LessonParser.suggestion(for: id, among: ids)) (`lectern list` shows them all)")
    }

    /// `Solutions/<lesson>/<id>.swift`.
    public func solutionURL(lesson: Lesson, exercise: Exercise) -> URL {
        root.appendingPathComponent("Solutions/\(lesson.slug)/\(exercise.id).swift")
    }

    /// `Solutions/<lesson>/<id>.tests.swift` (optional).
    public func hiddenTestsURL(lesson: Lesson, exercise: Exercise) -> URL {
        root.appendingPathComponent("Solutions/\(lesson.slug)/\(exercise.id).tests.swift")
    }

    /// `Solutions/TestSupport.swift` (optional): helpers shared by every exercise's hidden tests,
    /// compiled with them.
    public var hiddenTestSupportURL: URL {
        root.appendingPathComponent("Solutions/TestSupport.swift")
    }

    /// The test classes of the hidden tests file, or none when it does not exist.
    func hiddenTestClasses(lesson: Lesson, exercise: Exercise) -> [(name: String, methods: [String])] {
        guard let text = try? String(contentsOf: hiddenTestsURL(lesson: lesson, exercise: exercise), encoding: .utf8) else { return [] }
        return SwiftSource.testClasses(in: text).filter { !$0.methods.isEmpty }
    }

    /// `url`'s path relative to the course root, when it is inside it.
    public func relativePath(_ url: URL) -> String {
        let base = root.standardizedFileURL.path, path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    /// Every exercise of the course, in order, with its lesson.
    public var allExercises: [(lesson: Lesson, exercise: Exercise)] {
        lessons.flatMap { lesson in lesson.exercises.map { (lesson, $0) } }
    }
}
