// The file-system side of safetensors: memory-mapping a file for reading, and replacing a file
// atomically when writing.
//
// References:
//   - POSIX.1-2017: mmap(2), munmap(2), rename(2) ("If the link named by the new argument
//     exists, it shall be removed and old renamed to new ... atomically"), fsync(2).
//   - The reference loads files the same way: huggingface/safetensors maps them with
//     `memmap2::MmapOptions::map` (see the `deserialize` example in safetensors/src/tensor.rs).
//
// Why map instead of read: a GPT-2 checkpoint is 500 MB. Mapping it costs no memory and no time
// up front; the kernel pages in only the bytes we touch when a tensor is materialised, and can
// drop them again under memory pressure (they are backed by the file, not by swap). Reading it
// with Data(contentsOf:) would copy all 500 MB before the first tensor is used.
//
// The caveat every mmap user shares: if another process truncates the file while it is mapped,
// touching the missing pages raises SIGBUS. Replacing a checkpoint with
// `Safetensors.write` is safe (rename gives the new file a new inode, and the old mapping keeps
// the old one alive).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes of a whole file: a memory mapping, or (for in-memory data, and on platforms
/// without mmap) a private copy. Immutable once created, hence safe to share between threads.
final class FileBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    /// True when `bytes` is a mapping of the file rather than a copy.
    let isMemoryMapped: Bool

    /// A private copy of `data`, 16-byte aligned.
    init(copying data: Data) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.copyBytes(to: storage.bindMemory(to: UInt8.self), count: data.count)
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<data.count])
        isMemoryMapped = false
    }

    private init(mapping base: UnsafeRawPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: base, count: count)
        isMemoryMapped = true
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMemoryMapped {
            #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
            _ = munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
            #endif
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The contents of the file at `url`, memory-mapped read-only where the platform allows.
    static func map(_ url: URL) throws(SafetensorsError) -> FileBytes {
        let path = url.path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .cannotRead(path: path, reason: "it is a folder, not a file")
        }
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotRead(path: path, reason: lastError()) }
        // The mapping keeps the file alive on its own; the descriptor is not needed after mmap.
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, reason: lastError()) }
        let size = Int(status.st_size)
        // mmap refuses a zero-length mapping; an empty file is simply an empty buffer (and
        // the reader then reports it as too short).
        if size == 0 { return FileBytes(copying: Data()) }
        // MAP_PRIVATE: we never write, and a private mapping cannot be changed through us.
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)   // MAP_FAILED, which Swift does not import
        else {
            throw .cannotRead(path: path, reason: "cannot map it into memory: \(lastError())")
        }
        return FileBytes(mapping: UnsafeRawPointer(base), count: size)
        #else
        do {
            return FileBytes(copying: try Data(contentsOf: url))
        } catch {
            throw .cannotRead(path: path, reason: error.localizedDescription)
        }
        #endif
    }
}

/// A file being written under a temporary name, which `write(to:_:)` renames over the target
/// once every byte is on disk, so that readers see the old file or the new one, never a mix.
struct AtomicOutput {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Creates a temporary file next to `url`, lets `body` fill it (returning why it failed,
    /// or nil), then flushes it and renames it to `url`. On any failure the temporary file is
    /// removed and `url` is untouched.
    static func write(to url: URL, _ body: (inout AtomicOutput) -> String?) throws(SafetensorsError) {
        let target = url.path
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        // Same folder as the target: rename is only atomic within one file system.
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode_t(0o644))
        guard descriptor >= 0 else {
            throw .cannotWrite(path: target, reason: "cannot create a temporary file in \(folder): \(lastError())")
        }
        var output = AtomicOutput(descriptor: descriptor)
        var failure = body(&output)
        if failure == nil && fsync(descriptor) != 0 { failure = "cannot flush it to disk: \(lastError())" }
        if close(descriptor) != 0 && failure == nil { failure = "cannot close it: \(lastError())" }
        if failure == nil && rename(temporary, target) != 0 { failure = lastError() }
        if let failure {
            _ = unlink(temporary)
            throw .cannotWrite(path: target, reason: failure)
        }
        #else
        var output = AtomicOutput(descriptor: -1)
        if let failure = body(&output) { throw .cannotWrite(path: target, reason: failure) }
        do {
            try output.pending.write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(path: target, reason: error.localizedDescription)
        }
        #endif
    }

    #if !(canImport(Glibc) || canImport(Musl) || canImport(Darwin))
    private var pending = Data()
    #endif

    /// Appends `bytes`; returns why it failed, or nil.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> String? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            // Large tensors are written in one call each; the loop covers short writes.
            let written = posixWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return lastError()
            }
            offset += written
        }
        return nil
        #else
        pending.append(contentsOf: bytes)
        return nil
        #endif
    }

    /// Appends `bytes`; returns why it failed, or nil.
    mutating func append(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { append($0) }
    }
}

#if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
/// The C library's description of `errno`.
private func lastError() -> String { String(cString: strerror(errno)) }

// Inside a type with a `write` or `append` method, a bare `write(...)` would not reach the C
// function; this wrapper does, without an `#if` between `Glibc.write` and `Darwin.write`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
#endif
