/// Greedy decoding: every row starts from `bosID`; at each step `step` turns the last tokens
/// (B ids) and the state into logits (B, V) and the next state, and each row takes its arg-max.
/// A row is finished once it has produced `eosID` (included in its output); from then on it gets
/// `padID`. Stops when every row is finished or after `maxLength` steps.
func decodeGreedily(initialState: Tensor, batchSize: Int, bosID: Int, eosID: Int, padID: Int, maxLength: Int,
                    step: (_ tokens: [Int], _ state: Tensor) -> (logits: Tensor, state: Tensor)) -> [[Int]] {
    var state = initialState
    var previous = Array(repeating: bosID, count: batchSize)
    var finished = Array(repeating: false, count: batchSize)
    var output = Array(repeating: [Int](), count: batchSize)
    var steps = 0
    while steps < maxLength && finished.contains(false) {
        let (logits, next) = step(previous, state)
        state = next
        let best = logits.argmax(axis: 1)                       // B ids: each row's highest logit
        for row in 0..<batchSize {
            let token = finished[row] ? padID : best[row]
            output[row].append(token)
            if token == eosID { finished[row] = true }
            previous[row] = token
        }
        steps += 1
    }
    return output
}
