// `lectern lab tokenize --tokenizer PATH --input FILE [--json] [--decode]`: run any tokenizer
// file LecternTokenizers reads (TokenizerFile.load) over a text file, line by line — the
// command-line face of Hugging Face's `tokenizer.encode(line).ids` / `tokenizer.decode(ids)`,
// for comparing with Python by eye or with `diff`.
import ArgumentParser
import Foundation
import LecternTokenizers

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode a text file line by line with a tokenizer (or decode id lines back to text).",
        // One line per paragraph: ArgumentParser wraps them to the terminal itself.
        discussion: """
        Tokenizer: a Hugging Face tokenizer.json (byte-level BPE such as GPT-2's, or WordPiece), a BERT vocab.txt, or a folder holding tokenizer.json, or vocab.json + merges.txt (GPT-2 layout), or vocab.txt — tried in that order.

        Input: UTF-8 text, split at each \\n (a final \\n does not start another line; a \\r before it stays part of the line and is encoded). `--input -` reads standard input.

        Output (stable): one output line per input line, in order. Encoding: the line's ids in decimal, separated by single spaces (an empty line for an empty input line). Decoding (--decode): each input line holds ids separated by spaces; the output line is their decoded text, as the tokenizer's decode gives it (byte-level BPE keeps special tokens and shows invalid UTF-8 as U+FFFD; WordPiece leaves special tokens out); decoded text may itself contain line breaks.

        JSON (--json): exactly one JSON array on standard output, one object per input line, one per output line: {"ids": [...], "tokens": [...]} when encoding, {"ids": [...], "text": "..."} when decoding. Tokens are spelled as in the vocabulary (GPT-2: "Ġworld" for " world").

        Errors (unreadable tokenizer or input, an id that is not a number) go to standard error, with exit status 1.
        """
    )

    @Option(help: ArgumentHelp("tokenizer.json, vocab.txt, or a folder with vocab.json + merges.txt.", valueName: "path"))
    var tokenizer: String

    @Option(help: ArgumentHelp("The text file to tokenize, one text per line (`-`: standard input).", valueName: "file"))
    var input: String

    @Flag(help: "Print one JSON array of {ids, tokens} (or {ids, text} with --decode) objects.")
    var json = false

    @Flag(help: "The input holds lines of space-separated ids: print their text.")
    var decode = false

    func run() throws {
        let loaded: any Tokenizer
        do { loaded = try TokenizerFile.load(URL(fileURLWithPath: tokenizer)) } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
        let data: Data
        if input == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let contents = FileManager.default.contents(atPath: input) {
            data = contents
        } else {
            printError("lectern: cannot read \(input)")
            throw Exit.failed
        }
        let lines = TextLines.split(data)

        var output = json ? "[\n" : ""
        for (number, line) in lines.enumerated() {
            let separator = json ? (number + 1 < lines.count ? ",\n" : "\n") : "\n"
            if decode {
                var ids: [Int] = []
                for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    guard let id = Int(field) else {
                        printError("lectern: \(input):\(number + 1): \"\(field)\" is not a token id")
                        throw Exit.failed
                    }
                    ids.append(id)
                }
                let text = loaded.decode(ids)
                output += json ? "  {\"ids\": \(Tokenize.list(ids)), \"text\": \(Bench.jsonString(text))}" + separator : text + separator
            } else {
                let encoding = loaded.encode(String(line))
                if json {
                    output += "  {\"ids\": \(Tokenize.list(encoding.ids)), \"tokens\": [\(encoding.tokens.map(Bench.jsonString).joined(separator: ", "))]}" + separator
                } else {
                    output += encoding.ids.map(String.init).joined(separator: " ") + separator
                }
            }
            // Write as we go, in chunks: the output of a large file need not sit in memory.
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        if json { output += "]\n" }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// [1, 2, 3]
    static func list(_ ids: [Int]) -> String {
        "[" + ids.map(String.init).joined(separator: ", ") + "]"
    }
}
