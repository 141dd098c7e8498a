import XCTest
import LecternNN

/// Hidden tests for `noamRate`: against the library's `LecternNN.NoamSchedule` over warm-up and
/// decay for several model sizes, and the shape of the curve.
final class NoamScheduleHiddenTests: XCTestCase {
    func testMatchesTheLibrary() {
        for (d, warmup) in [(512, 4000), (64, 300), (1024, 1)] {
            let schedule = LecternNN.NoamSchedule(modelDim: d, warmupSteps: warmup)
            for step in [0, 1, 2, 10, warmup - 1, warmup, warmup + 1, 5 * warmup, 100_000] where step >= 0 {
                XCTAssertEqual(noamRate(step: step, modelDim: d, warmupSteps: warmup), schedule.rate(at: step),
                               accuracy: 1e-12 + 1e-9 * schedule.rate(at: step), "d = \(d), warmup = \(warmup), step \(step)")
            }
        }
    }

    func testLinearWarmUpThenInverseSquareRootDecay() {
        let r = { (step: Int) in noamRate(step: step, modelDim: 256, warmupSteps: 100) }
        XCTAssertEqual(r(50) / r(25), 2, accuracy: 1e-9, "linear during warm-up")
        XCTAssertEqual(r(400) / r(1600), 2, accuracy: 1e-9, "1/√step after warm-up")
    }
}
