// What the end-to-end tests need from the build: the course checkout, the `lectern`
// executable and the reference library built next to the tests, and a way to run a process
// and collect what it printed.
import Foundation
import XCTest

enum BuildProducts {
    /// The course checkout (this file is Tests/LecternCLITests/BuildProducts.swift).
    static let course = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build folder holding the tests, `lectern`, `libLectern` and `Modules/`.
    static func directory() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle(for: Marker.self).bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lectern").path) {
            return directory.resolvingSymlinksInPath()
        }
        XCTFail("the lectern executable was not built next to the tests (looked in \(candidates.map(\.path))): run `swift build` first")
        throw XCTSkip("no lectern executable")
    }

    /// The built `lectern`.
    static func lectern() throws -> URL { try directory().appendingPathComponent("lectern") }

    /// Runs `executable` with `arguments` in `directory`, with `environment` added; returns its
    /// status and both outputs.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL = course,
                    environment: [String: String?] = [:]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    private final class Marker {}
}
