import XCTest
import LecternNN

/// Hidden tests for `positionalEncoding`: against the library's
/// `LecternNN.sinusoidalPositionalEncoding` for even and odd dimensions and long tables.
final class PositionalEncodingHiddenTests: XCTestCase {
    func testMatchesTheLibrary() {
        for (length, dim) in [(50, 16), (7, 5), (1, 1), (200, 64)] {
            let mine = positionalEncoding(length: length, dim: dim)
            assertTensorClose(mine, LecternNN.sinusoidalPositionalEncoding(length: length, dim: dim),
                              "\(length) positions × \(dim) dimensions", absolute: 2e-5, relative: 0)
        }
    }

    func testAnOddDimensionEndsInSine() {
        let pe = positionalEncoding(length: 3, dim: 3)
        XCTAssertEqual(pe.shape, [3, 3])
        // Dimension 2 is the sine of pair i = 1: sin(pos / 10000^(2/3)).
        XCTAssertEqual(pe.scalars[2 * 3 + 2], Float(sin(2 / pow(10000, 2.0 / 3))), accuracy: 1e-6)
    }
}
