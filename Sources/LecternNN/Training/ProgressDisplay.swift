// A one-line training progress display: epoch, batch, loss and throughput.
//
// Reference: the progress bars of `tqdm` and Keras' `Progbar`, which redraw one line with a
// carriage return on a terminal and fall back to periodic plain lines when the output is a
// file (Keras' `verbose=2`). Lectern runs lesson programs with their output going to a file,
// so "is this a terminal" is `isatty(1)` *or* `LECTERN_TTY=1`, which lectern sets when it will
// show the output live.
//
// Why the clock and the output are parameters: a test can drive the display with a fake clock
// and read exactly the lines it prints.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Shows training progress: redraws one line on a terminal, prints a line every few batches
/// otherwise, and one summary line per epoch either way.
///
///     let display = ProgressDisplay()                      // detects the terminal
///     let quiet = ProgressDisplay(style: .silent)
///     let log = ProgressDisplay(style: .lines(every: 100))  // plain lines, e.g. for a file
///
/// A line reads `epoch 2/10  batch 30/63  loss 0.4321  1234 examples/s`, where the loss is the
/// mean over the epoch so far and the throughput counts the epoch so far.
public final class ProgressDisplay {
    /// How the display writes.
    ///
    ///     ProgressDisplay.Style.detect()   // .redraw on a terminal, .lines(every: 50) otherwise
    public enum Style: Sendable, Hashable {
        /// Redraw one line in place (carriage return and erase-line), for a terminal, at most
        /// ten times a second.
        ///
        ///     ProgressDisplay(style: .redraw)
        case redraw
        /// Print a plain line every `every` batches, and the summary after the last batch of
        /// an epoch.
        ///
        ///     ProgressDisplay(style: .lines(every: 100))
        case lines(every: Int)
        /// Print nothing.
        ///
        ///     fit(epochs: 1, batches: { _ in batches }, display: ProgressDisplay(style: .silent)) { … }
        case silent

        /// `.redraw` when standard output is a terminal or `LECTERN_TTY` is `1`, else
        /// `.lines(every: 50)`; `LECTERN_TTY=0` forces plain lines.
        ///
        ///     let style = ProgressDisplay.Style.detect(environment: ["LECTERN_TTY": "1"])   // .redraw
        public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
            switch environment["LECTERN_TTY"] {
            case "1": return .redraw
            case "0": return .lines(every: 50)
            default: return isatty(1) == 1 ? .redraw : .lines(every: 50)
            }
        }
    }

    /// How the display writes.
    ///
    ///     display.style   // .redraw
    public let style: Style
    private let write: (String) -> Void
    private let clock: () -> Double
    private var epoch = 0, epochs = 0, batches = 0
    private var batch = 0, examples = 0, lossSum = 0.0, start = 0.0
    /// When the line was last redrawn. Redrawing is throttled to 10 Hz, as tqdm does: a small
    /// model runs thousands of batches a second, and a terminal redrawing each one would slow
    /// the training it reports on.
    private var lastDraw = -Double.infinity

    /// A display with the given style, writing to `output` (standard output by default) and
    /// timing with `clock` (seconds, monotonic; the system uptime by default).
    ///
    ///     var lines: [String] = []
    ///     var now = 0.0
    ///     let display = ProgressDisplay(style: .lines(every: 1), output: { lines.append($0) },
    ///                                   clock: { now })
    public init(style: Style = .detect(),
                output: @escaping (String) -> Void = ProgressDisplay.standardOutput,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        if case .lines(let every) = style {
            require(every >= 1, "ProgressDisplay: .lines(every:) needs every >= 1, got \(every)")
        }
        self.style = style
        self.write = output
        self.clock = clock
    }

    /// Writes `text` to standard output and flushes it, so a redrawn line appears at once.
    ///
    ///     ProgressDisplay.standardOutput("epoch 1/1\n")
    public static func standardOutput(_ text: String) {
        print(text, terminator: "")
        fflush(nil)   // all streams: `stdout` itself is not concurrency-safe to name in Swift 6
    }

    /// Starts epoch `epoch` (1-based) of `epochs`, which has `batches` batches.
    ///
    ///     display.beginEpoch(1, of: 10, batches: batcher.batchCount)
    public func beginEpoch(_ epoch: Int, of epochs: Int, batches: Int) {
        (self.epoch, self.epochs, self.batches) = (epoch, epochs, batches)
        (batch, examples, lossSum) = (0, 0, 0)
        start = clock()
        lastDraw = -.infinity
    }

    /// Records one finished batch of `examples` examples with loss `loss`, and shows it.
    ///
    ///     display.update(loss: loss, examples: batch.count)
    public func update(loss: Float, examples: Int) {
        batch += 1
        self.examples += examples
        lossSum += Double(loss)
        switch style {
        case .redraw:
            let now = clock()
            if now - lastDraw >= 0.1 {
                lastDraw = now
                write("\r\u{1B}[2K" + line())
            }
        case .lines(let every) where batch % every == 0 && batch != batches: write(line() + "\n")
        case .lines, .silent: break
        }
    }

    /// Ends the epoch with its summary line (mean loss, throughput, time), which stays on the
    /// screen; returns the epoch's mean loss.
    ///
    ///     let meanLoss = display.endEpoch()
    @discardableResult
    public func endEpoch() -> Float {
        let elapsed = clock() - start
        let summary = line() + "  " + formatFixed(elapsed, 1) + " s"
        switch style {
        case .redraw: write("\r\u{1B}[2K" + summary + "\n")
        case .lines: write(summary + "\n")
        case .silent: break
        }
        return batch == 0 ? 0 : Float(lossSum / Double(batch))
    }

    /// The progress line, e.g. `epoch 2/10  batch 30/63  loss 0.4321  1234 examples/s`.
    private func line() -> String {
        let elapsed = clock() - start
        let loss = batch == 0 ? "-" : formatFixed(lossSum / Double(batch), 4)
        let rate = elapsed > 0 ? formatFixed(Double(examples) / elapsed, 0) : "-"
        return "epoch \(epoch)/\(epochs)  batch \(batch)/\(batches)  loss \(loss)  \(rate) examples/s"
    }
}
