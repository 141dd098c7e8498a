// Integers, shuffles and categorical samples from the seeded generator, written out here
// rather than taken from the standard library so that the same seed gives the same batches
// and the same generated text on every platform and every Swift version (the standard
// library's `shuffle(using:)` and `Int.random(in:using:)` are free to change their algorithms).
//
// References: D. Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 2019
// (unbiased bounded integers by multiply-and-reject); R. Durstenfeld, "Algorithm 235: Random
// permutation", CACM 1964 (the Fisher–Yates shuffle, in place); inverse-CDF sampling for
// categorical distributions, as `torch.multinomial` does for one sample.

extension SeededGenerator {
    /// An integer uniformly distributed in `0..<upperBound`, without modulo bias.
    ///
    ///     var rng = SeededGenerator(seed: 1)
    ///     let die = rng.nextInt(below: 6) + 1   // 1...6
    ///
    /// - Precondition: `upperBound > 0`.
    public mutating func nextInt(below upperBound: Int) -> Int {
        require(upperBound > 0, "nextInt(below:): the upper bound must be positive, got \(upperBound)")
        let bound = UInt64(upperBound)
        // The high word of x·bound is uniform in 0..<bound except for a few x; reject those.
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound   // 2⁶⁴ mod bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// Shuffles `array` in place; every permutation is equally likely.
    ///
    ///     var order = Array(0..<10)
    ///     rng.shuffle(&order)   // a new order of the training examples each epoch
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// A shuffled copy of `array`.
    ///
    ///     let batchOrder = rng.shuffled(Array(0..<examples.count))
    public mutating func shuffled<T>(_ array: [T]) -> [T] {
        var copy = array
        shuffle(&copy)
        return copy
    }

    /// An index drawn with probability proportional to `weights[i]` (probabilities, or any
    /// non-negative weights: they need not sum to 1).
    ///
    ///     let next = rng.sampleCategorical([0.1, 0.7, 0.2])   // 1 most of the time
    ///
    /// An index with weight 0 is never drawn.
    /// - Precondition: the weights are finite, non-negative, and not all 0.
    public mutating func sampleCategorical(_ weights: [Float]) -> Int {
        var total: Double = 0
        for w in weights {
            require(w >= 0 && w.isFinite, "sampleCategorical: weights must be finite and non-negative, got \(w)")
            total += Double(w)
        }
        require(total > 0, "sampleCategorical: the weights are all 0 (or there are none)")
        // u in [0, total): the first index whose running sum passes u.
        let u = Double(next() >> 11) * 0x1p-53 * total
        var running: Double = 0
        var last = 0
        for (i, w) in weights.enumerated() where w > 0 {
            running += Double(w)
            last = i
            if u < running { return i }
        }
        return last   // rounding left u at the very top: the last index with weight
    }
}
