// Writing files so that a crash, a full disk or a killed process never leaves a half-written
// file where a good one used to be. The student's exercise files and their progress live in
// files lectern writes, and "nothing a student wrote is ever lost" rests on these two calls:
//
// - `write` replaces a file atomically: the new bytes go to a temporary file in the same folder
//   (a rename is only atomic within one file system), are flushed to disk with fsync, and the
//   temporary file is renamed over the target. Readers see the old file or the new one, never
//   a mix.
// - `createNew` creates a file only if nothing is at that path yet, also atomically; it is
//   how starter code and backups are written without any chance of replacing a student's file,
//   even if the student (or their editor) creates it at the same moment.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file writes.
///
///     try AtomicFile.write(Data("{}".utf8), to: stateURL)
public enum AtomicFile {
    /// Replaces the contents of `url` with `data` atomically, creating the parent folder if
    /// needed. An existing file keeps its permissions. On failure the target is untouched and
    /// no temporary file is left behind.
    public static func write(_ data: Data, to url: URL) throws(CourseError) {
        let target = url.path
        try createParent(of: url)
        let temporary = try writeTemporary(data, besides: url)
        if posixRename(temporary, target) != 0 {
            let reason = lastError()
            _ = unlink(temporary)
            throw CourseError("cannot write \(target): \(reason) (the previous version, if any, is unchanged)")
        }
        syncDirectory(of: url)
    }

    /// Creates `url` holding `data` only if no file exists at that path; never replaces one.
    /// Returns false (and writes nothing) when something is already there. The file appears
    /// complete or not at all.
    @discardableResult
    public static func createNew(_ data: Data, at url: URL) throws(CourseError) -> Bool {
        let target = url.path
        try createParent(of: url)
        let temporary = try writeTemporary(data, besides: url)
        defer { _ = unlink(temporary) }
        // link(2) fails with EEXIST instead of replacing the target, which rename(2) would do;
        // afterwards the temporary name is just removed and the target keeps the data.
        if link(temporary, target) == 0 {
            syncDirectory(of: url)
            return true
        }
        let code = errno
        if code == EEXIST { return false }
        // Some file systems (FAT, some network mounts) have no hard links: fall back to an
        // exclusive create, which is just as safe against overwriting, if not quite as atomic.
        guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EXDEV || code == EMLINK else {
            throw CourseError("cannot create \(target): \(String(cString: strerror(code)))")
        }
        return try createExclusively(data, at: target)
    }

    // MARK: - Pieces

    private static func createParent(of url: URL) throws(CourseError) {
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw CourseError("cannot create the folder \(parent.path) for \(url.lastPathComponent): \(reason(of: error))")
        }
    }

    /// Writes `data` to a new, uniquely named hidden file in `url`'s folder and fsyncs it;
    /// returns its path. The file is removed again if anything fails.
    private static func writeTemporary(_ data: Data, besides url: URL) throws(CourseError) -> String {
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".lectern-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode_t(0o666))
        guard descriptor >= 0 else {
            throw CourseError("cannot write \(url.path): cannot create a temporary file in \(folder): \(lastError())")
        }
        var failure: String?
        // Keep the permissions of the file being replaced (a student may have made it read-only
        // for a reason; a script may be executable); a new file gets the usual umask.
        var existing = stat()
        if stat(url.path, &existing) == 0 {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        if let problem = writeAll(data, to: descriptor) {
            failure = problem
        } else if fsync(descriptor) != 0 {
            failure = "cannot flush it to disk: \(lastError())"
        }
        if close(descriptor) != 0 && failure == nil {
            failure = "cannot close it: \(lastError())"
        }
        if let failure {
            _ = unlink(temporary)
            throw CourseError("cannot write \(url.path): \(failure) (the previous version, if any, is unchanged)")
        }
        return temporary
    }

    private static func createExclusively(_ data: Data, at target: String) throws(CourseError) -> Bool {
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL, mode_t(0o666))
        if descriptor < 0 {
            if errno == EEXIST { return false }
            throw CourseError("cannot create \(target): \(lastError())")
        }
        var failure = writeAll(data, to: descriptor)
        if failure == nil && fsync(descriptor) != 0 { failure = "cannot flush it to disk: \(lastError())" }
        _ = close(descriptor)
        if let failure {
            // The file is ours (O_EXCL): removing the partial copy loses nothing.
            _ = unlink(target)
            throw CourseError("cannot create \(target): \(failure)")
        }
        return true
    }

    /// Writes every byte, retrying short writes and interrupted calls; returns why it failed.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = posixWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastError()
                }
                offset += written
            }
            return nil
        }
    }

    /// Makes the rename itself durable. Best effort: some file systems refuse to fsync a
    /// folder, and the data is already safe in either the old or the new file.
    private static func syncDirectory(of url: URL) {
        let descriptor = open(url.deletingLastPathComponent().path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    /// A short reason for a Foundation error: the underlying POSIX message when there is one.
    static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}

// Inside `AtomicFile`, a bare `write(...)` would name `AtomicFile.write(_:to:)`; these wrappers
// call the C functions, and spare an `#if` between `Glibc.write` and `Darwin.write`.
private func posixRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
