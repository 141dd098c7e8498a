// `lectern lab bench [cases…] [--json] [--quick] [--no-reference]`: our kernels against NumPy and
// PyTorch on this machine, in one run. The cases are in Cases/, the harness in BenchHarness.swift.
import ArgumentParser
import Foundation
import LecternCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the library's kernels against NumPy and PyTorch.",
        // One line per paragraph: ArgumentParser wraps them to the terminal itself.
        discussion: """
        Cases: \(BenchCase.all.map(\.name).joined(separator: ", ")).

        Timing: after a warm-up, the fastest of 10 repetitions (3 with --quick), each long enough (≥ 50 ms; 20 ms with --quick) to time reliably. The reference is measured in the same run, timed the same way, by Scripts/bench/reference.py: NumPy for sgemm, PyTorch CPU (torch.set_num_threads(n), n the library's thread count: LECTERN_NUM_THREADS, else the cores) for tensor operations: under no_grad for single operations and inference (mha-forward, bert-base-forward, kv-cache-decode: eval mode, torch's fast paths allowed), recording gradients for training steps (mlp-step and gpt-train-step: forward, backward and an AdamW update; mha-train-step: forward and backward). Tokenizer cases: Hugging Face tokenizers' encode_batch on one thread (RAYON_NUM_THREADS=1), figures in MB of text per second. Each case is measured 3 times on each side (once with --quick), alternating which side goes first, and each side keeps its best figure: both are timed within the same few seconds, so a burst of load elsewhere does not decide the ratio.

        Python: $LECTERN_PYTHON, else <course>/.venv-oracle/bin/python, else python3 on PATH. Without numpy or torch there, ref and ratio are missing; set the environment up with `\(ReferenceSession.setupHint)` from the course folder.

        Units: GFLOP/s or MB/s (throughput: higher is better), ms (time per call, or per decoded token for kv-cache-decode: lower is better) or MB (memory, 10^6 bytes: lower is better).

        Memory (gpt-train-step-memory): not timed. After one training step, idle allocator memory is given back to the system (our tensor buffer cache; glibc's malloc_trim on both sides), the peak resident memory is reset (Linux: /proc/self/clear_refs), three steps run, and the figure is their peak resident memory minus the resident memory just before them: the steps' working memory. Each side measures its own process the same way. On macOS the peak cannot be reset, so the figure is right only when the case runs first in its process.

        Ratio: how many times better we are than the reference, whatever the unit (ours/ref for GFLOP/s and MB/s, ref/ours for ms and MB). Above 1 we are faster (or smaller), below 1 slower (or larger).

        Text output: a header (our BLAS, the reference's versions, the ratio convention), then one line per case as it finishes: `<case>  <ours> <unit>  <ref> <unit>  <ratio>×`, with — for a missing ref and ratio, then a note on how to get them.

        JSON output (--json): exactly one JSON object on standard output, case name → {"ours": number, "ref": number or null, "ratio": number or null, "unit": "GFLOP/s", "MB/s", "ms" or "MB"}. Progress, notes and warnings go to standard error.

        Build with `swift build -c release` first (Scripts/lectern does, for this machine's CPU: LECTERN_TARGET_CPU=haswell when it has AVX2 and FMA): a debug build's figures are meaningless.
        """
    )

    @Argument(help: "Run only these cases (a name, or a prefix such as `sgemm`; default: all).")
    var cases: [String] = []

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    @Flag(help: "Fewer, shorter repetitions: a rough figure in a few seconds.")
    var quick = false

    @Flag(help: "Do not run the Python reference (ref and ratio are null).")
    var noReference = false

    func run() throws {
        #if DEBUG
        printError("warning: this lectern is a debug build; benchmark figures are meaningless. Build with `swift build -c release`.")
        #endif
        let selected = cases.isEmpty ? BenchCase.all : BenchCase.all.filter { bench in
            cases.contains { bench.name == $0 || bench.name.hasPrefix($0) }
        }
        guard !selected.isEmpty else {
            printError("lectern: no benchmark case matches \(cases.joined(separator: " ")); cases: \(BenchCase.all.map(\.name).joined(separator: ", "))")
            throw Exit.usage
        }
        let environment = ProcessInfo.processInfo.environment
        let threads = Kernels.threadCount   // the reference gets as many threads as we use
        let settings: BenchSettings = quick ? .quick : .full

        // The reference: one Python process for the whole run, asked one case at a time.
        var session: ReferenceSession?
        var unavailable: String?
        if noReference {
            unavailable = "--no-reference"
        } else if selected.contains(where: { $0.reference != nil }) {
            if !json { printError("Starting the reference (Python: NumPy, PyTorch)…") }
            // Importing torch takes seconds: only for the cases that use it.
            let withoutTorch: Set<String> = ["sgemm", "bpe_learn", "encode_byte_bpe", "encode_wordpiece"]
            let needsTorch = selected.contains { $0.reference.map { !withoutTorch.contains($0.kind) } ?? false }
            // Imported up front (not with its first case) so that the header shows its version.
            let needsTokenizers = selected.contains { ["encode_byte_bpe", "encode_wordpiece"].contains($0.reference?.kind ?? "") }
            let root = try? Context.findCourseRoot(explicit: nil, environment: environment)
            switch ReferenceSession.start(courseRoot: root, environment: environment, threads: threads, quick: quick,
                                          libs: (needsTorch ? ["numpy", "torch"] : ["numpy"]) + (needsTokenizers ? ["tokenizers"] : [])) {
            case let .success(started): session = started
            case let .failure(why): unavailable = why.reason
            }
        }
        defer { session?.close() }

        if !json {
            print("ours: \(Kernels.blasDescription); vector loops compiled for \(Kernels.vectorTarget)")
            print("reference: \(unavailable.map { "none (\($0))" } ?? session.map(Bench.describe) ?? "none")")
            print("ratio > 1: we are faster (ours/ref for GFLOP/s and MB/s, ref/ours for ms and MB)\n")
        }

        let nameWidth = max(4, selected.map(\.name.count).max() ?? 0)
        var rows: [(name: String, ours: Double, ref: Double?, ratio: Double?, unit: String)] = []
        var missing: [(name: String, reason: String)] = []
        for bench in selected {
            // A timed case builds its inputs once, here; a measured case builds what it needs each time.
            let figure: () -> Double
            switch bench.body {
            case let .timed(prepare):
                let body = prepare()
                figure = { bench.unit.value(seconds: settings.secondsPerCall(body)) }
            case let .measured(measure):
                figure = measure
            }
            var ours: Double?
            var ref: Double?
            var refError: String?
            func measureOurs() {
                let value = figure()
                ours = ours.map { bench.unit.best($0, value) } ?? value
            }
            func measureReference() {
                guard let session, bench.reference != nil, refError == nil else { return }
                switch session.measure(bench) {
                case let .success(value): ref = ref.map { bench.unit.best($0, value) } ?? value
                case let .failure(why): refError = why.reason
                }
            }
            // Alternate which side goes first, so neither always gets the quieter moment.
            for round in 0..<settings.rounds {
                if round.isMultiple(of: 2) { measureReference(); measureOurs() } else { measureOurs(); measureReference() }
            }
            let value = ours ?? .nan
            if bench.reference != nil, ref == nil, unavailable == nil {
                missing.append((bench.name, refError ?? session?.failure ?? "no figure"))
            }
            let ratio = ref.map { bench.unit.ratio(ours: value, ref: $0) }
            rows.append((bench.name, value, ref, ratio, bench.unit.symbol))
            if !json {
                let unit = bench.unit.symbol
                let refText = ref.map { "\(Bench.figure($0)) \(unit)" } ?? "—"
                let ratioText = ratio.map { String(format: "%.2f×", $0) } ?? "—"
                print(Bench.pad(bench.name, nameWidth) + "  " + Bench.pad("\(Bench.figure(value)) \(unit)", 16, left: true)
                      + "  " + Bench.pad(refText, 16, left: true) + "  " + Bench.pad(ratioText, 7, left: true))
                fflush(nil)   // show each line as it finishes, also through a pipe
            }
        }

        // Why figures are missing, once per distinct reason, and how to get them.
        if !noReference, unavailable != nil || !missing.isEmpty {
            func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }
            var note: String
            if let why = unavailable {
                note = "No reference figures: " + sentence(why)
            } else {
                var reasons: [(reason: String, cases: [String])] = []
                for (name, reason) in missing {
                    if let index = reasons.firstIndex(where: { $0.reason == reason }) { reasons[index].cases.append(name) }
                    else { reasons.append((reason, [name])) }
                }
                note = reasons.map { "No reference for \($0.cases.joined(separator: ", ")): " + sentence($0.reason) }.joined(separator: "\n")
            }
            note += "\nTo get them, from the course folder: \(ReferenceSession.setupHint) (or set LECTERN_PYTHON to a Python with numpy and torch)."
            if json { printError(note) } else { print("\n" + note) }
        }

        if json {
            var text = "{"
            for (index, row) in rows.enumerated() {
                text += index == 0 ? "\n" : ",\n"
                text += "  \(Bench.jsonString(row.name)): {\"ours\": \(Bench.jsonNumber(row.ours)), \"ref\": \(Bench.jsonNumber(row.ref)), "
                text += "\"ratio\": \(Bench.jsonNumber(row.ratio)), \"unit\": \(Bench.jsonString(row.unit))}"
            }
            print(text + "\n}")
        }
    }

    /// The reference line of the header: the libraries the script imported, and the Python.
    static func describe(_ session: ReferenceSession) -> String {
        var parts: [String] = []
        if let numpy = session.versions["numpy"] {
            parts.append("NumPy \(numpy)" + (session.versions["blas"].map { " (\($0.split(separator: " ").prefix(2).joined(separator: " ")))" } ?? ""))
        }
        if let torch = session.versions["torch"] { parts.append("PyTorch \(torch), \(ProcessInfo.processInfo.activeProcessorCount) threads") }
        if let tokenizers = session.versions["tokenizers"] { parts.append("tokenizers \(tokenizers), 1 thread") }
        parts.append("Python \(session.versions["python"] ?? "") at \(session.python)")
        return parts.joined(separator: "; ")
    }

    /// A figure for the table: 266.9, 12.35, 1.234, 0.0737.
    static func figure(_ value: Double) -> String {
        String(format: value >= 100 ? "%.1f" : value >= 10 ? "%.2f" : value >= 1 ? "%.3f" : "%.3g", value)
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? fill + text : text + fill
    }

    /// A JSON number with six significant digits, or null.
    static func jsonNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return String(format: "%.6g", value)
    }

    static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
