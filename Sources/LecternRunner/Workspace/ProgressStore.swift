// The student's progress: one small JSON file, `<workspace>/.lectern/state.json`.
//
// Progress is a record of results, never the only copy of anything the student wrote: their code
// lives in the exercise files, and every score can be recomputed from them with
// `lectern check --all`. So a lost or damaged state file costs a re-grade, not work; this file
// makes sure it costs nothing more. It is written atomically (no torn file after a crash), a
// damaged one is moved aside instead of deleted (the student or a maintainer can still look at
// it), and the message says exactly what happened and how to get the scores back.
//
// The JSON is pretty-printed with sorted keys and ISO-8601 dates, so it reads well and diffs
// cleanly if a student keeps their workspace under version control.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the student has done on one exercise.
public struct ExerciseProgress: Codable, Equatable, Sendable {
    /// Whether the last check passed every test.
    public var passed: Bool
    /// Points earned by the last check.
    public var points: Int
    /// Points available.
    public var maxPoints: Int
    /// How many times the exercise was checked.
    public var attempts: Int
    /// How many hints `lectern hint` has revealed.
    public var hintsRevealed: Int
    /// When it was last checked.
    public var lastChecked: Date?
    /// When it first passed.
    public var firstPassed: Date?

    /// Progress with the given values; the defaults describe an untouched exercise.
    public init(passed: Bool = false, points: Int = 0, maxPoints: Int = 0, attempts: Int = 0, hintsRevealed: Int = 0,
                lastChecked: Date? = nil, firstPassed: Date? = nil) {
        self.passed = passed
        self.points = points
        self.maxPoints = maxPoints
        self.attempts = attempts
        self.hintsRevealed = hintsRevealed
        self.lastChecked = lastChecked
        self.firstPassed = firstPassed
    }

    /// Decodes leniently: a missing field takes its default, so a field added in a later
    /// version of lectern does not make older files unreadable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(passed: try container.decodeIfPresent(Bool.self, forKey: .passed) ?? false,
                  points: try container.decodeIfPresent(Int.self, forKey: .points) ?? 0,
                  maxPoints: try container.decodeIfPresent(Int.self, forKey: .maxPoints) ?? 0,
                  attempts: try container.decodeIfPresent(Int.self, forKey: .attempts) ?? 0,
                  hintsRevealed: try container.decodeIfPresent(Int.self, forKey: .hintsRevealed) ?? 0,
                  lastChecked: try container.decodeIfPresent(Date.self, forKey: .lastChecked),
                  firstPassed: try container.decodeIfPresent(Date.self, forKey: .firstPassed))
    }
}

/// Everything in the state file.
public struct ProgressState: Codable, Equatable, Sendable {
    /// The file format version this lectern reads and writes.
    public static let currentVersion = 1

    /// The file format version.
    public var version: Int = ProgressState.currentVersion
    /// The exercise the student is working on (what `lectern` with no arguments resumes).
    public var current: String?
    /// Progress by exercise id.
    public var exercises: [String: ExerciseProgress]

    /// A state; the defaults describe a student who has not started.
    public init(version: Int = ProgressState.currentVersion, current: String? = nil, exercises: [String: ExerciseProgress] = [:]) {
        self.version = version
        self.current = current
        self.exercises = exercises
    }

    /// `version` is required (it is what tells a progress file from any other JSON); the rest
    /// may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(version: try container.decode(Int.self, forKey: .version),
                  current: try container.decodeIfPresent(String.self, forKey: .current),
                  exercises: try container.decodeIfPresent([String: ExerciseProgress].self, forKey: .exercises) ?? [:])
    }
}

/// Reads and writes the state file.
///
///     let store = ProgressStore(url: workspace.stateURL)
///     let (state, warning) = store.load()
///     if let warning { print(warning) }
///     try store.update { $0.exercises["softmax", default: .init()].attempts += 1 }
public struct ProgressStore: Sendable {
    /// The state file.
    public var url: URL

    /// A store for the state file at `url` (usually ``Workspace/stateURL``).
    public init(url: URL) {
        self.url = url
    }

    /// The saved state. A missing file is a fresh start, with no warning. A file that cannot
    /// be read, is not valid, or has a format version this lectern does not know is moved aside
    /// to `state.json.corrupt-<timestamp>` (never deleted) and a fresh state is returned with a
    /// warning for the student that says so and how to recover.
    public func load() -> (state: ProgressState, warning: String?) {
        guard FileManager.default.fileExists(atPath: url.path) else { return (ProgressState(), nil) }
        let problem: String
        if let data = FileManager.default.contents(atPath: url.path) {
            do {
                let state = try Self.decoder().decode(ProgressState.self, from: data)
                if state.version == ProgressState.currentVersion { return (state, nil) }
                problem = "it is in format version \(state.version), which this version of lectern cannot read (it reads version \(ProgressState.currentVersion))"
            } catch {
                problem = Self.describe(error)
            }
        } else {
            problem = "it cannot be read (check its permissions)"
        }
        return (ProgressState(), warning(problem: problem, movedTo: moveAside()))
    }

    /// Writes `state` atomically: after a crash the file holds either the old or the new state.
    public func save(_ state: ProgressState) throws(CourseError) {
        let data: Data
        do {
            data = try Self.encoder().encode(state) + Data("\n".utf8)
        } catch {
            throw CourseError("cannot encode the progress state: \(error)")
        }
        try AtomicFile.write(data, to: url)
    }

    /// Loads the state, applies `body` and saves the result, which it returns. Other `lectern`
    /// processes updating the same file wait their turn, so two commands run at once (a watcher
    /// and a `lectern hint`) do not lose each other's changes.
    ///
    /// A damaged file is moved aside as by ``load()``; call ``load()`` first to show its
    /// warning.
    @discardableResult
    public func update(_ body: (inout ProgressState) -> Void) throws(CourseError) -> ProgressState {
        let lock = lockFile()
        defer { if let lock { _ = close(lock) } }
        var state = load().state
        body(&state)
        try save(state)
        return state
    }

    // MARK: - Details

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Takes an exclusive lock on a sibling lock file, blocking until it is free; returns its
    /// descriptor (closing it releases the lock), or nil when locking is impossible, in which
    /// case the update goes ahead unlocked: progress is cheap to recompute, code is untouched.
    private func lockFile() -> Int32? {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("." + url.lastPathComponent + ".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT, mode_t(0o666))
        guard descriptor >= 0 else { return nil }
        // flock, not lockf/fcntl: its lock belongs to this open file, so two threads of one
        // process exclude each other too, and closing another descriptor cannot drop it.
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            _ = close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Renames the damaged file to `state.json.corrupt-<timestamp>` (with `-2`, `-3`, … if
    /// that name is taken); returns the new location, or why it could not be moved.
    private func moveAside() -> Result<URL, CourseError> {
        let stamp = BackupTimestamp.string(Date())
        var lastError = "no free name"
        for attempt in 1...1000 {
            let name = url.lastPathComponent + ".corrupt-" + stamp + (attempt == 1 ? "" : "-\(attempt)")
            let destination = url.deletingLastPathComponent().appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: destination.path) { continue }
            do {
                // moveItem refuses to replace an existing file, so an earlier damaged copy is kept.
                try FileManager.default.moveItem(at: url, to: destination)
                return .success(destination)
            } catch {
                if FileManager.default.fileExists(atPath: destination.path) { continue }
                lastError = AtomicFile.reason(of: error)
                break
            }
        }
        return .failure(CourseError(lastError))
    }

    private func warning(problem: String, movedTo: Result<URL, CourseError>) -> String {
        var text = "Your progress file \(url.path) could not be used: \(problem).\n"
        switch movedTo {
        case let .success(destination):
            text += "It was moved to \(destination.path) (nothing was deleted), and progress starts afresh.\n"
        case let .failure(error):
            text += "It could not be moved aside (\(error.message)); it will be replaced the next time progress is saved, so copy it elsewhere now if you want to keep it.\n"
        }
        text += "Your code is untouched: the exercise files in the workspace are separate from this file.\n"
        text += "To recover your scores, run `lectern check --all`: it re-grades every exercise."
        return text
    }

    /// A one-line reason for a decoding failure, without Foundation's debugging detail.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it is not a valid progress file (\(error))" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(context) where context.codingPath.isEmpty:
            return "it is not valid JSON"
        case let .dataCorrupted(context):
            return "the value of '\(path(context.codingPath))' is not valid"
        case let .keyNotFound(key, context):
            return "it lacks the field '\(path(context.codingPath + [key]))'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return context.codingPath.isEmpty ? "it does not hold a progress record" : "the field '\(path(context.codingPath))' has the wrong type"
        @unknown default:
            return "it is not a valid progress file"
        }
    }
}
