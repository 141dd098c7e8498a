import XCTest
import LecternNN

/// Hidden tests for `lookAheadMask`: equal to the library's `LecternNN.causalMask` for square and
/// bottom-right (fewer queries than keys) shapes.
final class CausalMaskHiddenTests: XCTestCase {
    func testMatchesTheLibraryForEveryShapeUpToSeven() {
        for keys in 1...7 {
            for queries in 1...keys {
                let mine = lookAheadMask(queries: queries, keys: keys)
                let want = LecternNN.causalMask(queryLength: queries, keyLength: keys)
                XCTAssertEqual(mine.shape, want.shape, "\(queries) queries over \(keys) keys: shape")
                XCTAssertEqual(mine.scalars, want.scalars, "\(queries) queries over \(keys) keys")
            }
        }
    }

    func testTheQueriesAreTheNewestPositions() {
        // Two new tokens after three cached ones: query 0 is position 3, query 1 is position 4.
        XCTAssertEqual(lookAheadMask(queries: 2, keys: 5).scalars, [1, 1, 1, 1, 0,
                                                                   1, 1, 1, 1, 1])
    }
}
