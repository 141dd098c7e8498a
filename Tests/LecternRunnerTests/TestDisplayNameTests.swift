// How a report names a test: the XCTest method name read as words, with acronyms kept whole
// (names written by hand here, as a student would read them).
@testable import LecternRunner
import XCTest

final class TestDisplayNameTests: XCTestCase {
    private func display(_ method: String) -> String {
        TestResult(test: PlannedTest(className: "C", method: method, visible: true, code: nil, location: nil),
                   outcome: .passed, message: nil, location: nil, output: "", outputTruncated: false).displayName
    }

    func testCamelCaseBecomesWords() {
        XCTAssertEqual(display("testSumsToOne"), "sums to one")
        XCTAssertEqual(display("test_snake_case"), "snake case")
    }

    func testASingleCapitalWordIsSplitFromTheNextWord() {
        XCTAssertEqual(display("testAHiddenKeyGetsExactlyZero"), "a hidden key gets exactly zero")
        XCTAssertEqual(display("testEndsWithASine"), "ends with a sine")
    }

    func testAcronymsStayWhole() {
        XCTAssertEqual(display("testPostLNNotPreLN"), "post LN not pre LN")
        XCTAssertEqual(display("testBLEUScore"), "BLEU score")
        XCTAssertEqual(display("testMatchesGPT2"), "matches GPT2")
    }
}
