// Learning-rate schedules against Hugging Face's get_linear_schedule_with_warmup and
// get_cosine_schedule_with_warmup (driven through a real LambdaLR and optimizer) and the
// Annotated Transformer's Noam `rate`, from Fixtures/schedules.json
// (Scripts/fixtures/nn_reference.py).
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct ScheduleFixtures: Decodable {
    struct Case: Decodable {
        let kind: String
        let baseLr: Double?
        let warmup: Int
        let total: Int?
        let cycles: Double?
        let dModel: Int?
        let factor: Double?
        let steps: [Int]?
        let rates: [Double]
    }
    let schedules: [Case]
}

final class ScheduleTests: XCTestCase {
    func testSchedulesMatchHuggingFaceAndTheAnnotatedTransformer() throws {
        let fixtures = try Fixtures.load(ScheduleFixtures.self, from: "schedules.json")
        XCTAssertEqual(fixtures.schedules.count, 8)
        for c in fixtures.schedules {
            let schedule: any LearningRateSchedule
            switch c.kind {
            case "linear":
                schedule = LinearWarmupSchedule(baseLearningRate: Float(c.baseLr!), warmupSteps: c.warmup, totalSteps: c.total!)
            case "cosine":
                schedule = CosineWarmupSchedule(baseLearningRate: Float(c.baseLr!), warmupSteps: c.warmup,
                                                totalSteps: c.total!, cycles: c.cycles!)
            case "noam":
                schedule = NoamSchedule(modelDim: c.dModel!, warmupSteps: c.warmup, factor: c.factor!)
            default:
                return XCTFail("unknown schedule kind \(c.kind)")
            }
            let steps = c.steps ?? Array(0..<c.rates.count)
            for (step, expected) in zip(steps, c.rates) {
                let actual = schedule.learningRate(at: step)
                XCTAssertEqual(Double(actual), expected, accuracy: 1e-6 * expected + 1e-12,
                               "\(c.kind) warmup \(c.warmup) step \(step)")
            }
        }
    }

    func testMultipliersAreTheHuggingFaceLambdas() {
        let linear = LinearWarmupSchedule(baseLearningRate: 1, warmupSteps: 4, totalSteps: 12)
        XCTAssertEqual((0...13).map { linear.multiplier(at: $0) },
                       [0, 0.25, 0.5, 0.75, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0, 0])
        let cosine = CosineWarmupSchedule(baseLearningRate: 1, warmupSteps: 2, totalSteps: 6)
        XCTAssertEqual(cosine.multiplier(at: 1), 0.5)
        XCTAssertEqual(cosine.multiplier(at: 2), 1)
        XCTAssertEqual(cosine.multiplier(at: 4), 0.5, accuracy: 1e-15)
        XCTAssertEqual(cosine.multiplier(at: 6), 0, accuracy: 1e-15)
        XCTAssertEqual(LinearWarmupSchedule(baseLearningRate: 1, warmupSteps: 2, totalSteps: 4).learningRates(count: 5), [0, 0.5, 1, 0.5, 0])
    }

    func testNoamPeaksAtTheEndOfWarmup() {
        let noam = NoamSchedule(modelDim: 512, warmupSteps: 4000)
        let peak = noam.rate(at: 4000)
        XCTAssertEqual(peak, 1 / (512.0.squareRoot() * 4000.0.squareRoot()), accuracy: 1e-15)
        XCTAssertLessThan(noam.rate(at: 3999), peak)
        XCTAssertLessThan(noam.rate(at: 4001), peak)
        XCTAssertEqual(noam.rate(at: 16000), peak / 2, accuracy: 1e-12, "inverse square root decay")
        XCTAssertEqual(noam.rate(at: 0), noam.rate(at: 1), "step 0 counts as step 1")
        XCTAssertGreaterThan(noam.rate(at: 0), 0)
    }
}
