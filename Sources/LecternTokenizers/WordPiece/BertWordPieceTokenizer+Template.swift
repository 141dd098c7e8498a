// Where the special tokens go around one or two sequences, and which type id each part gets:
// Hugging Face `tokenizers`' post-processors (processors/template.rs `TemplateProcessing`,
// processors/bert.rs `BertProcessing`). BERT's is "[CLS] $A:0 [SEP]:0" for one text and
// "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1" for a pair.

extension BertWordPieceTokenizer {
    /// A post-processing template: special tokens and sequences, each with a type id.
    ///
    /// ```swift
    /// let template = BertWordPieceTokenizer.Template.bert(cls: 101, sep: 102)
    /// template.apply(first: [7], second: [8], addSpecialTokens: true).ids       // [101, 7, 102, 8, 102]
    /// template.apply(first: [7], second: [8], addSpecialTokens: true).typeIDs   // [0, 0, 0, 1, 1]
    /// ```
    public struct Template: Sendable, Equatable {
        /// One part of a template.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.Piece.special(ids: [101], typeID: 0)
        /// ```
        public enum Piece: Sendable, Equatable {
            /// Fixed ids (a special token: usually one id), with their type id.
            case special(ids: [Int], typeID: Int)
            /// The first (`isPair` false: $A) or second ($B) sequence, given this type id.
            case sequence(isPair: Bool, typeID: Int)
        }

        /// The layout for one text.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(cls: 101, sep: 102).single.count   // 3
        /// ```
        public var single: [Piece]
        /// The layout for a pair of texts. The sequences take the template's type ids even when
        /// no special tokens are added (HF, for TemplateProcessing and BertProcessing alike).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(cls: 101, sep: 102).pair.count   // 5
        /// ```
        public var pair: [Piece]

        /// A template from its layouts.
        ///
        /// ```swift
        /// let plain = BertWordPieceTokenizer.Template(single: [.sequence(isPair: false, typeID: 0)],
        ///                                             pair: [.sequence(isPair: false, typeID: 0), .sequence(isPair: true, typeID: 0)])
        /// ```
        public init(single: [Piece], pair: [Piece]) {
            self.single = single
            self.pair = pair
        }

        /// No special tokens: the sequences as they are, the second with type id 1 (what HF does
        /// without a post-processor, e.g. for a freshly trained BertWordPieceTokenizer).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.plain.apply(first: [5], second: [6], addSpecialTokens: true).typeIDs   // [0, 1]
        /// ```
        public static let plain = Template(single: [.sequence(isPair: false, typeID: 0)],
                                           pair: [.sequence(isPair: false, typeID: 0), .sequence(isPair: true, typeID: 1)])

        /// BERT's template with these ids for [CLS] and [SEP] (HF's BertProcessing).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(cls: 101, sep: 102).addedCount(pair: true)   // 3
        /// ```
        public static func bert(cls: Int, sep: Int) -> Template {
            Template(single: [.special(ids: [cls], typeID: 0), .sequence(isPair: false, typeID: 0), .special(ids: [sep], typeID: 0)],
                     pair: [.special(ids: [cls], typeID: 0), .sequence(isPair: false, typeID: 0), .special(ids: [sep], typeID: 0),
                            .sequence(isPair: true, typeID: 1), .special(ids: [sep], typeID: 1)])
        }

        /// BERT's template with `vocabulary`'s [CLS] and [SEP], or nil when it lacks them.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(in: Vocabulary(tokens: ["a"]))   // nil
        /// ```
        public static func bert(in vocabulary: Vocabulary) -> Template? {
            guard let cls = vocabulary.id(of: "[CLS]"), let sep = vocabulary.id(of: "[SEP]") else { return nil }
            return bert(cls: cls, sep: sep)
        }

        /// How many ids the template adds (what truncation keeps room for).
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(cls: 101, sep: 102).addedCount(pair: false)   // 2
        /// ```
        public func addedCount(pair isPair: Bool) -> Int {
            (isPair ? pair : single).reduce(0) { count, piece in
                if case let .special(ids, _) = piece { return count + ids.count }
                return count
            }
        }

        /// The ids and type ids of `first` (and `second`) laid out by the template.
        ///
        /// ```swift
        /// BertWordPieceTokenizer.Template.bert(cls: 1, sep: 2).apply(first: [5], second: nil, addSpecialTokens: false).ids   // [5]
        /// ```
        public func apply(first: [Int], second: [Int]?, addSpecialTokens: Bool) -> (ids: [Int], typeIDs: [Int]) {
            var ids: [Int] = []
            var typeIDs: [Int] = []
            ids.reserveCapacity(first.count + (second?.count ?? 0) + 3)
            typeIDs.reserveCapacity(ids.capacity)
            for piece in second == nil ? single : pair {
                switch piece {
                case let .special(pieceIDs, typeID):
                    guard addSpecialTokens else { continue }
                    ids += pieceIDs
                    typeIDs += repeatElement(typeID, count: pieceIDs.count)
                case let .sequence(isPair, typeID):
                    let sequence = isPair ? second ?? [] : first
                    ids += sequence
                    typeIDs += repeatElement(typeID, count: sequence.count)
                }
            }
            return (ids, typeIDs)
        }
    }
}
