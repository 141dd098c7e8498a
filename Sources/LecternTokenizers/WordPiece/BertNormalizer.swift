// BERT's text normalizer, following Hugging Face `tokenizers` (normalizers/bert.rs,
// `BertNormalizer`), itself a port of `BasicTokenizer` in Google's BERT (tokenization.py).
// The steps run in HF's order — clean the text, pad CJK ideographs, strip accents, lowercase —
// and each works on Unicode scalars (Rust `char`s), never on grapheme clusters.

/// Cleans, pads, de-accents and lowercases text the way BERT expects before it is split.
///
/// ```swift
/// let uncased = BertNormalizer(lowercase: true)
/// uncased.normalize("Héllo\tWORLD 中文")   // "hello world  中  文 "
/// BertNormalizer(lowercase: false).normalize("Héllo")   // "Héllo": cased models keep accents
/// ```
public struct BertNormalizer: Sendable, Equatable {
    /// Drop U+0000, U+FFFD and control/format/private-use characters; turn whitespace into " ".
    ///
    /// ```swift
    /// BertNormalizer(cleanText: false, lowercase: false).normalize("a\u{7}b")   // "a\u{7}b"
    /// ```
    public var cleanText: Bool
    /// Surround CJK ideographs with spaces, so each becomes a word of its own.
    ///
    /// ```swift
    /// BertNormalizer(handleChineseChars: false).normalize("中文")   // "中文"
    /// ```
    public var handleChineseChars: Bool
    /// Decompose (NFD) and drop nonspacing marks; nil means "the same as `lowercase`", as in HF.
    ///
    /// ```swift
    /// BertNormalizer(stripAccents: false).normalize("É")   // "é"
    /// ```
    public var stripAccents: Bool?
    /// Lowercase every scalar (Unicode full lowercase mapping, one scalar at a time).
    ///
    /// ```swift
    /// BertNormalizer(lowercase: false).normalize("Hi")   // "Hi"
    /// ```
    public var lowercase: Bool

    /// A normalizer with HF's defaults: everything on, accents stripped when lowercasing.
    ///
    /// ```swift
    /// BertNormalizer().normalize("Ça")                        // "ca"
    /// BertNormalizer(stripAccents: false).normalize("Ça")     // "ça"
    /// ```
    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Whether accents are stripped: `stripAccents`, or `lowercase` when it is nil.
    ///
    /// ```swift
    /// BertNormalizer(lowercase: false).stripsAccents   // false
    /// ```
    public var stripsAccents: Bool { stripAccents ?? lowercase }

    /// `text` normalized.
    ///
    /// ```swift
    /// BertNormalizer().normalize("a\u{0}b\u{200D}c\u{00A0}d")   // "abc d"
    /// ```
    public func normalize(_ text: String) -> String {
        var output: [Unicode.Scalar] = []
        normalize(Array(text.unicodeScalars), into: &output)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: output)
        return String(result)
    }

    /// Appends the normalization of `scalars` to `output`.
    ///
    /// NFD reorders runs of combining marks, so a stretch of text must be normalized as a
    /// whole, not scalar by scalar; callers pass maximal runs that such reordering cannot cross.
    func normalize(_ scalars: [Unicode.Scalar], into output: inout [Unicode.Scalar]) {
        var padded: [Unicode.Scalar] = []
        padded.reserveCapacity(scalars.count)
        for scalar in scalars {
            let classes = BertCharacterClass.of(scalar.value)
            if cleanText {
                if classes.contains(.removedByClean) { continue }
                if classes.contains(.cleanWhitespace) { padded.append(" "); continue }
            }
            if handleChineseChars, classes.contains(.chinese) {
                padded.append(" "); padded.append(scalar); padded.append(" ")
            } else {
                padded.append(scalar)
            }
        }
        var stripped: [Unicode.Scalar]
        if stripsAccents, padded.contains(where: { $0.value >= 0xC0 }) {
            // Below U+00C0 nothing decomposes and nothing is a mark: most text skips this.
            stripped = []
            stripped.reserveCapacity(padded.count + 4)
            BertCanonicalDecomposition.append(padded, to: &stripped)
            stripped.removeAll { BertCharacterClass.of($0.value).contains(.nonspacingMark) }
        } else {
            stripped = padded
        }
        guard lowercase else { output.append(contentsOf: stripped); return }
        for scalar in stripped {
            if scalar.isASCII {
                let value = scalar.value
                output.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            } else if scalar.properties.changesWhenLowercased {
                // Full mapping, one scalar at a time, like Rust's `char::to_lowercase`:
                // "İ" becomes "i" + U+0307, and a final "Σ" is "σ" (no context).
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
    }
}
