// Padding an encoding to a fixed length, following Hugging Face `tokenizers`
// (utils/padding.rs, `pad_encodings` and `Encoding::pad`): [PAD] ids with type id 0 and
// attention mask 0, after the tokens ("Right") or before them ("Left"), the target length
// rounded up to a multiple when asked. An encoding already long enough is left alone.

extension BertWordPieceTokenizer {
    /// How to pad encodings.
    ///
    /// ```swift
    /// var ids = [101, 7592, 102], typeIDs = [0, 0, 0], mask = [1, 1, 1]
    /// BertWordPieceTokenizer.Padding(length: 5).apply(ids: &ids, typeIDs: &typeIDs, attentionMask: &mask)
    /// ids    // [101, 7592, 102, 0, 0]
    /// mask   // [1, 1, 1, 0, 0]
    /// ```
    public struct Padding: Sendable, Equatable {
        /// The length to pad to; nil pads to the encoding's own length (HF's "BatchLongest", for
        /// one encoding), which only `padToMultipleOf` can then lengthen.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: 128).length   // 128
        /// ```
        public var length: Int?
        /// Round the target length up to a multiple of this, or nil.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: nil, padToMultipleOf: 8).padToMultipleOf   // 8
        /// ```
        public var padToMultipleOf: Int?
        /// The padding token's id (BERT: [PAD] = 0).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: 16).padID   // 0
        /// ```
        public var padID: Int
        /// The type id of padding.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: 16).padTypeID   // 0
        /// ```
        public var padTypeID: Int
        /// Pad before the tokens instead of after them.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: 16, fromLeft: true).fromLeft   // true
        /// ```
        public var fromLeft: Bool

        /// Padding to `length` with id `padID`.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Padding(length: 128, padID: 0)
        /// ```
        public init(length: Int?, padToMultipleOf: Int? = nil, padID: Int = 0, padTypeID: Int = 0, fromLeft: Bool = false) {
            self.length = length
            self.padToMultipleOf = padToMultipleOf
            self.padID = padID
            self.padTypeID = padTypeID
            self.fromLeft = fromLeft
        }

        /// Pads the three parallel arrays of one encoding.
        ///
        /// ```swift
        /// var ids = [1], typeIDs = [0], mask = [1]
        /// BertWordPieceTokenizer.Padding(length: nil, padToMultipleOf: 4).apply(ids: &ids, typeIDs: &typeIDs, attentionMask: &mask)
        /// ids   // [1, 0, 0, 0]
        /// ```
        public func apply(ids: inout [Int], typeIDs: inout [Int], attentionMask: inout [Int]) {
            var target = length ?? ids.count
            if let multiple = padToMultipleOf, multiple > 0, target % multiple != 0 { target += multiple - target % multiple }
            let missing = target - ids.count
            guard missing > 0 else { return }
            if fromLeft {
                ids.insert(contentsOf: repeatElement(padID, count: missing), at: 0)
                typeIDs.insert(contentsOf: repeatElement(padTypeID, count: missing), at: 0)
                attentionMask.insert(contentsOf: repeatElement(0, count: missing), at: 0)
            } else {
                ids += repeatElement(padID, count: missing)
                typeIDs += repeatElement(padTypeID, count: missing)
                attentionMask += repeatElement(0, count: missing)
            }
        }
    }
}
