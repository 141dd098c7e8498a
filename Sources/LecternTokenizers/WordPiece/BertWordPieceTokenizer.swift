// The whole BERT tokenizer: special tokens → BertNormalizer → BertPreTokenizer → WordPiece →
// truncation → [CLS]/[SEP] template → padding, following Hugging Face `tokenizers`
// (tokenizer/mod.rs, `encode` and `post_process`; the `BertWordPieceTokenizer`
// implementation in bindings/python/py_src/tokenizers/implementations/bert_wordpiece.py).
// Loading and saving are in BertWordPieceTokenizer+Loading.swift and +Saving.swift.

/// A BERT tokenizer: `encode` gives the `input_ids`, `token_type_ids` and `attention_mask`
/// a BERT model takes, for one text or a pair of texts.
///
/// ```swift
/// let tokenizer = try BertWordPieceTokenizer(vocabTXT: URL(fileURLWithPath: "bert/vocab.txt"))
/// let encoding = tokenizer.encode("Hello, world!")
/// encoding.tokens   // ["[CLS]", "hello", ",", "world", "!", "[SEP]"]
/// encoding.ids      // [101, 7592, 1010, 2088, 999, 102]
/// tokenizer.encode("Who?", pair: "Me.").typeIDs   // [0, 0, 0, 0, 1, 1, 1]
/// ```
public struct BertWordPieceTokenizer: Tokenizer {
    /// Cleaning, CJK padding, accent stripping, lowercasing.
    ///
    /// ```swift
    /// tokenizer.normalizer.lowercase   // true for an uncased BERT
    /// ```
    public let normalizer: BertNormalizer
    /// Words to pieces.
    ///
    /// ```swift
    /// tokenizer.model.tokenize("unaffable")   // ["una", "##ffa", "##ble"]
    /// ```
    public let model: WordPiece
    /// Tokens matched in the raw text before normalization (the special tokens), as in HF's
    /// `added_tokens`.
    ///
    /// ```swift
    /// tokenizer.addedTokens.map(\.content)   // ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    /// ```
    public let addedTokens: [AddedToken]
    /// Where [CLS] and [SEP] go, and the type id of each part (HF's post-processor).
    ///
    /// ```swift
    /// tokenizer.template.addedCount(pair: true)   // 3: [CLS], [SEP], [SEP]
    /// ```
    public let template: Template
    /// Cut sequences to a maximum length (before the template's tokens are added), or nil.
    ///
    /// ```swift
    /// tokenizer.truncation = .init(maxLength: 512)
    /// ```
    public var truncation: Truncation?
    /// Pad encodings to a length, or nil.
    ///
    /// ```swift
    /// tokenizer.padding = .init(length: 128)
    /// ```
    public var padding: Padding?
    /// Tokens back to text; nil joins the tokens with spaces, as HF does without a decoder.
    ///
    /// ```swift
    /// tokenizer.decoder?.cleanup   // true
    /// ```
    public let decoder: WordPieceDecoder?

    let splitter: BertWordSplitter
    let matcher: BertAddedTokenMatcher
    /// Every id's token as a `String`, made once (an encoding's `tokens` share them).
    let tokenStrings: [String?]
    /// The ids of added tokens marked special: `decode` leaves them out.
    let specialIDs: Set<Int>

    /// A tokenizer from its parts. By default, the added tokens are whichever of [PAD], [UNK],
    /// [CLS], [SEP] and [MASK] the vocabulary has, and the template is BERT's when it has
    /// [CLS] and [SEP] (else none: `Template.plain`).
    ///
    /// ```swift
    /// let vocabulary = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hi"])
    /// let tokenizer = BertWordPieceTokenizer(model: WordPiece(vocabulary: vocabulary))
    /// tokenizer.encode("Hi [MASK]").ids   // [2, 5, 4, 3]
    /// ```
    public init(normalizer: BertNormalizer = BertNormalizer(), model: WordPiece, addedTokens: [AddedToken]? = nil,
                template: Template? = nil, truncation: Truncation? = nil, padding: Padding? = nil,
                decoder: WordPieceDecoder? = WordPieceDecoder()) {
        self.normalizer = normalizer
        self.model = model
        let addedTokens = addedTokens ?? AddedToken.bertSpecialTokens(in: model.vocabulary)
        self.addedTokens = addedTokens
        self.template = template ?? Template.bert(in: model.vocabulary) ?? .plain
        self.truncation = truncation
        self.padding = padding
        self.decoder = decoder
        splitter = BertWordSplitter(normalizer: normalizer)
        matcher = BertAddedTokenMatcher(tokens: addedTokens.map { ($0.content, $0.id) })
        var strings = [String?](repeating: nil, count: model.vocabulary.idLimit)
        for (bytes, id) in model.vocabulary.entries { strings[id] = String(decoding: bytes, as: UTF8.self) }
        for token in addedTokens {
            if token.id >= strings.count { strings.append(contentsOf: repeatElement(nil, count: token.id + 1 - strings.count)) }
            strings[token.id] = token.content
        }
        tokenStrings = strings
        specialIDs = Set(addedTokens.filter(\.special).map(\.id))
    }

    // MARK: Tokenizer

    /// `text` with [CLS] and [SEP], truncated and padded as configured (HF's `encode(text)`).
    ///
    /// ```swift
    /// tokenizer.encode("hello world").tokens   // ["[CLS]", "hello", "world", "[SEP]"]
    /// ```
    public func encode(_ text: String) -> Encoding {
        encode(text, pair: nil)
    }

    /// The text of `ids`, special tokens left out (HF's `decode(ids, skip_special_tokens=True)`).
    ///
    /// ```swift
    /// tokenizer.decode([101, 7592, 1010, 2088, 999, 102])   // "hello, world!"
    /// ```
    public func decode(_ ids: [Int]) -> String {
        decode(ids, skipSpecialTokens: true)
    }

    /// The id of `token` (an added token, or a vocabulary entry; compared by bytes), or nil.
    ///
    /// ```swift
    /// tokenizer.id(of: "[CLS]")   // 101
    /// ```
    public func id(of token: String) -> Int? {
        let bytes = Array(token.utf8)
        if let added = addedTokens.first(where: { Array($0.content.utf8) == bytes }) { return added.id }
        return model.vocabulary.id(of: bytes)
    }

    /// The token with this id, or nil.
    ///
    /// ```swift
    /// tokenizer.token(of: 102)   // "[SEP]"
    /// ```
    public func token(of id: Int) -> String? {
        id >= 0 && id < tokenStrings.count ? tokenStrings[id] : nil
    }

    /// One past the largest id: the vocabulary and any added tokens beyond it.
    ///
    /// ```swift
    /// tokenizer.vocabularySize   // 30522
    /// ```
    public var vocabularySize: Int { tokenStrings.count }

    // MARK: Encoding

    /// `text` (and `pair`, BERT's sentence B) encoded: pieces, truncated, with the template's
    /// special tokens when `addSpecialTokens`, padded (HF's `encode(text, pair, add_special_tokens)`).
    ///
    /// ```swift
    /// let encoding = tokenizer.encode("Is it?", pair: "Yes.")
    /// encoding.tokens    // ["[CLS]", "is", "it", "?", "[SEP]", "yes", ".", "[SEP]"]
    /// encoding.typeIDs   // [0, 0, 0, 0, 0, 1, 1, 1]
    /// ```
    public func encode(_ text: String, pair: String?, addSpecialTokens: Bool = true) -> Encoding {
        var first = sequenceIDs(text)
        var second = pair.map(sequenceIDs)
        if let truncation {
            let added = addSpecialTokens ? template.addedCount(pair: second != nil) : 0
            truncation.apply(first: &first, second: &second, maxLength: max(0, truncation.maxLength - added))
        }
        var (ids, typeIDs) = template.apply(first: first, second: second, addSpecialTokens: addSpecialTokens)
        var attentionMask = Array(repeating: 1, count: ids.count)
        padding?.apply(ids: &ids, typeIDs: &typeIDs, attentionMask: &attentionMask)
        return Encoding(ids: ids, tokens: ids.map { token(of: $0) ?? "" }, typeIDs: typeIDs, attentionMask: attentionMask)
    }

    /// The ids of `text` alone: no special tokens added, no truncation, no padding.
    ///
    /// ```swift
    /// tokenizer.sequenceIDs("hello [MASK]")   // [7592, 103]
    /// ```
    public func sequenceIDs(_ text: String) -> [Int] {
        var sink = WordPiece.IDSink(model: model)
        sink.ids.reserveCapacity(text.utf8.count / 4 + 4)
        var text = text
        text.withUTF8 { bytes in
            var position = 0
            while let match = matcher.nextMatch(in: bytes, from: position) {
                splitter.split(UnsafeBufferPointer(rebasing: bytes[position..<match.start]), into: &sink)
                sink.ids.append(match.id)
                position = match.start + match.length
            }
            splitter.split(UnsafeBufferPointer(rebasing: bytes[position...]), into: &sink)
        }
        return sink.ids
    }

    /// The tokens of `text` alone, as HF's `tokenize` (no special tokens added).
    ///
    /// ```swift
    /// tokenizer.tokenize("Unaffable!")   // ["una", "##ffa", "##ble", "!"]
    /// ```
    public func tokenize(_ text: String) -> [String] {
        sequenceIDs(text).map { token(of: $0) ?? "" }
    }

    /// The text of `ids`; with `skipSpecialTokens`, the added tokens marked special are left out.
    ///
    /// ```swift
    /// tokenizer.decode([101, 7592, 102], skipSpecialTokens: false)   // "[CLS] hello [SEP]"
    /// ```
    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        let tokens = ids.compactMap { id -> String? in
            if skipSpecialTokens, specialIDs.contains(id) { return nil }
            return token(of: id)
        }
        return decoder?.decode(tokens) ?? tokens.joined(separator: " ")
    }
}
