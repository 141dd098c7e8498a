// The losses of a training run, and a small terminal chart of them.
//
// Reference: the loss curves of TensorBoard / Weights & Biases, drawn in text the way
// `sparklines` and `asciichart` do: one column per (group of) step(s), filled with the Unicode
// "lower eighth" block characters U+2581…U+2588, so each row of text gives 8 levels and a chart
// of height h resolves 8h levels.
//
// Why columns and not a line: a lesson's output goes to a file and is read in any viewer; block
// characters are in every monospace font, where braille patterns are often missing or drawn at
// a different width.

/// The loss of every training step, with the epoch boundaries, and a text chart of them.
///
///     let history = fit(epochs: 5, batches: { _ in batcher.batches(shuffledWith: &rng) }) { … }
///     print(history.chart(width: 40, height: 6))
///     history.epochMeans   // one mean loss per epoch
public struct LossHistory: Sendable, Hashable {
    /// The loss of each step, in order.
    ///
    ///     history.losses.last   // the most recent loss
    public private(set) var losses: [Float] = []
    /// The number of steps completed at the end of each epoch: epoch k is
    /// `losses[(k == 0 ? 0 : epochEnds[k - 1])..<epochEnds[k]]`.
    ///
    ///     history.epochEnds   // [63, 126, 189] for 63 batches per epoch
    public private(set) var epochEnds: [Int] = []

    /// An empty history.
    ///
    ///     var history = LossHistory()
    public init() {}

    /// A history of the given step losses, as one epoch.
    ///
    ///     LossHistory(losses: [2.3, 1.1, 0.7]).chart(width: 3, height: 2)
    public init(losses: [Float]) {
        self.losses = losses
        epochEnds = losses.isEmpty ? [] : [losses.count]
    }

    /// Records one step's loss.
    ///
    ///     history.append(loss)
    public mutating func append(_ loss: Float) { losses.append(loss) }

    /// Marks the end of an epoch (after its last ``append(_:)``); an epoch with no step is not
    /// recorded.
    ///
    ///     history.endEpoch()
    public mutating func endEpoch() {
        if losses.count > (epochEnds.last ?? 0) { epochEnds.append(losses.count) }
    }

    /// The mean loss of each completed epoch.
    ///
    ///     history.epochMeans   // [1.92, 0.84, 0.41]
    public var epochMeans: [Float] {
        var start = 0
        return epochEnds.map { end in
            defer { start = end }
            return mean(losses[start..<end])
        }
    }

    /// A chart of the losses, `height` rows of at most `width` columns of block characters, with
    /// the largest plotted value labelled on the top row and the smallest on the bottom row, and
    /// an axis line giving the number of steps. With more steps than columns, each column is the
    /// mean of a run of consecutive steps (so the labels are those means' extremes); non-finite
    /// losses are left out.
    ///
    ///     print(LossHistory(losses: [4, 3, 2, 1.5, 1.2, 1]).chart(width: 6, height: 3))
    ///     // 4.0000 ┤█
    ///     //        │██▁
    ///     // 1.0000 ┤███▅▃▁
    ///     //        └────── 6 steps
    ///
    /// - Precondition: `width >= 1` and `height >= 2`.
    public func chart(width: Int = 60, height: Int = 8) -> String {
        require(width >= 1, "LossHistory.chart: width must be at least 1, got \(width)")
        require(height >= 2, "LossHistory.chart: height must be at least 2, got \(height)")
        let finite = losses.filter(\.isFinite)
        guard !finite.isEmpty else { return "(no losses recorded)" }

        let columns = Swift.min(width, finite.count)
        let points = (0..<columns).map { c in
            mean(finite[(c * finite.count / columns)..<((c + 1) * finite.count / columns)])
        }
        let low = points.min()!, high = points.max()!
        // Levels 1…8·height: the smallest point still shows as one eighth, the largest fills
        // its column to the top.
        let top = 8 * height
        let levels = points.map { p -> Int in
            guard high > low else { return 1 }
            return 1 + Int((Double(p - low) / Double(high - low) * Double(top - 1)).rounded())
        }

        let highLabel = formatFixed(Double(high), 4), lowLabel = formatFixed(Double(low), 4)
        let labelWidth = Swift.max(highLabel.count, lowLabel.count)
        func padded(_ s: String) -> String { String(repeating: " ", count: labelWidth - s.count) + s }
        let blocks = Array("▁▂▃▄▅▆▇█")
        var lines: [String] = []
        for row in 0..<height {
            let base = 8 * (height - 1 - row)
            let cells = levels.map { level -> Character in
                let fill = Swift.min(8, Swift.max(0, level - base))
                return fill == 0 ? " " : blocks[fill - 1]
            }
            let label = row == 0 ? padded(highLabel) + " ┤" : row == height - 1 ? padded(lowLabel) + " ┤"
                : String(repeating: " ", count: labelWidth) + " │"
            // Trailing spaces carry no information and make the chart awkward to compare.
            var line = label + String(cells)
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        let steps = finite.count == 1 ? "1 step" : "\(finite.count) steps"
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: columns) + " " + steps)
        return lines.joined(separator: "\n")
    }
}

/// The mean of some Floats, accumulated in Double (0 for none).
private func mean(_ values: ArraySlice<Float>) -> Float {
    values.isEmpty ? 0 : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
}
