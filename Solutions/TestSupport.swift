// Helpers for the hidden tests of every lesson (Solutions/<lesson>/<id>.tests.swift).
//
// The grader compiles this file together with an exercise's hidden tests, so helpers that many
// hidden tests need live here once instead of being copied into each file. Students never see
// it; its names are specific enough not to clash with anything a student's exercise declares.
import XCTest
import LecternCore

/// Asserts that `got` has `want`'s shape and that every element is within
/// `absolute + relative·|want|` of it; reports the first element (row-major) that is not.
///
///     assertTensorClose(yourScores, DotScore()(query, keys), "B = 2, S = 5")
func assertTensorClose(_ got: Tensor, _ want: Tensor, _ what: String, absolute: Float = 1e-5, relative: Float = 1e-4,
                       file: StaticString = #filePath, line: UInt = #line) {
    guard got.shape == want.shape else {
        return XCTFail("\(what): got shape \(got.shape), expected \(want.shape)", file: file, line: line)
    }
    for (i, (g, w)) in zip(got.scalars, want.scalars).enumerated() where !(abs(g - w) <= absolute + relative * abs(w)) {
        return XCTFail("\(what): element \(i) (row-major) is \(g), expected \(w)", file: file, line: line)
    }
}
