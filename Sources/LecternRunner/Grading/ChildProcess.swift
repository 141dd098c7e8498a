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
        let pid = process.processIdentifier
        var done = false
        while !done {
            // Wake at least twice a second: Foundation's termination notice can be lost on Linux
            // under load (seen in CI: the child a zombie, the handler never called), so the child
            // is also reaped here directly once it has exited.
            let step = min(deadline, .now() + (polling ? 0.04 : 0.5))
            done = finished.wait(timeout: step) == .success
            if polling { poll() }
            if !done, let exit = ChildProcess.reapIfExited(pid) { return (exit, Date().timeIntervalSince(start)) }
            if !done && DispatchTime.now() >= deadline {
                kill(pid, SIGKILL)
                if finished.wait(timeout: .now() + 5) == .timedOut { _ = ChildProcess.reapIfExited(pid) }
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

extension ChildProcess {
    /// The child's ending if it has exited and was not reaped yet (waitpid without blocking);
    /// nil while it runs, or when Foundation reaped it first (its handler then reports it).
    static func reapIfExited(_ pid: Int32) -> ChildExit? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        // The POSIX status word: low 7 bits the terminating signal (0 for a normal exit), the
        // exit code in bits 8–15.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
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
