// How BERT's normalizer and pre-tokenizer classify one Unicode scalar, following Hugging Face
// `tokenizers` (normalizers/bert.rs: `is_whitespace`, `is_control`, `is_chinese_char`;
// pre_tokenizers/bert.rs: `is_bert_punc`; Rust's `char::is_whitespace`).
//
// Every scalar of every text passes through here, so the answers for the Basic Multilingual
// Plane (nearly all text) sit in a 64 KiB table of flags built once from the range tables;
// the rare scalars above U+FFFF take a binary search.

/// The classes of a Unicode scalar that BERT's text pipeline cares about.
///
/// ```swift
/// BertCharacterClass.of(0x2C).contains(.punctuation)      // true: ","
/// BertCharacterClass.of(0x4E2D).contains(.chinese)        // true: "中"
/// BertCharacterClass.of(0x200D).contains(.removedByClean) // true: ZERO WIDTH JOINER (Cf)
/// ```
public struct BertCharacterClass: OptionSet, Sendable {
    /// The classes as bits, one per class.
    ///
    /// ```swift
    /// BertCharacterClass.punctuation.rawValue   // 8
    /// ```
    public let rawValue: UInt8

    /// Creates a set of classes from its bits.
    ///
    /// ```swift
    /// BertCharacterClass(rawValue: 0).isEmpty   // true
    /// ```
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Dropped by `clean_text`: U+0000, U+FFFD, and controls, format characters and private-use
    /// characters (HF's `is_control`), except tab, line feed and carriage return.
    ///
    /// ```swift
    /// BertCharacterClass.of(0x07).contains(.removedByClean)   // true: BEL
    /// ```
    public static let removedByClean = BertCharacterClass(rawValue: 1 << 0)

    /// Turned into a space by `clean_text`: tab, LF, CR and the Unicode White_Space characters
    /// that are not controls (U+00A0, U+2028, U+3000, …). U+000B, U+000C and U+0085 are
    /// controls and are dropped instead.
    ///
    /// ```swift
    /// BertCharacterClass.of(0xA0).contains(.cleanWhitespace)   // true: NO-BREAK SPACE
    /// ```
    public static let cleanWhitespace = BertCharacterClass(rawValue: 1 << 1)

    /// A CJK ideograph, padded with spaces by `handle_chinese_chars` (HF's `is_chinese_char`
    /// ranges; Hiragana, Katakana and Hangul are not among them).
    ///
    /// ```swift
    /// BertCharacterClass.of(0x3042).contains(.chinese)   // false: "あ"
    /// ```
    public static let chinese = BertCharacterClass(rawValue: 1 << 2)

    /// Split off as a token of its own by the pre-tokenizer: ASCII 33–47, 58–64, 91–96,
    /// 123–126 (so `$`, `+`, `^` too) and the Unicode punctuation categories P*.
    ///
    /// ```swift
    /// BertCharacterClass.of(0x24).contains(.punctuation)     // true: "$"
    /// BertCharacterClass.of(0x20AC).contains(.punctuation)   // false: "€" is a symbol (Sc)
    /// ```
    public static let punctuation = BertCharacterClass(rawValue: 1 << 3)

    /// A nonspacing mark (category Mn), dropped after NFD when accents are stripped.
    ///
    /// ```swift
    /// BertCharacterClass.of(0x301).contains(.nonspacingMark)   // true: COMBINING ACUTE ACCENT
    /// ```
    public static let nonspacingMark = BertCharacterClass(rawValue: 1 << 4)

    /// Separates words in the pre-tokenizer: Rust's `char::is_whitespace` (Unicode White_Space).
    ///
    /// ```swift
    /// BertCharacterClass.of(0x85).contains(.whitespace)   // true: NEXT LINE
    /// ```
    public static let whitespace = BertCharacterClass(rawValue: 1 << 5)

    /// The classes of the scalar with this value.
    ///
    /// ```swift
    /// BertCharacterClass.of(0x20)   // [.cleanWhitespace, .whitespace]
    /// ```
    @inlinable
    public static func of(_ scalar: UInt32) -> BertCharacterClass {
        if scalar < 0x10000 { return BertCharacterClass(rawValue: basicPlane[Int(scalar)]) }
        return supplementary(scalar)
    }

    /// The classes of `scalar`.
    ///
    /// ```swift
    /// BertCharacterClass.of("中" as Unicode.Scalar).contains(.chinese)   // true
    /// ```
    @inlinable
    public static func of(_ scalar: Unicode.Scalar) -> BertCharacterClass { of(scalar.value) }

    /// Unicode White_Space, as Rust's `char::is_whitespace` has it.
    static let whitespaceRanges: [(UInt32, UInt32)] = [
        (0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
        (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
    ]

    /// HF's `is_chinese_char`: the CJK Unified Ideographs blocks and extensions, and the
    /// compatibility ideographs, sorted for the binary search. (HF starts one range at 0x2B920
    /// where Google's Python BERT has 0x2B820: U+2B820…U+2B91F are not padded.)
    static let chineseRanges: [(UInt32, UInt32)] = [
        (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
        (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0x2F800, 0x2FA1F),
    ]

    /// Every class with its ranges, in one place for both lookups.
    static let rangeTables: [(BertCharacterClass, [(UInt32, UInt32)])] = [
        (.removedByClean, BertCharacterTables.cleanTextRemoved),
        (.chinese, chineseRanges),
        (.punctuation, BertCharacterTables.punctuation),
        (.nonspacingMark, BertCharacterTables.nonspacingMarks),
        (.whitespace, whitespaceRanges),
    ]

    /// One byte of flags per scalar of the Basic Multilingual Plane.
    @usableFromInline
    static let basicPlane: [UInt8] = {
        var flags = [UInt8](repeating: 0, count: 0x10000)
        for (bit, ranges) in rangeTables {
            for (low, high) in ranges where low < 0x10000 {
                for scalar in low...min(high, 0xFFFF) { flags[Int(scalar)] |= bit.rawValue }
            }
        }
        // clean_text first drops controls, then maps what is left of whitespace (and \t \n \r,
        // which HF exempts from `is_control`) to a space.
        for scalar in 0..<0x10000 where flags[scalar] & whitespace.rawValue != 0 && flags[scalar] & removedByClean.rawValue == 0 {
            flags[scalar] |= cleanWhitespace.rawValue
        }
        return flags
    }()

    /// The classes of a scalar above U+FFFF: a binary search per table (no whitespace there).
    @usableFromInline
    static func supplementary(_ scalar: UInt32) -> BertCharacterClass {
        var found = BertCharacterClass()
        for (bit, ranges) in rangeTables where contains(ranges, scalar) { found.insert(bit) }
        return found
    }

    /// Whether sorted, disjoint `ranges` contain `scalar`.
    static func contains(_ ranges: [(UInt32, UInt32)], _ scalar: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].1 < scalar { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].0 <= scalar
    }
}
