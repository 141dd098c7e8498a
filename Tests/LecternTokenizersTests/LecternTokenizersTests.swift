import XCTest
@testable import LecternTokenizers

final class LecternTokenizersModuleTests: XCTestCase {
    func testCanonicallyEquivalentStringsAreDifferentKeys() {
        // The trap the module header warns about: String equality is canonical equivalence.
        XCTAssertEqual("\u{E9}", "e\u{301}")
        XCTAssertNotEqual(Array("\u{E9}".utf8), Array("e\u{301}".utf8))
    }
}
