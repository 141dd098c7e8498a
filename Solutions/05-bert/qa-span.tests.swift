import XCTest

/// Hidden tests for `bestAnswerSpan`, each worked out by hand: positions outside the passage
/// never win (the question's tokens, [CLS], the last [SEP]), a one-token limit, ties, negative
/// logits, and a span ending at the passage's last token.
final class QASpanHiddenTests: XCTestCase {
    func testTokensOutsideThePassageNeverWin() {
        // [CLS] q q [SEP] p p p [SEP]: the huge scores sit on [CLS] (0) and the question (1, 2) and the last [SEP] (7).
        let start: [Float] = [50, 40, 0, 0, 1, 2, 0, 30]
        let end: [Float] = [50, 0, 40, 0, 0, 1, 3, 30]
        // Passage 4..<7: best is start 5 (2) + end 6 (3) = 5; (4, 6) = 4, (5, 5) = 3, (6, 6) = 3.
        let span = bestAnswerSpan(startLogits: start, endLogits: end, passage: 4..<7, maxLength: 30)
        XCTAssertEqual(span.start, 5)
        XCTAssertEqual(span.end, 6)
    }

    func testOneTokenAnswers() {
        let start: [Float] = [0, 2, 1, 3]
        let end: [Float] = [5, 0, 1, 0]
        // With maxLength 1 the span is (i, i): scores 5, 2, 2, 3 → (0, 0).
        let span = bestAnswerSpan(startLogits: start, endLogits: end, passage: 0..<4, maxLength: 1)
        XCTAssertEqual(span.start, 0)
        XCTAssertEqual(span.end, 0)
    }

    func testTiesGoToTheEarliestSpan() {
        // Every span scores 0: the answer is the first one visited, (1, 1).
        let span = bestAnswerSpan(startLogits: [0, 0, 0, 0], endLogits: [0, 0, 0, 0], passage: 1..<4, maxLength: 3)
        XCTAssertEqual(span.start, 1)
        XCTAssertEqual(span.end, 1)
        // (1, 3) and (2, 3) both score 2 + 1 = 3: the smaller start wins.
        let tie = bestAnswerSpan(startLogits: [0, 2, 2, 0], endLogits: [0, 0, 0, 1], passage: 1..<4, maxLength: 3)
        XCTAssertEqual(tie.start, 1)
        XCTAssertEqual(tie.end, 3)
    }

    func testNegativeLogitsAndTheLastToken() {
        let start: [Float] = [-9, -5, -1, -7, -3]
        let end: [Float] = [-9, -8, -6, -4, -2]
        // Best: start −1 at 2 with end −2 at 4: −3 (3 tokens, allowed).
        let span = bestAnswerSpan(startLogits: start, endLogits: end, passage: 1..<5, maxLength: 3)
        XCTAssertEqual(span.start, 2)
        XCTAssertEqual(span.end, 4)
        // With at most 2 tokens: (2, 3) −5, (3, 4) −9, (4, 4) −5, (2, 2) −7 → (2, 3).
        let short = bestAnswerSpan(startLogits: start, endLogits: end, passage: 1..<5, maxLength: 2)
        XCTAssertEqual(short.start, 2)
        XCTAssertEqual(short.end, 3)
    }
}
