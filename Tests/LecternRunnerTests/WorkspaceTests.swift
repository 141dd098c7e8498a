import Foundation
import XCTest
@testable import LecternRunner

/// A throwaway course on disk: `Lessons/00-demo.md` (two exercises), `Lessons/01-more.md`
/// (one exercise) and `Lessons/02-prose.md` (none), in a fresh temporary folder.
private func makeTemporaryCourse(file: StaticString = #filePath, line: UInt = #line) throws -> Course {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("lectern-tests-\(UUID().uuidString)")
        .appendingPathComponent("democourse")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
    let demo = """
        # Lesson 0: Demo

        ## Doubling

        ```swift exercise id=double points=2
        func double(_ x: Int) -> Int {
            fatalError("TODO: double x")
        }
        ```

        ```swift test for=double
        func testDouble() { XCTAssertEqual(double(2), 4) }
        ```

        ## Halving

        ```swift exercise id=halve
        func halve(_ x: Int) -> Int {
            fatalError("TODO: halve x")
        }
        ```

        ```swift test for=halve
        func testHalve() { XCTAssertEqual(halve(4), 2) }
        ```

        """
    let more = """
        # Lesson 1: More

        ## Tripling

        ```swift exercise id=triple
        func triple(_ x: Int) -> Int {
            fatalError("TODO")
        }
        ```

        ```swift test for=triple
        func testTriple() { XCTAssertEqual(triple(1), 3) }
        ```

        """
    try demo.write(to: root.appendingPathComponent("Lessons/00-demo.md"), atomically: true, encoding: .utf8)
    try more.write(to: root.appendingPathComponent("Lessons/01-more.md"), atomically: true, encoding: .utf8)
    try "# Lesson 2: Prose only\n\nNo exercises here.\n".write(to: root.appendingPathComponent("Lessons/02-prose.md"), atomically: true, encoding: .utf8)
    let course = try Course.load(root: root)
    XCTAssertEqual(course.lessons.map(\.slug), ["00-demo", "01-more", "02-prose"], file: file, line: line)
    XCTAssertEqual(course.lessons.map(\.exercises.count), [2, 1, 0], file: file, line: line)
    return course
}

final class WorkspaceTests: XCTestCase {
    var course: Course!
    var workspace: Workspace!
    var scratch: URL { course.root.deletingLastPathComponent() }

    override func setUpWithError() throws {
        course = try makeTemporaryCourse()
        workspace = Workspace(root: Workspace.defaultRoot(course: course, environment: [:]), course: course)
    }

    override func tearDownWithError() throws {
        if let course { try? FileManager.default.removeItem(at: course.root.deletingLastPathComponent()) }
    }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    func contents(of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    // MARK: AtomicFile

    func testAtomicWriteCreatesFoldersReplacesContentAndLeavesNoTemporaryFiles() throws {
        let folder = scratch.appendingPathComponent("atomic/deeper")
        let target = folder.appendingPathComponent("file.txt")
        try AtomicFile.write(Data("first".utf8), to: target)
        XCTAssertEqual(try text(target), "first")
        try AtomicFile.write(Data("second, longer".utf8), to: target)
        XCTAssertEqual(try text(target), "second, longer")
        try AtomicFile.write(Data("3".utf8), to: target)
        XCTAssertEqual(try text(target), "3")
        XCTAssertEqual(contents(of: folder), ["file.txt"], "no temporary file may be left behind")
    }

    func testAtomicWriteKeepsPermissionsOfTheReplacedFile() throws {
        let target = scratch.appendingPathComponent("script.sh")
        try AtomicFile.write(Data("a".utf8), to: target)
        try FileManager.default.setAttributes([.posixPermissions: 0o751], ofItemAtPath: target.path)
        try AtomicFile.write(Data("b".utf8), to: target)
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o751)
    }

    func testAtomicWriteFailureNamesThePathAndLeavesTheTargetAlone() throws {
        // A regular file where the parent folder should be: the write cannot succeed.
        let blocker = scratch.appendingPathComponent("blocker")
        try AtomicFile.write(Data("x".utf8), to: blocker)
        let target = blocker.appendingPathComponent("child.txt")
        XCTAssertThrowsError(try AtomicFile.write(Data("y".utf8), to: target)) { error in
            XCTAssertTrue((error as? CourseError)?.message.contains(blocker.path) ?? false, "\(error)")
        }
        XCTAssertEqual(try text(blocker), "x")
        XCTAssertEqual(contents(of: scratch).filter { $0.contains("lectern-tmp") }, [])
    }

    func testCreateNewNeverReplacesAFile() throws {
        let target = scratch.appendingPathComponent("new/file.txt")
        XCTAssertTrue(try AtomicFile.createNew(Data("mine".utf8), at: target))
        XCTAssertFalse(try AtomicFile.createNew(Data("theirs".utf8), at: target))
        XCTAssertEqual(try text(target), "mine")
        XCTAssertEqual(contents(of: target.deletingLastPathComponent()), ["file.txt"])
    }

    // MARK: Locations

    func testDefaultRootIsInsideTheCourseUnlessTheEnvironmentSaysOtherwise() {
        XCTAssertEqual(Workspace.defaultRoot(course: course, environment: [:]).path,
                       course.root.appendingPathComponent("Workspace").standardizedFileURL.path)
        XCTAssertEqual(Workspace.defaultRoot(course: course, environment: ["LECTERN_WORKSPACE": "/tmp/elsewhere/ws"]).path,
                       "/tmp/elsewhere/ws")
        XCTAssertEqual(Workspace.defaultRoot(course: course, environment: ["LECTERN_WORKSPACE": ""]).path,
                       course.root.appendingPathComponent("Workspace").standardizedFileURL.path)
    }

    func testExerciseAndStateLocations() throws {
        let (lesson, exercise) = try course.exercise(id: "halve")
        XCTAssertEqual(workspace.exerciseURL(lesson: lesson, exercise: exercise).path, workspace.root.path + "/00-demo/halve.swift")
        XCTAssertEqual(workspace.stateURL.path, workspace.root.path + "/.lectern/state.json")
    }

    // MARK: materialize

    func testMaterializeCreatesEveryExerciseFileWithItsStarter() throws {
        let created = try workspace.materialize()
        XCTAssertEqual(created.map { workspace.root.path + "/" + $0.deletingLastPathComponent().lastPathComponent + "/" + $0.lastPathComponent },
                       ["00-demo/double.swift", "00-demo/halve.swift", "01-more/triple.swift"].map { workspace.root.path + "/" + $0 })
        let (lesson, exercise) = try course.exercise(id: "double")
        let file = try text(workspace.exerciseURL(lesson: lesson, exercise: exercise))
        XCTAssertEqual(file, workspace.starterText(lesson: lesson, exercise: exercise))
        XCTAssertTrue(file.hasPrefix("// "), "the file starts with its header comment")
        XCTAssertTrue(file.contains("lectern check double"))
        XCTAssertTrue(file.contains("2 points"))
        XCTAssertTrue(file.contains("Lessons/00-demo.md"))
        XCTAssertTrue(file.hasSuffix(exercise.starter.code), "the starter code follows the header unchanged")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("02-prose").path),
                       "a lesson without exercises gets no folder")
    }

    func testMaterializeNeverOverwritesAnEditedFileAndIsIdempotent() throws {
        try workspace.materialize()
        let (lesson, exercise) = try course.exercise(id: "halve")
        let url = workspace.exerciseURL(lesson: lesson, exercise: exercise)
        let solution = "func halve(_ x: Int) -> Int { x / 2 }\n"
        try solution.write(to: url, atomically: true, encoding: .utf8)
        let package = try text(workspace.packageURL)
        let packageDate = try FileManager.default.attributesOfItem(atPath: workspace.packageURL.path)[.modificationDate] as? Date

        XCTAssertEqual(try workspace.materialize(), [], "nothing is missing, so nothing is created")
        XCTAssertEqual(try workspace.materialize(), [])
        XCTAssertEqual(try text(url), solution)
        XCTAssertEqual(try text(workspace.packageURL), package)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: workspace.packageURL.path)[.modificationDate] as? Date,
                       packageDate, "an unchanged Package.swift is not rewritten")
        XCTAssertEqual(contents(of: url.deletingLastPathComponent()), ["_imports.swift", "double.swift", "halve.swift"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.backupsURL.path), "no backups were needed")
    }

    func testMaterializeRecreatesADeletedFileOnly() throws {
        try workspace.materialize()
        let (lesson, exercise) = try course.exercise(id: "triple")
        let url = workspace.exerciseURL(lesson: lesson, exercise: exercise)
        try FileManager.default.removeItem(at: url)
        XCTAssertEqual(try workspace.materialize().map(\.path), [url.path])
    }

    func testMaterializeRefusesToReplaceAForeignPackageManifest() throws {
        try FileManager.default.createDirectory(at: workspace.root, withIntermediateDirectories: true)
        let foreign = "// swift-tools-version: 6.0\n// my own package\n"
        try foreign.write(to: workspace.packageURL, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try workspace.materialize()) { error in
            XCTAssertTrue("\(error)".contains("not generated by lectern"), "\(error)")
        }
        XCTAssertEqual(try text(workspace.packageURL), foreign)
    }

    func testMaterializeRefusesTheCourseFolderAsWorkspace() throws {
        let inCourse = Workspace(root: course.root, course: course)
        XCTAssertThrowsError(try inCourse.materialize())
        XCTAssertFalse(FileManager.default.fileExists(atPath: course.root.appendingPathComponent("Package.swift").path))
    }

    func testAnEditedGeneratedFileIsBackedUpBeforeItIsRegenerated() throws {
        try workspace.materialize()
        let imports = workspace.root.appendingPathComponent("00-demo/_imports.swift")
        let edited = try text(imports) + "import Dispatch\n"
        try edited.write(to: imports, atomically: true, encoding: .utf8)
        try workspace.materialize()
        XCTAssertEqual(try text(imports), workspace.importsFile)
        let backups = contents(of: workspace.backupsURL)
        XCTAssertEqual(backups.count, 1)
        XCTAssertEqual(try text(workspace.backupsURL.appendingPathComponent(backups[0])), edited)
    }

    // MARK: Package.swift

    func testGeneratedPackageHasATargetPerLessonAndTheRightPath() throws {
        try workspace.materialize()
        let manifest = try text(workspace.packageURL)
        XCTAssertTrue(manifest.hasPrefix("// swift-tools-version: 6.1\n"))
        XCTAssertTrue(manifest.contains("Generated by lectern"))
        XCTAssertTrue(manifest.contains(#"name: "LecternWorkspace""#))
        XCTAssertTrue(manifest.contains(#".package(path: "..")"#), manifest)
        XCTAssertTrue(manifest.contains(#"name: "Lesson00""#))
        XCTAssertTrue(manifest.contains(#"path: "00-demo""#))
        XCTAssertTrue(manifest.contains(#"name: "Lesson01""#))
        XCTAssertTrue(manifest.contains(#"path: "01-more""#))
        XCTAssertFalse(manifest.contains("Lesson02"), "a lesson without exercises has no target")
        XCTAssertTrue(manifest.contains(#".product(name: "Lectern", package: "democourse")"#), manifest)
        XCTAssertEqual(try text(workspace.root.appendingPathComponent("01-more/_imports.swift")), workspace.importsFile)
        XCTAssertTrue(workspace.importsFile.contains("@_exported import LecternCore"))
    }

    func testPackagePathIsRelativeInsideTheCourseAndAbsoluteOutside() {
        let nested = Workspace(root: course.root.appendingPathComponent("a/b"), course: course)
        XCTAssertEqual(nested.coursePath, "../..")
        let outside = Workspace(root: scratch.appendingPathComponent("elsewhere"), course: course)
        XCTAssertEqual(outside.coursePath, course.root.standardizedFileURL.path)
        // A sibling whose name merely starts with the course's is not inside it.
        let sibling = Workspace(root: URL(fileURLWithPath: course.root.path + "-workspace"), course: course)
        XCTAssertEqual(sibling.coursePath, course.root.standardizedFileURL.path)
    }

    // MARK: reset

    func testResetBacksUpTheStudentsVersionAndRestoresTheStarter() throws {
        try workspace.materialize()
        let (lesson, exercise) = try course.exercise(id: "double")
        let url = workspace.exerciseURL(lesson: lesson, exercise: exercise)
        let mine = "func double(_ x: Int) -> Int { x * 2 } // my work\n"
        try mine.write(to: url, atomically: true, encoding: .utf8)

        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let backup = try XCTUnwrap(try workspace.reset(lesson: lesson, exercise: exercise, now: now))
        XCTAssertEqual(backup.deletingLastPathComponent().path, workspace.backupsURL.path)
        XCTAssertEqual(backup.lastPathComponent, "double-\(BackupTimestamp.string(now)).swift")
        XCTAssertEqual(try text(backup), mine)
        XCTAssertEqual(try text(url), workspace.starterText(lesson: lesson, exercise: exercise))
    }

    func testTwoResetsInTheSameSecondKeepTwoBackups() throws {
        try workspace.materialize()
        let (lesson, exercise) = try course.exercise(id: "halve")
        let url = workspace.exerciseURL(lesson: lesson, exercise: exercise)
        let now = Date(timeIntervalSince1970: 1_750_000_000)

        try "first attempt\n".write(to: url, atomically: true, encoding: .utf8)
        let first = try XCTUnwrap(try workspace.reset(lesson: lesson, exercise: exercise, now: now))
        try "second attempt\n".write(to: url, atomically: true, encoding: .utf8)
        let second = try XCTUnwrap(try workspace.reset(lesson: lesson, exercise: exercise, now: now))

        XCTAssertNotEqual(first, second)
        XCTAssertEqual(try text(first), "first attempt\n")
        XCTAssertEqual(try text(second), "second attempt\n")
        XCTAssertEqual(contents(of: workspace.backupsURL).count, 2)
    }

    func testResetWithoutAFileJustWritesTheStarter() throws {
        let (lesson, exercise) = try course.exercise(id: "triple")
        XCTAssertNil(try workspace.reset(lesson: lesson, exercise: exercise))
        XCTAssertEqual(try text(workspace.exerciseURL(lesson: lesson, exercise: exercise)),
                       workspace.starterText(lesson: lesson, exercise: exercise))
    }
}
