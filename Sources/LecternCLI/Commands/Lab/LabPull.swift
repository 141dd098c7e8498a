// `lectern lab pull ORG/NAME [--revision main] [--include GLOB …] [--cache-dir DIR]
// [--endpoint URL]`: download a model from the Hugging Face hub into the local hub cache, in
// huggingface_hub's layout (LecternHub.HubDownloader), and print the snapshot folder — so
// `lectern lab … --model "$(lectern lab pull ORG/NAME)"` works, and Python's
// `from_pretrained("ORG/NAME")` finds the same files without downloading them again. The
// reference is `huggingface-cli download ORG/NAME` (now `hf download`), which also prints the
// snapshot folder last.
//
// Progress goes to standard error: one line redrawn in place on a terminal, a plain line every
// few seconds otherwise (logs, CI). Ctrl-C leaves the partial file in the cache's blobs/ folder,
// and running the command again resumes it.
//
// Departures from the reference: by default a model folder's files, not the whole repository
// (--include is `--include` there too); one progress line instead of a tqdm bar per file.
import ArgumentParser
import Foundation
import LecternHub
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct LabPull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a model from the Hugging Face hub into the local hub cache and print its folder.",
        // One line per paragraph: ArgumentParser wraps them to the terminal itself.
        discussion: """
        The cache is huggingface_hub's, so models downloaded with Python are reused and models pulled here load in Python: --cache-dir, else $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. The hub is --endpoint, else $HF_ENDPOINT, else https://huggingface.co. Gated and private repositories need an access token: $HF_TOKEN, or the token file `huggingface-cli login` writes ($HF_HOME/token).

        Files (default): what a model folder needs — config.json, generation_config.json, model.safetensors (or model.safetensors.index.json and every shard it lists), tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt, vocab.json, merges.txt, spiece.model, added_tokens.json, and sentence-transformers' modules.json, sentence_bert_config.json, config_sentence_transformers.json and each module folder's config.json (1_Pooling/config.json). Never pytorch_model.bin, ONNX, TensorFlow or Flax files. --include GLOB (repeatable; fnmatch rules, "*" also matches "/", "dir/" is a folder) chooses the files instead.

        Files already in the cache are not downloaded again. Each file is checked against the hub's SHA-256 when the hub gives one (weights stored with Git LFS). An interrupted download (Ctrl-C, a lost connection) is resumed from where it stopped by running the same command again.

        Output (stable): standard output gets exactly one line, the snapshot folder (<cache>/models--ORG--NAME/snapshots/<commit>), once every file is in place. Standard error gets the progress and a summary line.

        Errors (no connection, a gated or missing repository, a checksum mismatch) go to standard error, with exit status 1; an invalid name, revision or endpoint exits with status 2.
        """
    )

    @Argument(help: ArgumentHelp("The repository: ORG/NAME (or NAME), as on huggingface.co.", valueName: "repo"))
    var repo: String

    @Option(help: ArgumentHelp("A branch, tag or commit hash.", valueName: "revision"))
    var revision = "main"

    @Option(name: .customLong("include"), help: ArgumentHelp("Download the files matching this pattern instead of a model folder's files (repeatable).", valueName: "glob"))
    var include: [String] = []

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("The hub cache folder (default: $HF_HUB_CACHE, $HF_HOME/hub, or ~/.cache/huggingface/hub).", valueName: "dir"))
    var cacheDir: String?

    @Option(help: ArgumentHelp("The hub's URL (default: $HF_ENDPOINT, else https://huggingface.co).", valueName: "url"))
    var endpoint: String?

    func run() throws {
        var downloader = HubDownloader.standard()
        if let cacheDir {
            downloader.cache = HubCache(root: URL(fileURLWithPath: NSString(string: cacheDir).expandingTildeInPath).standardizedFileURL)
        }
        if let endpoint { downloader.endpoint = endpoint }
        let selection: HubFileSelection = include.isEmpty ? .modelFolder : .matching(include)

        LabPull.resumeHintOnInterrupt()
        let progress = PullProgress(interactive: isatty(STDERR_FILENO) == 1)
        let snapshot: HubSnapshot
        do {
            snapshot = try downloader.download(repo, revision: revision, files: selection, progress: progress.report)
        } catch {
            progress.endLine()
            printError("lectern: \(error)")
            switch error {
            case .invalidRepoID, .invalidRevision, .invalidEndpoint: throw Exit.usage
            default: throw Exit.failed
            }
        }
        progress.endLine()
        let reused = snapshot.files.count - snapshot.downloadedFiles.count
        printError("\(repo) at \(revision) (commit \(snapshot.commit.prefix(12))): \(snapshot.files.count) file\(snapshot.files.count == 1 ? "" : "s"), "
            + "\(snapshot.downloadedFiles.count) downloaded (\(PullProgress.size(snapshot.downloadedBytes))), \(reused) already in the cache")
        if selection == .modelFolder, !snapshot.files.contains(where: { $0.hasSuffix(".safetensors") }) {
            printError("warning: \(repo) has no safetensors weights, which is the format Lectern reads; --include chooses other files")
        }
        print(snapshot.folder.path)
    }

    /// On Ctrl-C, end the progress line and say how to resume, instead of dying mid-line. The
    /// partial file is already on disk (every piece is written as it arrives), so there is
    /// nothing to save; a signal handler may only call async-signal-safe functions (write, _exit).
    static func resumeHintOnInterrupt() {
        signal(SIGINT) { _ in
            let message: StaticString = "\nlectern: interrupted; run the same command again to resume the download\n"
            message.withUTF8Buffer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(130)
        }
    }
}

/// Draws download progress on standard error: on a terminal, one line redrawn with \r at most
/// ten times a second; otherwise a line per file and a status line every five seconds.
/// Reports arrive on the thread that receives the bytes, hence the lock.
final class PullProgress: @unchecked Sendable {
    private let interactive: Bool
    private let lock = NSLock()
    private var lineOpen = false
    private var lastDraw = Date.distantPast
    private var fileStart = Date()
    private var announced = false

    init(interactive: Bool) { self.interactive = interactive }

    func report(_ progress: HubDownloadProgress) {
        lock.withLock { draw(progress) }
    }

    /// Finishes a redrawn line, so that what follows starts on its own line.
    func endLine() {
        lock.withLock {
            if lineOpen { write("\n") }
            lineOpen = false
        }
    }

    private func draw(_ p: HubDownloadProgress) {
        let name = "[\(p.fileNumber)/\(p.fileCount)] \(PullProgress.shortened(p.file))"
        let now = Date()
        switch p.phase {
        case .checking:
            fileStart = now
            announced = false
            if interactive { redraw("\(name)  checking…") }
        case .downloading:
            if !interactive && !announced {
                announced = true
                let total = p.totalBytes.map { PullProgress.size($0) } ?? "unknown size"
                write(p.resumedFrom > 0 ? "\(name): resuming at \(PullProgress.size(p.resumedFrom)) of \(total)\n" : "\(name): downloading \(total)\n")
                lastDraw = now
            }
            guard now.timeIntervalSince(lastDraw) >= (interactive ? 0.1 : 5) else { return }
            lastDraw = now
            let line = status(p, now: now)
            if interactive { redraw("\(name)  \(line)") } else { write("\(name): \(line)\n") }
        case .verifying:
            if interactive { redraw("\(name)  checking SHA-256…") }
        case .finished:
            let size = PullProgress.size(p.bytes)
            if interactive { redraw("\(name)  \(size)  done"); write("\n"); lineOpen = false } else { write("\(name): done (\(size))\n") }
        case .alreadyCached:
            if interactive { redraw("\(name)  already in the cache"); write("\n"); lineOpen = false } else { write("\(name): already in the cache\n") }
        }
    }

    /// "████████░░░░░░░░  12.3 MB / 45.6 MB  27%  5.1 MB/s" (no bar when the size is unknown).
    private func status(_ p: HubDownloadProgress, now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(fileStart), 0.001)
        let speed = PullProgress.size(Int64(Double(p.bytes - p.resumedFrom) / elapsed)) + "/s"
        guard let total = p.totalBytes, total > 0 else { return "\(PullProgress.size(p.bytes))  \(speed)" }
        let fraction = min(1, Double(p.bytes) / Double(total))
        let filled = Int(fraction * 20)
        let bar = interactive ? String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled) + "  " : ""
        return "\(bar)\(PullProgress.size(p.bytes)) / \(PullProgress.size(total))  \(Int(fraction * 100))%  \(speed)"
    }

    private func redraw(_ line: String) {
        write("\r" + line + "\u{1B}[K")   // ESC[K clears what a longer previous line left
        lineOpen = true
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// Long paths keep their end, where the file name is.
    static func shortened(_ file: String) -> String {
        file.count <= 40 ? file : "…" + file.suffix(39)
    }

    /// Decimal units, as download tools show sizes: 532 B, 12.3 kB, 90.9 MB, 1.34 GB.
    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        switch value {
        case ..<1000: return "\(bytes) B"
        case ..<1e6: return String(format: "%.1f kB", value / 1e3)
        case ..<1e9: return String(format: "%.1f MB", value / 1e6)
        default: return String(format: "%.2f GB", value / 1e9)
        }
    }
}
