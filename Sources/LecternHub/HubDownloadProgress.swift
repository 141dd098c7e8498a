// What a download reports while it runs, for a progress bar or a log; the caller draws
// (`lectern lab pull` redraws one line on a terminal and prints a line every few seconds
// otherwise). The reference is the progress huggingface_hub's http_get feeds to tqdm.
//
// Reports come from the thread that receives the bytes, one per piece received (often tens of
// KB): a caller that draws should limit how often it redraws.
//
// Departures from the reference: huggingface_hub draws tqdm bars itself (one per file, plus
// one for the whole snapshot); here the library only reports, one file at a time.
import Foundation

/// One step of a download: which file, and how far along.
///
/// ```swift
/// let downloader = HubDownloader.standard()
/// try downloader.download("acme/tiny-bert") { progress in
///     if progress.phase == .downloading, let total = progress.totalBytes {
///         print("\(progress.file): \(progress.bytes * 100 / max(total, 1))%")
///     }
/// }
/// ```
public struct HubDownloadProgress: Sendable, Equatable {
    /// Where a file is in its download.
    public enum Phase: Sendable, Equatable {
        /// Asking the hub for the file's hash and size (a HEAD request).
        case checking
        /// Bytes are arriving; `bytes` counts those on disk, including a resumed part.
        case downloading
        /// Checking the SHA-256 of the complete file.
        case verifying
        /// Downloaded, checked and linked into the snapshot.
        case finished
        /// Already in the cache: nothing was downloaded.
        case alreadyCached
    }

    /// The file's path in the repository ("config.json", "1_Pooling/config.json").
    public var file: String
    /// Which file this is, from 1, and how many the pull takes (the count can grow once, when
    /// the shards listed in `model.safetensors.index.json` are known).
    public var fileNumber: Int, fileCount: Int
    /// What is happening to the file now (`.downloading` reports repeat as bytes arrive).
    public var phase: Phase
    /// Bytes of this file on disk so far.
    public var bytes: Int64
    /// The file's size, when the hub gave it.
    public var totalBytes: Int64?
    /// Bytes that were already on disk from an earlier, interrupted download when this one
    /// started (for a speed, count `bytes - resumedFrom` over the time since `.checking`).
    public var resumedFrom: Int64

    /// A report (for tests and custom downloaders).
    ///
    /// ```swift
    /// HubDownloadProgress(file: "config.json", fileNumber: 1, fileCount: 3, phase: .finished, bytes: 570, totalBytes: 570)
    /// ```
    public init(file: String, fileNumber: Int, fileCount: Int, phase: Phase, bytes: Int64 = 0, totalBytes: Int64? = nil,
                resumedFrom: Int64 = 0) {
        self.file = file
        self.fileNumber = fileNumber
        self.fileCount = fileCount
        self.phase = phase
        self.bytes = bytes
        self.totalBytes = totalBytes
        self.resumedFrom = resumedFrom
    }
}
