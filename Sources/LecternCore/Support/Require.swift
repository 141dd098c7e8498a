// Argument checks whose message survives an optimised build.
//
// Why not `precondition`: in -O builds (the release library every lesson runs against) Swift
// drops a failed precondition's message and traps with "precondition failure" alone, so a
// student who passes a tensor of the wrong shape would learn nothing about what was wrong.
// `fatalError` keeps its message in every build mode, so the library checks its arguments with
// `require`, which calls it. The condition is still evaluated in every mode, like precondition.

/// Stops the program with `message` (printed in debug and release builds alike) unless
/// `condition` holds. For checks of a caller's arguments inside the Lectern packages.
///
///     require(x.rank == 2, "linear: x must be (N, in), got \(x.shape)")
@inlinable @inline(__always)
package func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                     file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
