// LecternTokenizers: subword tokenization as the lectures teach it and as real models use it —
// BPE (Sennrich et al. 2016; subword-nmt compatible), byte-level BPE (GPT-2), WordPiece (BERT),
// and loading Hugging Face `tokenizer.json`, `vocab.txt`, `vocab.json` + `merges.txt`.
//
// Text is handled as Unicode scalars and bytes, never as `Character`s: grapheme clustering would
// merge a letter with its combining accent, or an emoji ZWJ sequence, into one unit that no
// tokenizer sees. Vocabulary keys are compared by their UTF-8 bytes, because Swift's `String ==`
// treats canonically equivalent strings ("é" and "e\u{301}") as equal while tokenizers do not.
