// The benchmark harness behind `lectern lab bench`: what a case is, how it is timed, and how
// the NumPy / PyTorch reference figures are obtained (Scripts/bench/reference.py, running as a
// Python subprocess for the whole run and asked for one case at a time, so that both sides of
// each case are measured on the same machine within the same few seconds).
//
// Adding a case takes one small file in Cases/ and one line in `BenchCase.all`:
//
//     extension BenchCase {
//         static var myOp: BenchCase {
//             BenchCase(name: "my-op", unit: .milliseconds,
//                       reference: ReferenceSpec(kind: "my_op", params: ["shape": [64, 512]])) {
//                 let x = …                       // inputs: built once, not timed
//                 return { benchKeep(myOp(x)) }   // one call of the operation: timed
//             }
//         }
//     }
//
// plus a function for kind "my_op" in KINDS of Scripts/bench/reference.py, computing the same
// thing on the same shapes (or `reference: nil` when there is nothing to compare with).
// A figure that is not a time per call (memory) comes from `BenchCase.measured(…) { … }`,
// whose closure returns it directly (Cases/GPTTrainStepMemory.swift, with ``ResidentMemory``).
import Foundation
import LecternCore

/// What a case measures, and so how its figure reads.
enum BenchUnit {
    /// Throughput, from the floating-point operations one call performs. Higher is better.
    case gflops(perCall: Double)
    /// Wall time of one call. Lower is better.
    case milliseconds
    /// Wall time of one call divided by the items (decoded tokens, …) it produces, printed as
    /// "ms" like ``milliseconds``. Lower is better.
    case millisecondsPerItem(itemsPerCall: Double)
    /// Throughput, from the bytes of input one call processes (text encoded per second, in
    /// 10^6 bytes). Higher is better.
    case megabytesPerSecond(bytesPerCall: Double)
    /// Memory, in 10^6 bytes (a step's peak resident memory). Lower is better. Not derived from
    /// a time: a case in this unit is a ``BenchCase/measured(name:unit:reference:measure:)`` one.
    case megabytes

    /// The unit as printed and in the JSON: "GFLOP/s", "ms", "MB/s" or "MB".
    var symbol: String {
        switch self {
        case .gflops: "GFLOP/s"
        case .milliseconds, .millisecondsPerItem: "ms"
        case .megabytesPerSecond: "MB/s"
        case .megabytes: "MB"
        }
    }

    /// The figure for one call taking `seconds`.
    func value(seconds: Double) -> Double {
        switch self {
        case let .gflops(flops): flops / seconds / 1e9
        case .milliseconds: seconds * 1e3
        case let .millisecondsPerItem(items): seconds * 1e3 / items
        case let .megabytesPerSecond(bytes): bytes / seconds / 1e6
        case .megabytes: fatalError("BenchUnit: a memory figure is measured directly, not derived from a time")
        }
    }

    /// The better of two figures: the larger throughput, or the shorter time, or the smaller memory.
    func best(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .gflops, .megabytesPerSecond: max(a, b)
        case .milliseconds, .millisecondsPerItem, .megabytes: min(a, b)
        }
    }

    /// How much better we are than the reference: > 1 means we are faster (or smaller), whatever
    /// the unit (ours/ref for throughput, ref/ours for times and memory).
    func ratio(ours: Double, ref: Double) -> Double {
        switch self {
        case .gflops, .megabytesPerSecond: ours / ref
        case .milliseconds, .millisecondsPerItem, .megabytes: ref / ours
        }
    }
}

/// What to ask Scripts/bench/reference.py for: a `kind` (a function in its KINDS table) and
/// its parameters (JSON values: numbers, strings, arrays, objects).
struct ReferenceSpec {
    var kind: String
    var params: [String: Any]
}

/// One benchmark: a name (stable: it is the key in `--json`), a unit, the matching reference
/// computation, and how our figure is obtained (``Body``): most cases are timed, and their
/// `prepare` builds the inputs (untimed) and returns the closure that runs the operation once
/// (timed). The closure must leave a visible effect (write to a buffer, or pass its result to
/// ``benchKeep(_:)``) so the optimizer cannot drop the work.
struct BenchCase {
    var name: String
    var unit: BenchUnit
    var reference: ReferenceSpec?
    var body: Body

    /// How our figure is obtained.
    enum Body {
        /// Timed by the harness (``BenchSettings/secondsPerCall(_:)``): `prepare` builds the
        /// inputs once and returns one call of the operation; the figure is `unit.value(seconds:)`.
        case timed(prepare: () -> () -> Void)
        /// A figure that is not a time per call (the peak memory of a step): the closure builds
        /// what it needs, measures and returns the figure in the case's unit. The harness calls
        /// it once per round, as it would time a timed case, and keeps the best.
        case measured(() -> Double)
    }

    /// A timed case.
    init(name: String, unit: BenchUnit, reference: ReferenceSpec?, prepare: @escaping () -> () -> Void) {
        self.init(name: name, unit: unit, reference: reference, body: .timed(prepare: prepare))
    }

    private init(name: String, unit: BenchUnit, reference: ReferenceSpec?, body: Body) {
        self.name = name
        self.unit = unit
        self.reference = reference
        self.body = body
    }

    /// A case whose figure `measure` returns directly, in `unit` (not a time per call).
    static func measured(name: String, unit: BenchUnit, reference: ReferenceSpec?, measure: @escaping () -> Double) -> BenchCase {
        BenchCase(name: name, unit: unit, reference: reference, body: .measured(measure))
    }

    /// Every case, in the order they run and print.
    static var all: [BenchCase] {
        sgemm + tensorOps + [mlpStep] + lstmSteps + [mhaForward, mhaTrainStep, gptTrainStep, gptTrainStepMemory, bertBaseForward, kvCacheDecode]
            + [bpeLearn] + [encodeByteBPE] + [encodeWordPiece] + miniLMEmbed
    }
}

/// Keeps `value` alive as far as the optimizer can tell, so work whose result is otherwise
/// unused is not removed.
@inline(never)
func benchKeep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Float storage at a fixed address for a case's inputs and outputs, filled with uniform noise
/// in [-1, 1) from a seeded generator, freed when the last closure holding it goes away.
final class BenchBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int, seed: UInt64) {
        self.count = count
        pointer = .allocate(capacity: count)
        var rng = SeededGenerator(seed: seed)
        for index in 0..<count { pointer[index] = rng.nextUniform() * 2 - 1 }
    }

    deinit { pointer.deallocate() }
}

/// The process's resident memory (RSS), in bytes, and its peak since the last
/// ``resetPeak()``, for memory cases. The same figures as Scripts/bench/reference.py reads.
///
/// Linux: VmRSS and VmHWM of /proc/self/status; writing "5" to /proc/self/clear_refs resets
/// VmHWM to the current RSS (Linux ≥ 4.0). macOS: the current RSS from proc_pid_rusage, the
/// peak from getrusage's ru_maxrss, which cannot be reset: there the peak is the process's
/// whole life's, so a memory case gives a true figure only when it runs first.
enum ResidentMemory {
    /// The resident memory now, in bytes; nil if it cannot be read.
    static func current() -> Double? {
        #if os(Linux)
        statusField("VmRSS:")
        #elseif canImport(Darwin)
        var usage = rusage_info_v4()
        let status = withUnsafeMutablePointer(to: &usage) {
            $0.withMemoryRebound(to: rusage_info_t?.self, capacity: 1) { proc_pid_rusage(getpid(), RUSAGE_INFO_V4, $0) }
        }
        return status == 0 ? Double(usage.ri_resident_size) : nil
        #else
        nil
        #endif
    }

    /// The largest resident memory since the last ``resetPeak()`` (Linux) or since the process
    /// started (macOS), in bytes; nil if it cannot be read.
    static func peak() -> Double? {
        #if os(Linux)
        statusField("VmHWM:")
        #elseif canImport(Darwin)
        var usage = rusage()
        return getrusage(RUSAGE_SELF, &usage) == 0 ? Double(usage.ru_maxrss) : nil   // bytes on macOS
        #else
        nil
        #endif
    }

    /// Gives the memory that allocators keep idle back to the system: the tensor buffer cache
    /// (``Tensor/releaseCachedMemory()``) and, on Linux, glibc's free heap (malloc_trim). The
    /// reference calls malloc_trim too, so that neither side starts a measurement with a cache
    /// the steps would otherwise reuse unseen.
    static func releaseIdle() {
        Tensor.releaseCachedMemory()
        #if os(Linux)
        // Not in Swift's Glibc module (malloc.h): looked up at run time.
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// Makes the current resident memory the new peak (Linux; nothing on macOS).
    static func resetPeak() {
        #if os(Linux)
        if let file = fopen("/proc/self/clear_refs", "w") {
            fputs("5", file)
            fclose(file)
        }
        #endif
    }

    #if os(Linux)
    /// A "Name:  1234 kB" line of /proc/self/status, in bytes.
    private static func statusField(_ name: String) -> Double? {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status"),
              let data = try? handle.readToEnd() else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name) {
            return Double(line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first ?? "").map { $0 * 1024 }   // kB
        }
        return nil
    }
    #endif
}

/// How long to warm up and how many repetitions to time. Keep in step with FULL and QUICK in
/// Scripts/bench/reference.py: both sides must be timed the same way.
///
/// `rounds`: each case is measured this many times on each side, alternating which goes first
/// (reference then ours, ours then reference, …), and each side keeps its best figure. Both
/// sides of a case are thus timed within the same few seconds: on a shared machine, a compile
/// that starts while only one side is being timed would otherwise decide the ratio.
struct BenchSettings {
    var warmupSeconds: Double
    var minRepetitionSeconds: Double
    var repetitions: Int
    var rounds: Int

    static let full = BenchSettings(warmupSeconds: 0.2, minRepetitionSeconds: 0.05, repetitions: 10, rounds: 3)
    static let quick = BenchSettings(warmupSeconds: 0.05, minRepetitionSeconds: 0.02, repetitions: 3, rounds: 1)

    /// Seconds per call of `body`: warm up for `warmupSeconds`, double the calls per
    /// repetition until one lasts `minRepetitionSeconds`, then keep the fastest of
    /// `repetitions` timed repetitions (the one least disturbed by other processes).
    func secondsPerCall(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        func time(_ calls: Int) -> Double {
            seconds(clock.measure { for _ in 0..<calls { body() } })
        }
        let start = clock.now
        body()
        while seconds(clock.now - start) < warmupSeconds { body() }
        var calls = 1
        var elapsed = time(calls)
        while elapsed < minRepetitionSeconds {
            calls *= 2
            elapsed = time(calls)
        }
        var best = elapsed / Double(calls)
        for _ in 1..<max(1, repetitions) { best = min(best, time(calls) / Double(calls)) }
        return best
    }
}

/// A running Scripts/bench/reference.py (`--serve`): asked for one case's figure at a time,
/// so the harness can alternate between timing ours and timing the reference.
final class ReferenceSession {
    /// The command that sets up the oracle environment, for messages.
    static let setupHint = "bash Scripts/oracle/setup.sh"

    /// The Python running the script.
    let python: String
    /// The versions the script reported ("python", "numpy", "torch", "blas"; absent when not
    /// imported).
    private(set) var versions: [String: String] = [:]
    /// Why the session stopped answering (the script died, or wrote something unreadable), or nil.
    private(set) var failure: String?

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let errorFile: URL
    private var buffered = Data()

    /// Starts the script with a Python found by ``findPython(courseRoot:environment:)`` and has
    /// it import `libs` (e.g. ["numpy", "torch"]); the error says why it cannot.
    static func start(courseRoot: URL?, environment: [String: String], threads: Int, quick: Bool,
                      libs: [String]) -> Result<ReferenceSession, ReferenceUnavailable> {
        guard let root = courseRoot else {
            return .failure(ReferenceUnavailable("cannot find the course folder (and Scripts/bench/reference.py in it)"))
        }
        let script = root.appendingPathComponent("Scripts/bench/reference.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            return .failure(ReferenceUnavailable("\(script.path) is missing"))
        }
        guard let python = findPython(courseRoot: root, environment: environment) else {
            return .failure(ReferenceUnavailable("no Python found (set LECTERN_PYTHON, or create \(root.path)/.venv-oracle)"))
        }
        // A script that dies must not kill us with SIGPIPE when we write its next request.
        signal(SIGPIPE, SIG_IGN)
        // Standard error goes to a file: only its last line is shown, and a file cannot fill up
        // and stall the child the way an unread pipe can.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-bench-\(getpid()).stderr")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, "--serve"]
        process.currentDirectoryURL = root
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try? FileHandle(forWritingTo: errorFile)
        do { try process.run() } catch {
            try? FileManager.default.removeItem(at: errorFile)
            return .failure(ReferenceUnavailable("cannot run \(python): \(error.localizedDescription)"))
        }
        let session = ReferenceSession(python: python, process: process, input: stdin.fileHandleForWriting,
                                       output: stdout.fileHandleForReading, errorFile: errorFile, threads: threads, quick: quick)
        // The first request imports the libraries and reports their versions.
        guard session.request(["libs": libs, "cases": [[String: Any]]()]) != nil else {
            let why = session.failure ?? "no answer"
            session.close()
            return .failure(ReferenceUnavailable(why))
        }
        return .success(session)
    }

    private let threads: Int
    private let quick: Bool

    private init(python: String, process: Process, input: FileHandle, output: FileHandle, errorFile: URL, threads: Int, quick: Bool) {
        self.python = python
        self.process = process
        self.input = input
        self.output = output
        self.errorFile = errorFile
        self.threads = threads
        self.quick = quick
    }

    /// The reference figure for `bench` in its unit, or why there is none.
    func measure(_ bench: BenchCase) -> Result<Double, ReferenceUnavailable> {
        guard let spec = bench.reference else { return .failure(ReferenceUnavailable("no reference for this case")) }
        let entry = ["name": bench.name, "kind": spec.kind, "unit": bench.unit.symbol, "params": spec.params] as [String: Any]
        guard let results = request(["cases": [entry]])?["results"] as? [String: Any] else {
            return .failure(ReferenceUnavailable(failure ?? "no answer"))
        }
        let figure = results[bench.name] as? [String: Any]
        if let value = (figure?["value"] as? NSNumber)?.doubleValue, value.isFinite, value > 0 { return .success(value) }
        return .failure(ReferenceUnavailable(figure?["error"] as? String ?? "no figure"))
    }

    /// Sends one request line and reads one response line; nil (and `failure` set) when the
    /// script is gone or answers nonsense.
    private func request(_ fields: [String: Any]) -> [String: Any]? {
        guard failure == nil else { return nil }
        var message = fields
        message["threads"] = threads
        message["quick"] = quick
        guard let data = try? JSONSerialization.data(withJSONObject: message) else {
            failure = "cannot encode a request as JSON"
            return nil
        }
        do { try input.write(contentsOf: data + Data("\n".utf8)) } catch {
            failure = diedMessage()
            return nil
        }
        guard let line = readLine() else {
            failure = diedMessage()
            return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            failure = "reference.py wrote something that is not JSON: \(String(decoding: line.prefix(200), as: UTF8.self))"
            return nil
        }
        if let error = object["error"] as? String {
            failure = "reference.py: \(error)"
            return nil
        }
        for (key, value) in object["versions"] as? [String: Any] ?? [:] {
            if let text = value as? String { versions[key] = text }
        }
        return object
    }

    /// The next line of the script's output, without its newline; nil at end of output.
    private func readLine() -> Data? {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            buffered.append(chunk)
        }
    }

    /// Why the script stopped: its exit status and the last line of its standard error.
    private func diedMessage() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let last = String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
            .split(separator: "\n").last.map(String.init)
        return "reference.py stopped (status \(process.terminationStatus))" + (last.map { ": \($0)" } ?? "")
    }

    /// Closes the script's input (it then exits) and waits for it.
    func close() {
        try? input.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// `$LECTERN_PYTHON`, else `<course>/.venv-oracle/bin/python`, else `python3` on `PATH`.
    static func findPython(courseRoot: URL?, environment: [String: String]) -> String? {
        let fileManager = FileManager.default
        if let explicit = environment["LECTERN_PYTHON"], !explicit.isEmpty { return explicit }
        if let root = courseRoot {
            let venv = root.appendingPathComponent(".venv-oracle/bin/python").path
            if fileManager.isExecutableFile(atPath: venv) { return venv }
        }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3").path
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Why there is no reference figure.
struct ReferenceUnavailable: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
