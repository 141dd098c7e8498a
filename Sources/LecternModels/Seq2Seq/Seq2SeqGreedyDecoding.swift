// Greedy decoding: generate a target one token at a time, each step feeding back the most
// likely token, until `<eos>` or a length limit.
//
// Reference: Sutskever et al. (2014) §3.2 (left-to-right decoding; they use a small beam, of
// which greedy search is the width-1 case); Cho et al. (2014) §2.2. Why batched with padding:
// rows finish at different steps, and running the whole batch each step is one decoder call
// instead of B; a finished row keeps running but its outputs are replaced by `<pad>`, which
// cannot change any other row (rows never interact). Runs without recording gradients.

extension EncoderDecoder {
    /// The greedy output for each source row: at each step the arg-max token, fed back as the
    /// next input, until every row has produced `eosID` or `maxLength` tokens were generated.
    ///
    ///     let ids = model.greedyDecode([[3, 4, 5], [6, 0, 0]], maxLength: 6)
    ///     // e.g. [[3, 4, 5, 2], [6, 2, 0, 0]]: <eos> = 2 is included, then <pad> = 0
    ///
    /// All rows have the same length, the number of steps run (≤ `maxLength`): a row contains
    /// its tokens up to and including its `<eos>` (absent if it hit the limit), then `padID`.
    ///
    /// - Parameter sourceLengths: the real length of each row; default ``sourceLengths(_:)``.
    /// - Precondition: `maxLength >= 1`.
    public func greedyDecode(_ source: [[Int]], maxLength: Int, sourceLengths: [Int]? = nil) -> [[Int]] {
        greedyDecode(source, maxLength: maxLength, sourceLengths: sourceLengths) { _ in }
    }

    /// Greedy decoding that shows `observe` the state after every step (an attention model
    /// reads its attention weights there).
    func greedyDecode(_ source: [[Int]], maxLength: Int, sourceLengths: [Int]?,
                      observe: (DecodingState) -> Void) -> [[Int]] {
        require(maxLength >= 1, "greedyDecode: maxLength must be at least 1, got \(maxLength)")
        return Tensor.withoutGradients {
            var state = startDecoding(source, sourceLengths: sourceLengths)
            var previous = Array(repeating: config.bosID, count: source.count)
            var finished = Array(repeating: false, count: source.count)
            var result = Array(repeating: [Int](), count: source.count)
            for _ in 0..<maxLength where !finished.allSatisfy({ $0 }) {
                let logits = decodeStep(previous, state: &state)          // (B, V)
                observe(state)
                let best = logits.argmax(axis: 1)                        // B ids
                for row in source.indices {
                    let token = finished[row] ? config.padID : best[row]
                    result[row].append(token)
                    if token == config.eosID { finished[row] = true }
                    previous[row] = token
                }
            }
            return result
        }
    }
}
