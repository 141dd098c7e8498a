// `lectern lab bpe learn|apply`: classic BPE (Sennrich et al. 2016) on the command line, in the
// file formats and with the output of subword-nmt's `learn-bpe` and `apply-bpe`, so the two are
// interchangeable in a pipeline. The library side is LecternTokenizers/BPE/.
import ArgumentParser

struct LabBPE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpe",
        abstract: "Learn and apply classic BPE merges (subword-nmt compatible).",
        discussion: """
        lectern lab bpe learn --input corpus.txt --merges 10000 --output merges.txt
        lectern lab bpe apply --merges merges.txt < text.txt > text.bpe

        The merges file and the "@@ " segmentation are those of subword-nmt 0.3 (learn-bpe, apply-bpe): the same merges in the same order, the same output, byte for byte.
        """,
        subcommands: [LabBPELearn.self, LabBPEApply.self]
    )
}
