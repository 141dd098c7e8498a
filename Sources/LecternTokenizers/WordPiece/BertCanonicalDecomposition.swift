// Unicode NFD as Hugging Face `tokenizers` computes it when stripping accents (its
// `unicode-normalization-alignments` crate): full canonical decomposition from HF's own table
// (BertCharacterTables.decompositions — newer Unicode versions decompose a few characters HF
// leaves alone), Hangul syllables by the formula of Unicode §3.12, then the canonical
// ordering of each run of combining marks by combining class (UAX #15).

/// Canonical decomposition (NFD) with Hugging Face's data.
///
/// ```swift
/// var output: [Unicode.Scalar] = []
/// BertCanonicalDecomposition.append(["é", "한"], to: &output)
/// output.map(\.value)   // [0x65, 0x301, 0x1112, 0x1161, 0x11AB]
/// ```
enum BertCanonicalDecomposition {
    /// Appends the NFD of `scalars` to `output`.
    static func append(_ scalars: [Unicode.Scalar], to output: inout [Unicode.Scalar]) {
        let start = output.count
        for scalar in scalars {
            let value = scalar.value
            if value < 0xC0 {
                output.append(scalar)
            } else if value >= hangulBase, value < hangulBase + hangulCount {
                appendHangul(value, to: &output)
            } else if let parts = table[value] {
                output.append(contentsOf: parts)
            } else {
                output.append(scalar)
            }
        }
        reorder(&output, from: start)
    }

    /// Sorts each run of non-starters (combining class > 0) by class, keeping equal classes in
    /// order (a stable insertion sort: runs are a few marks long).
    private static func reorder(_ scalars: inout [Unicode.Scalar], from start: Int) {
        guard scalars.count - start > 1 else { return }
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            let rank = combiningClass(scalar)
            if rank != 0 {
                var position = index
                while position > start, case let before = combiningClass(scalars[position - 1]), before > rank {
                    scalars[position] = scalars[position - 1]
                    position -= 1
                }
                scalars[position] = scalar
            }
            index += 1
        }
    }

    @inline(__always)
    private static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < 0x300 ? 0 : scalar.properties.canonicalCombiningClass.rawValue
    }

    // Hangul syllable decomposition (Unicode §3.12): S = L·588 + V·28 + T.
    private static let hangulBase: UInt32 = 0xAC00
    private static let hangulCount: UInt32 = 11172

    private static func appendHangul(_ value: UInt32, to output: inout [Unicode.Scalar]) {
        let index = value - hangulBase
        output.append(Unicode.Scalar(0x1100 + index / 588)!)
        output.append(Unicode.Scalar(0x1161 + (index % 588) / 28)!)
        if index % 28 != 0 { output.append(Unicode.Scalar(0x11A7 + index % 28)!) }
    }

    /// BertCharacterTables.decompositions, parsed: code point → its full decomposition.
    private static let table: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for entry in BertCharacterTables.decompositions.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
            let halves = entry.split(separator: ":")
            guard halves.count == 2, let code = UInt32(halves[0], radix: 16) else { continue }
            table[code] = halves[1].split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
        }
        return table
    }()
}
