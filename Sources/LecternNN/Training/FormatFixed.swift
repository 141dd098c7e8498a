// Fixed-point number formatting for the progress line, the loss chart and the BLEU summary.
//
// Why not `String(format: "%.4f")`: Foundation's formatting is not available the same way on
// every platform without importing all of Foundation's locale machinery, and its output is
// what tests compare; this is plain arithmetic, identical everywhere.

/// `value` with `digits` decimals, rounded half away from zero: `formatFixed(2.34567, 3)` is
/// `"2.346"`. Non-finite values print as Swift prints them ("inf", "nan").
func formatFixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (Swift.abs(value) * scale).rounded()
    guard scaled < 9e15 else { return "\(value)" }   // beyond exact integers in a Double
    let units = Int(scaled)
    let scaleInt = Int(scale)
    let whole = units / scaleInt, frac = units % scaleInt
    let sign = value < 0 && units > 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let fracText = String(frac)
    return "\(sign)\(whole).\(String(repeating: "0", count: digits - fracText.count))\(fracText)"
}
