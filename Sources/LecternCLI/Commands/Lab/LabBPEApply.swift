// `lectern lab bpe apply`: `subword-nmt apply-bpe -c merges.txt` — segment standard input line
// by line with the merges, writing "@@ "-joined pieces to standard output as each chunk of
// input arrives (so it works in a pipe, or interactively at a terminal).
import ArgumentParser
import Foundation
import LecternTokenizers

struct LabBPEApply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Segment standard input with BPE merges (like `subword-nmt apply-bpe`)."
    )

    @Option(help: ArgumentHelp("The merges file (`#version: 0.2`, as `lectern lab bpe learn` or subword-nmt write it).", valueName: "file"))
    var merges: String

    @Option(help: ArgumentHelp("Appended to every piece of a word but the last.", valueName: "text"))
    var separator = "@@"

    func run() throws {
        let table: BPEMerges
        do { table = try BPEMerges(contentsOf: URL(fileURLWithPath: merges)) } catch {
            printError("lectern: \(error)")
            throw Exit.failed
        }
        let segmenter = BPESegmenter(merges: table, separator: separator)
        let input = FileHandle.standardInput, output = FileHandle.standardOutput
        // Complete lines only: everything up to the last \n of what has arrived (a \n never
        // sits inside a UTF-8 sequence, and a \r before it belongs to the same break); the rest
        // waits for the next chunk, or for the end of input.
        var pending = Data()
        while true {
            let chunk = input.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            guard let newline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let lines = String(decoding: pending[pending.startIndex...newline], as: UTF8.self)
            pending = Data(pending[(newline + 1)...])
            output.write(Data(segmenter.segment(text: lines).utf8))
        }
        if !pending.isEmpty { output.write(Data(segmenter.segment(text: String(decoding: pending, as: UTF8.self)).utf8)) }
    }
}
