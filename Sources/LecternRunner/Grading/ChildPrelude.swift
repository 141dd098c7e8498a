// Swift source pasted into every program the runner builds from student code: it puts the
// process under resource limits and gives it a private channel (an events file) to report
// progress to the runner.
//
// Why an events file and not stdout: a student's code shares stdout with the test framework,
// so anything read from there can be forged or garbled by a stray `print`. The events file's
// path arrives in an environment variable that the program removes before any student code
// runs, and every event is one `write(2)` of one JSON line.
import Foundation

/// Limits applied to a program built from student code.
public struct ResourceLimits: Sendable, Equatable {
    /// Address space, in bytes (an allocation beyond it fails, and Swift traps).
    public var memoryBytes: UInt64 = 4 << 30
    /// The largest file the program may write, in bytes: its output file. Past this the kernel
    /// sends SIGXFSZ, which is how a program that prints without end is stopped quickly.
    public var outputBytes: UInt64 = 16 << 20
    /// CPU seconds, a backstop behind the runner's wall-clock timeout.
    public var cpuSeconds: UInt64 = 60

    /// The default limits.
    public init() {}
}

/// Generates the prelude source and reads back the events it writes.
enum ChildPrelude {
    /// The environment variable holding the events file path.
    static let eventsVariable = "LECTERN_EVENTS"

    /// Swift source declaring `__Lectern` (set-up and event writing). Needs `Foundation`.
    static func source(limits: ResourceLimits) -> String {
        #"""
        #if canImport(Glibc)
        import Glibc
        #elseif canImport(Darwin)
        import Darwin
        #endif

        /// Written by lectern: resource limits and the events channel. Not part of the lesson.
        enum __Lectern {
            static var events: Int32 = -1

            static func limit(_ resource: Int32, _ value: UInt64) {
                #if os(Linux)
                let id = __rlimit_resource_t(UInt32(resource))
                #else
                let id = resource
                #endif
                var current = rlimit()
                _ = getrlimit(id, &current)
                let wanted = rlim_t(min(value, UInt64(current.rlim_max)))
                var new = rlimit(rlim_cur: wanted, rlim_max: wanted)
                _ = setrlimit(id, &new)
            }

            static func setUp() {
                #if os(Linux)
                limit(Int32(RLIMIT_AS.rawValue), \#(limits.memoryBytes))
                limit(Int32(RLIMIT_FSIZE.rawValue), \#(limits.outputBytes))
                limit(Int32(RLIMIT_CPU.rawValue), \#(limits.cpuSeconds))
                limit(Int32(RLIMIT_CORE.rawValue), 0)
                #else
                limit(RLIMIT_FSIZE, \#(limits.outputBytes))
                limit(RLIMIT_CPU, \#(limits.cpuSeconds))
                limit(RLIMIT_CORE, 0)
                #endif
                if let path = getenv("\#(eventsVariable)") {
                    events = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
                    unsetenv("\#(eventsVariable)")
                }
                setvbuf(stdout, nil, _IOLBF, 0)
            }

            /// The current end of the output file, so the runner can cut the output per event.
            static func offset() -> Int64 {
                fflush(stdout)
                fflush(stderr)
                return Int64(lseek(1, 0, SEEK_CUR))
            }

            static func quote(_ text: String) -> String {
                var out = "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    case "\t": out += "\\t"
                    default:
                        if scalar.value < 0x20 { out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16) }
                        else { out.unicodeScalars.append(scalar) }
                    }
                }
                return out + "\""
            }

            /// Appends one event: `fields` are already-encoded JSON values.
            static func emit(_ kind: String, _ fields: [(String, String)]) {
                guard events >= 0 else { return }
                var line = "{\"e\":\"" + kind + "\",\"o\":" + String(offset())
                for (key, value) in fields { line += ",\"" + key + "\":" + value }
                line += "}\n"
                var bytes = Array(line.utf8)
                _ = bytes.withUnsafeMutableBytes { write(events, $0.baseAddress, $0.count) }
            }
        }

        """#
    }
}

/// One line of an events file, decoded.
struct ChildEvent: Equatable {
    /// `start`, `fail`, `end` (tests) or `cell`, `done` (notebook runs).
    var kind: String
    /// Output-file offset when the event was written.
    var offset: UInt64
    /// The test's name (`Class.testMethod`) for test events.
    var test: String?
    /// The cell index for `cell` events.
    var cell: Int?
    /// A failure's message.
    var message: String?
    /// A failure's file.
    var file: String?
    /// A failure's line.
    var line: Int?
    /// Whether a finished test succeeded.
    var succeeded: Bool?

    /// Reads every complete event line of `url` (a line cut short by a kill is ignored).
    static func read(_ url: URL) -> [ChildEvent] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        var events: [ChildEvent] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let kind = object["e"] as? String else { continue }
            let offset = (object["o"] as? NSNumber)?.int64Value ?? 0
            events.append(ChildEvent(
                kind: kind, offset: UInt64(max(0, offset)),
                test: (object["t"] as? String).map(normalizedTestName),
                cell: (object["c"] as? NSNumber)?.intValue,
                message: object["m"] as? String, file: object["f"] as? String,
                line: (object["l"] as? NSNumber)?.intValue, succeeded: object["ok"] as? Bool))
        }
        return events
    }

    /// XCTest on Linux names a test `Class.testMethod`; on macOS `-[Class testMethod]`.
    static func normalizedTestName(_ name: String) -> String {
        guard name.hasPrefix("-["), name.hasSuffix("]") else { return name }
        return name.dropFirst(2).dropLast().split(separator: " ").joined(separator: ".")
    }
}

