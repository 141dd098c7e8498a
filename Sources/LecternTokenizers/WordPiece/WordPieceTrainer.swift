// Learning a WordPiece vocabulary with the lecture's likelihood score, f(ab) / (f(a)·f(b))
// (course slides, section 4; Schuster & Nakajima 2012; the algorithm as the Hugging Face NLP
// course's WordPiece chapter states it): split every word into characters, marking all but
// the first with "##"; repeatedly merge the adjacent pair with the best score into a new
// token, until the vocabulary has the size asked for. Hugging Face `tokenizers`' own
// WordPieceTrainer ranks pairs by count alone (it runs its BPE trainer), so its vocabularies
// differ from these; the encoder reads either.
//
// The counting is incremental (WordPieceTrainingState): a merge only revisits the words that
// contain the pair, and only re-scores the pairs whose counts changed.
import Foundation

/// Trains a WordPiece vocabulary on text.
///
/// ```swift
/// let trainer = WordPieceTrainer(vocabularySize: 2000)
/// let output = trainer.train(texts: try String(contentsOfFile: "corpus.txt", encoding: .utf8).split(separator: "\n").map(String.init))
/// try output.vocabTXT.write(toFile: "vocab.txt", atomically: true, encoding: .utf8)
/// let tokenizer = output.tokenizer()
/// ```
public struct WordPieceTrainer: Sendable {
    /// The vocabulary size to reach: special tokens, the alphabet and the merged tokens.
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 30522).vocabularySize   // 30522
    /// ```
    public var vocabularySize: Int
    /// Pairs seen fewer times than this are never merged (HF's `min_frequency`).
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 100).minimumFrequency   // 2
    /// ```
    public var minimumFrequency: Int
    /// Tokens placed first in the vocabulary, in this order ([PAD] gets id 0).
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 100).specialTokens   // ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    /// ```
    public var specialTokens: [String]
    /// The mark of tokens that continue a word.
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 100).continuingSubwordPrefix   // "##"
    /// ```
    public var continuingSubwordPrefix: String
    /// How the text is normalized before it is split into words (also the tokenizer's).
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 100).normalizer.lowercase   // true
    /// ```
    public var normalizer: BertNormalizer

    /// A trainer; by default BERT's special tokens, "##", and the uncased normalizer.
    ///
    /// ```swift
    /// let cased = WordPieceTrainer(vocabularySize: 8000, normalizer: BertNormalizer(lowercase: false))
    /// ```
    public init(vocabularySize: Int, minimumFrequency: Int = 2,
                specialTokens: [String] = BertWordPieceTokenizer.AddedToken.bertSpecialContents,
                continuingSubwordPrefix: String = "##", normalizer: BertNormalizer = BertNormalizer()) {
        self.vocabularySize = vocabularySize
        self.minimumFrequency = minimumFrequency
        self.specialTokens = specialTokens
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.normalizer = normalizer
    }

    /// One merge of the training: two tokens, the token they make, and the score that chose it.
    ///
    /// ```swift
    /// output.merges[0].description   // "m + ##a → ma (score 10/(10·16) = 0.0625)"
    /// ```
    public struct Merge: Sendable, CustomStringConvertible {
        /// The left part ("m").
        ///
        /// ```swift
        /// output.merges[0].left    // "m"
        /// ```
        public var left: String
        /// The right part ("##at").
        ///
        /// ```swift
        /// output.merges[0].right   // "##a"
        /// ```
        public var right: String
        /// The new token ("mat").
        ///
        /// ```swift
        /// output.merges[0].token   // "ma"
        /// ```
        public var token: String
        /// f(ab) / (f(a)·f(b)) at the time of the merge.
        ///
        /// ```swift
        /// output.merges[0].score.value   // 0.0625
        /// ```
        public var score: WordPieceScore

        /// "m + ##at → mat (score …)".
        ///
        /// ```swift
        /// output.merges[0].description   // "m + ##a → ma (score 10/(10·16) = 0.0625)"
        /// ```
        public var description: String { "\(left) + \(right) → \(token) (score \(score))" }
    }

    /// What training produced.
    ///
    /// ```swift
    /// output.tokens.prefix(5)   // ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    /// ```
    public struct Output: Sendable {
        /// The vocabulary in id order: special tokens, the alphabet (sorted by bytes), then the
        /// merged tokens in the order they were made.
        ///
        /// ```swift
        /// output.tokens.count   // the vocabulary size asked for, unless the pairs ran out
        /// ```
        public var tokens: [String]
        /// Every merge, in order (a merge that remakes an existing token adds no entry to `tokens`).
        ///
        /// ```swift
        /// output.merges.count   // tokens.count - special tokens - alphabet (or more: remade tokens)
        /// ```
        public var merges: [Merge]
        /// The normalizer used, for the tokenizer.
        ///
        /// ```swift
        /// output.normalizer.lowercase   // true
        /// ```
        public var normalizer: BertNormalizer
        /// The continuation mark used.
        ///
        /// ```swift
        /// output.continuingSubwordPrefix   // "##"
        /// ```
        public var continuingSubwordPrefix: String

        /// The vocabulary as `vocab.txt`: one token per line, the line number is the id.
        ///
        /// ```swift
        /// output.vocabTXT.hasPrefix("[PAD]\n[UNK]\n")   // true
        /// ```
        public var vocabTXT: String { tokens.map { $0 + "\n" }.joined() }

        /// A BERT tokenizer with this vocabulary.
        ///
        /// ```swift
        /// output.tokenizer().encode("hello").tokens   // ["[CLS]", …the pieces of "hello"…, "[SEP]"]
        /// ```
        public func tokenizer() -> BertWordPieceTokenizer {
            BertWordPieceTokenizer(normalizer: normalizer,
                                   model: WordPiece(vocabulary: Vocabulary(tokens: tokens), continuingSubwordPrefix: continuingSubwordPrefix),
                                   decoder: WordPieceDecoder(prefix: continuingSubwordPrefix))
        }
    }

    /// Trains on `texts` (lines, documents: each is normalized and split into words).
    ///
    /// ```swift
    /// WordPieceTrainer(vocabularySize: 40, minimumFrequency: 1).train(texts: ["low lower lowest", "new newer"]).tokens.count
    /// // under 40: training stops early once every word is a single token
    /// ```
    public func train(texts: some Sequence<String>) -> Output {
        train(counts: wordCounts(texts))
    }

    /// Trains on words already counted (each word is taken as it is: not normalized or split).
    /// Note that a `[String: Int]` literal already merges canonically equivalent spellings.
    ///
    /// ```swift
    /// let output = WordPieceTrainer(vocabularySize: 30, minimumFrequency: 1)
    ///     .train(wordCounts: ["cat": 4, "mat": 5, "mats": 2, "mate": 3, "ate": 3, "eat": 2])
    /// output.merges.map(\.token).prefix(4)   // ["ma", "ca", "ea", "mat"]
    /// // "ma": 10/(10·16) = 1/16, tied with "ca" (4/(4·16)) and "ea" (2/(2·16)): the most frequent wins
    /// ```
    public func train(wordCounts: [String: Int]) -> Output {
        var counts: [[UInt8]: Int] = [:]
        for (word, count) in wordCounts { counts[Array(word.utf8), default: 0] += count }
        return train(counts: counts)
    }

    /// Trains on words given as UTF-8 bytes with their counts.
    func train(counts: [[UInt8]: Int]) -> Output {
        var state = WordPieceTrainingState(wordCounts: counts, prefix: Array(continuingSubwordPrefix.utf8))
        var tokens = specialTokens
        var known = Set(specialTokens.map { Array($0.utf8) })
        for symbol in state.alphabet where known.insert(symbol).inserted {
            tokens.append(String(decoding: symbol, as: UTF8.self))
        }
        var merges: [Merge] = []
        while tokens.count < vocabularySize, let merge = state.mergeBest(minimumFrequency: max(1, minimumFrequency)) {
            let text = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
            merges.append(Merge(left: text(merge.left), right: text(merge.right), token: text(merge.token), score: merge.score))
            if known.insert(merge.token).inserted { tokens.append(text(merge.token)) }
        }
        return Output(tokens: tokens, merges: merges, normalizer: normalizer, continuingSubwordPrefix: continuingSubwordPrefix)
    }

    /// How many times each word (normalized UTF-8 bytes) occurs in `texts`. Keyed by bytes:
    /// as `String` keys, "é" and "e\u{301}" would count as one word.
    func wordCounts(_ texts: some Sequence<String>) -> [[UInt8]: Int] {
        var counts: [[UInt8]: Int] = [:]
        let splitter = BertWordSplitter(normalizer: normalizer)
        for text in texts {
            var text = text
            text.withUTF8 { bytes in
                splitter.split(bytes) { word, _ in counts[Array(word), default: 0] += 1 }
            }
        }
        return counts
    }
}
