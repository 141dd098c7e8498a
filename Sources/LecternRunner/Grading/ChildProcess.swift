// Runs a program as a child process with a wall-clock limit, its standard output and standard
// error going to one file. Student code runs this way, so nothing it does can hang or crash
// the runner: on timeout the child is killed, and whatever it printed stays on disk, where the
// runner reads only as much as it wants.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum ChildExit: Equatable, Sendable {
    /// It exited by itself with this status.
    case exited(Int32)
    /// A signal ended it (a crash: SIGILL/SIGTRAP for a Swift runtime trap, SIGSEGV, SIGXFSZ…).
    case signaled(Int32)
    /// It ran past its time limit and was killed.
    case timedOut
}

/// A child process run to completion (or to its time limit).
public struct ChildProcess {
    /// The program to run.
    public var executable: URL
    /// Its arguments.
    public var arguments: [String] = []
    /// Variables added to (or replacing) the runner's own environment.
    public var environment: [String: String] = [:]
    /// The folder it runs in.
    public var directory: URL?
    /// Where standard output and standard error both go (created or truncated).
    public var outputFile: URL
    /// Seconds before the child is killed.
    public var timeout: Double

    /// A child process running `executable` with output to `outputFile`.
    public init(executable: URL, arguments: [String] = [], environment: [String: String] = [:],
                directory: URL? = nil, outputFile: URL, timeout: Double) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.outputFile = outputFile
        self.timeout = timeout
    }

    /// Runs the child and waits for it. Throws only when it cannot be started at all.
    public func run() throws(CourseError) -> (exit: ChildExit, seconds: Double) {
        try run(polling: false, poll: {})
    }

    /// Runs the child and waits for it, calling `poll` about every 40 ms while it runs (to
    /// stream its output).
    public func run(poll: () -> Void) throws(CourseError) -> (exit: ChildExit, seconds: Double) {
        try run(polling: true, poll: poll)
    }

    private func run(polling: Bool, poll: () -> Void) throws(CourseError) -> (exit: ChildExit, seconds: Double) {
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        guard let output = FileHandle(forWritingAtPath: outputFile.path) else {
            throw CourseError("cannot write \(outputFile.path)")
        }
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let start = Date()
        do { try process.run() } catch {
            throw CourseError("cannot start \(executable.path): \(error.localizedDescription)")
        }
        let deadline = DispatchTime.now() + timeout
        var done = false
        while !done {
            let step = !polling ? deadline : min(deadline, .now() + 0.04)
            done = finished.wait(timeout: step) == .success
            if polling { poll() }
            if !done && DispatchTime.now() >= deadline {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
                return (.timedOut, Date().timeIntervalSince(start))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        switch process.terminationReason {
        case .exit: return (.exited(process.terminationStatus), seconds)
        case .uncaughtSignal: return (.signaled(process.terminationStatus), seconds)
        @unknown default: return (.exited(process.terminationStatus), seconds)
        }
    }
}

/// Reads at most `limit` bytes of a file from `offset`, as text (invalid UTF-8 repaired).
/// Returns the text and whether more was there.
public func readCapped(_ url: URL, from offset: UInt64 = 0, limit: Int) -> (text: String, truncated: Bool) {
    guard let handle = FileHandle(forReadingAtPath: url.path) else { return ("", false) }
    defer { try? handle.close() }
    try? handle.seek(toOffset: offset)
    let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
    let truncated = data.count > limit
    return (String(decoding: data.prefix(limit), as: UTF8.self), truncated)
}

/// A signal's conventional name, for messages (`SIGSEGV`).
func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: return "SIGILL"
    case SIGTRAP: return "SIGTRAP"
    case SIGABRT: return "SIGABRT"
    case SIGBUS: return "SIGBUS"
    case SIGFPE: return "SIGFPE"
    case SIGKILL: return "SIGKILL"
    case SIGSEGV: return "SIGSEGV"
    case SIGXCPU: return "SIGXCPU"
    case SIGXFSZ: return "SIGXFSZ"
    default: return "signal \(signal)"
    }
}
