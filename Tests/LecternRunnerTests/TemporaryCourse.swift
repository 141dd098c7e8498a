// A course in a temporary folder, for tests that compile and run code. The exercises of these
// courses use plain Swift, so the toolchain has no reference library: the runner tests need
// only the compiler (and stay independent of the models, as the runner itself is).
import Foundation
import XCTest
@testable import LecternRunner

/// A course folder under the temporary directory, removed when the test ends.
struct TemporaryCourse {
    /// The course root.
    let root: URL

    /// A new, empty course (with `Lessons/`), removed when `test` finishes.
    init(_ test: XCTestCase) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-course-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons"), withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        self.root = root
    }

    /// Writes `text` to `path` under the root, creating folders.
    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The course as it is on disk now.
    func load() throws -> Course { try Course.load(root: root) }

    /// `swiftc` with no reference library, and a module cache shared by every test run.
    static func toolchain() throws -> Toolchain {
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-test-no-library")
        try FileManager.default.createDirectory(at: nowhere, withIntermediateDirectories: true)
        return Toolchain(swiftc: try Toolchain.findSwiftc(),
                         library: ReferenceLibrary(modulesDirectory: nowhere, libraryDirectory: nowhere, modules: [], linkedLibraries: []),
                         moduleCache: FileManager.default.temporaryDirectory.appendingPathComponent("lectern-test-module-cache"))
    }
}
