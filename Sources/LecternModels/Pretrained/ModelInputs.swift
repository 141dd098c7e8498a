// A model's inputs by Hugging Face's argument names, as `lectern lab forward` reads them.
//
// Reference: the keyword arguments of transformers' `forward` methods (`input_ids`,
// `attention_mask`, `token_type_ids`, `position_ids`, `decoder_input_ids`, …), each a
// (batch, length) tensor of integers: here a JSON object of lists of lists,
//
//     {"input_ids": [[101, 7592, 102]], "attention_mask": [[1, 1, 1]]}

import Foundation

/// Integer inputs by name, every one (B, T), checked before a model sees them.
///
///     let inputs = try ModelInputs(json: Data(#"{"input_ids": [[101, 102]]}"#.utf8))
///     try inputs.ids("input_ids")   // [[101, 102]]
public struct ModelInputs: Sendable {
    /// The inputs by name.
    public var values: [String: [[Int]]]

    /// Inputs from a dictionary.
    ///
    ///     ModelInputs(["input_ids": [[101, 102]]])
    public init(_ values: [String: [[Int]]]) {
        self.values = values
    }

    /// Inputs from a JSON object whose values are lists of lists of integers.
    ///
    ///     try ModelInputs(json: Data(contentsOf: URL(fileURLWithPath: "inputs.json")))
    public init(json: Data) throws(PretrainedModelError) {
        do {
            values = try JSONDecoder().decode([String: [[Int]]].self, from: json)
        } catch let error as DecodingError {
            throw .invalidInput("expected a JSON object of lists of lists of integers, such as {\"input_ids\": [[101, 102]]}; \(PretrainedConfigFile.describe(error))")
        } catch {
            throw .invalidInput("\(error)")
        }
    }

    /// The input `name`, checked to be a non-empty rectangle; nil when absent.
    ///
    ///     let mask = try inputs.ids("attention_mask")
    public func ids(_ name: String) throws(PretrainedModelError) -> [[Int]]? {
        guard let rows = values[name] else { return nil }
        let t = rows.first?.count ?? 0
        guard !rows.isEmpty, t > 0 else { throw .invalidInput("\"\(name)\" is empty; give at least one row of at least one value") }
        guard rows.allSatisfy({ $0.count == t }) else {
            throw .invalidInput("the rows of \"\(name)\" have lengths \(rows.map(\.count)); pad them to one length and mark padding in attention_mask")
        }
        return rows
    }

    /// Checks that only `accepted` names are present and that `required` is.
    ///
    ///     try inputs.check(accepted: ["input_ids", "attention_mask"], required: "input_ids")
    public func check(accepted: [String], required: String) throws(PretrainedModelError) {
        let unknown = values.keys.filter { !accepted.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw .invalidInput("unknown input \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); this model takes \(accepted.joined(separator: ", "))")
        }
        guard values[required] != nil else { throw .invalidInput("\"\(required)\" is required") }
    }

    /// Checks that `rows` has the shape of `reference` and values in `range`.
    func check(_ name: String, _ rows: [[Int]]?, like reference: [[Int]], in range: Range<Int>, meaning: String) throws(PretrainedModelError) {
        guard let rows else { return }
        guard rows.count == reference.count, zip(rows, reference).allSatisfy({ $0.count == $1.count }) else {
            throw .invalidInput("\"\(name)\" must have the shape of input_ids (\(reference.count) × \(reference[0].count))")
        }
        for (r, row) in rows.enumerated() {
            if let c = row.firstIndex(where: { !range.contains($0) }) {
                throw .invalidInput("\"\(name)\"[\(r)][\(c)] = \(row[c]) is outside \(range.lowerBound)..<\(range.upperBound) (\(meaning))")
            }
        }
    }
}
