import XCTest
@testable import LecternNN

final class LecternNNModuleTests: XCTestCase {
    func testTheCoreIsReExported() {
        XCTAssertEqual(LecternCore.softmax([0, 0]), [0.5, 0.5])
    }
}
