// Cutting one or two sequences down to a maximum length, following Hugging Face `tokenizers`
// (utils/truncation.rs, `truncate_encodings`; overflowing tokens and stride are not kept).
// `longestFirst` — BERT's — shares the room between the two sequences: the shorter keeps all
// it can up to half, the longer gets the rest; when both are too long, half each (the extra
// one of an odd length going to the second).

extension BertWordPieceTokenizer {
    /// How to cut encodings that are too long.
    ///
    /// ```swift
    /// var first = Array(1...10), second: [Int]? = Array(11...13)
    /// BertWordPieceTokenizer.Truncation(maxLength: 8).apply(first: &first, second: &second, maxLength: 8)
    /// first    // [1, 2, 3, 4, 5]
    /// second   // [11, 12, 13]
    /// ```
    public struct Truncation: Sendable, Equatable {
        /// Which sequence loses tokens.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Truncation(maxLength: 8, strategy: .onlySecond).strategy   // .onlySecond
        /// ```
        public enum Strategy: String, Sendable {
            /// Take from the longer of the two, as evenly as the lengths allow (HF's default).
            case longestFirst = "LongestFirst"
            /// Take only from the first sequence.
            case onlyFirst = "OnlyFirst"
            /// Take only from the second sequence.
            case onlySecond = "OnlySecond"
        }

        /// The length of the final encoding, special tokens included.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Truncation(maxLength: 512).maxLength   // 512
        /// ```
        public var maxLength: Int
        /// Which sequence loses tokens.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Truncation(maxLength: 512).strategy   // .longestFirst
        /// ```
        public var strategy: Strategy
        /// Keep the beginning (`false`: cut the end, HF's "Right") or the end (`true`: "Left").
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Truncation(maxLength: 512, fromLeft: true).fromLeft   // true
        /// ```
        public var fromLeft: Bool

        /// Truncation to `maxLength` ids, special tokens included.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Truncation(maxLength: 512)
        /// ```
        public init(maxLength: Int, strategy: Strategy = .longestFirst, fromLeft: Bool = false) {
            self.maxLength = maxLength
            self.strategy = strategy
            self.fromLeft = fromLeft
        }

        /// Cuts `first` and `second` to `maxLength` ids together (the room left once the
        /// template's special tokens are counted). With `onlyFirst` / `onlySecond`, when the
        /// chosen sequence is too short to absorb the excess, HF raises an error; here it is
        /// left as it is.
        ///
        /// ```swift
        /// var first = Array(1...6), second: [Int]? = Array(7...12)
        /// BertWordPieceTokenizer.Truncation(maxLength: 5).apply(first: &first, second: &second, maxLength: 5)
        /// first    // [1, 2]
        /// second   // [7, 8, 9]
        /// ```
        public func apply(first: inout [Int], second: inout [Int]?, maxLength: Int) {
            let total = first.count + (second?.count ?? 0)
            guard maxLength == 0 || total > maxLength else { return }
            if maxLength == 0 {
                // HF: a maximum length of 0 empties both sequences.
                first = []
                if second != nil { second = [] }
                return
            }
            let excess = total - maxLength
            switch strategy {
            case .longestFirst:
                guard var pair = second else {
                    cut(&first, to: total - excess)
                    return
                }
                var short = first.count, long = pair.count
                let swapped = short > long
                if swapped { swap(&short, &long) }
                long = short > maxLength ? short : max(short, maxLength - short)
                if short + long > maxLength {
                    short = maxLength / 2
                    long = short + maxLength % 2
                }
                if swapped { swap(&short, &long) }
                cut(&first, to: short)
                cut(&pair, to: long)
                second = pair
            case .onlyFirst:
                if first.count > excess { cut(&first, to: first.count - excess) }
            case .onlySecond:
                if var pair = second, pair.count > excess {
                    cut(&pair, to: pair.count - excess)
                    second = pair
                }
            }
        }

        /// Keeps `length` ids of `sequence`, from the chosen side.
        private func cut(_ sequence: inout [Int], to length: Int) {
            guard sequence.count > length else { return }
            sequence = fromLeft ? Array(sequence.suffix(length)) : Array(sequence.prefix(length))
        }
    }
}
