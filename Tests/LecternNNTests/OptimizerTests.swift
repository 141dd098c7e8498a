// Optimizers and gradient clipping against PyTorch, from Fixtures/optimizers.json
// (Scripts/fixtures/nn_reference.py): the same initial parameters, the same loss, several steps
// of torch.optim.SGD / Adam / AdamW (single-tensor code path), parameters compared after every
// step; a whole training loop (MLP, MSE, clip_grad_norm_, AdamW); and clip_grad_norm_ alone.
import Foundation
import LecternNN
import LecternTestSupport
import XCTest

private struct OptimizerFixtures: Decodable {
    struct Quadratic: Decodable { let p0, c0, d0, p1, c1, d1: TensorFixture }
    struct Config: Decodable {
        let lr: Float
        let momentum: Float?
        let dampening: Float?
        let weightDecay: Float?
        let nesterov: Bool?
        let betas: [Float]?
        let eps: Float?
    }
    struct Case: Decodable {
        let name: String
        let optimizer: String
        let config: Config
        let trajectory: [[TensorFixture]]
    }
    struct MLPCase: Decodable {
        let initial: [String: TensorFixture]
        let input, target: TensorFixture
        let lr, weightDecay, maxNorm: Float
        let losses, gradNorms: [Float]
        let states: [[String: TensorFixture]]
    }
    struct ClipCase: Decodable {
        let name: String
        let maxNorm: Float
        let grads: [TensorFixture]
        let totalNorm: Float
        let clipped: [TensorFixture]
    }
    let quadratic: Quadratic
    let steps: Int
    let cases: [Case]
    let mlpAdamwClip: MLPCase
    let clipGradNorm: [ClipCase]
}

/// Linear(3, 4) → tanh → Linear(4, 2), named `layers.0`, `layers.1` like the PyTorch model.
final class TinyMLP: Module {
    var training = true
    let layers: [Linear]

    init(seed: UInt64 = 0) {
        var rng = SeededGenerator(seed: seed)
        layers = [Linear(inFeatures: 3, outFeatures: 4, using: &rng), Linear(inFeatures: 4, outFeatures: 2, using: &rng)]
    }

    var children: NamedModules { namedList("layers", layers) }

    func callAsFunction(_ x: Tensor) -> Tensor { layers[1](tanh(layers[0](x))) }
}

final class OptimizerTests: XCTestCase {
    private var fixtures: OptimizerFixtures!

    override func setUpWithError() throws {
        fixtures = try Fixtures.load(OptimizerFixtures.self, from: "optimizers.json")
    }

    private func makeOptimizer(_ c: OptimizerFixtures.Case, _ params: [Parameter]) throws -> any Optimizer {
        let k = c.config
        let betas = k.betas.map { ($0[0], $0[1]) } ?? (0.9, 0.999)
        switch c.optimizer {
        case "SGD":
            return SGD(params, lr: k.lr, momentum: k.momentum ?? 0, dampening: k.dampening ?? 0,
                       weightDecay: k.weightDecay ?? 0, nesterov: k.nesterov ?? false)
        case "Adam":
            return Adam(params, lr: k.lr, betas: betas, eps: k.eps ?? 1e-8, weightDecay: k.weightDecay ?? 0)
        case "AdamW":
            // No weight_decay in the config means PyTorch's AdamW default, which must be ours too.
            return k.weightDecay.map { AdamW(params, lr: k.lr, betas: betas, eps: k.eps ?? 1e-8, weightDecay: $0) }
                ?? AdamW(params, lr: k.lr, betas: betas, eps: k.eps ?? 1e-8)
        default:
            throw XCTSkip("unknown optimizer \(c.optimizer)")
        }
    }

    func testOptimizersMatchPyTorchStepByStep() throws {
        let q = fixtures.quadratic
        XCTAssertEqual(fixtures.cases.count, 8)
        for c in fixtures.cases {
            let params = [Parameter(q.p0.tensor), Parameter(q.p1.tensor)]
            let optimizer = try makeOptimizer(c, params)
            XCTAssertEqual(c.trajectory.count, fixtures.steps)
            for (step, expected) in c.trajectory.enumerated() {
                optimizer.zeroGrad()
                // Σ ½·c·p² + d·p over both parameters, built as PyTorch builds it.
                let loss0 = (0.5 * q.c0.tensor * params[0].value * params[0].value + q.d0.tensor * params[0].value).sum()
                let loss1 = (0.5 * q.c1.tensor * params[1].value * params[1].value + q.d1.tensor * params[1].value).sum()
                (loss0 + loss1).backward()
                optimizer.step()
                for (i, p) in params.enumerated() {
                    assertClose(p.value, expected[i], absolute: 1e-6, relative: 1e-6, "\(c.name) step \(step + 1) param \(i)")
                }
            }
        }
    }

    func testTrainingLoopWithClippingMatchesPyTorch() throws {
        let c = fixtures.mlpAdamwClip
        let model = TinyMLP(seed: 123)
        try model.loadStateDict(c.initial.mapValues(\.tensor))
        let optimizer = AdamW(model.parameters(), lr: c.lr, weightDecay: c.weightDecay)
        for step in 0..<c.losses.count {
            optimizer.zeroGrad()
            let loss = mseLoss(model(c.input.tensor), c.target.tensor)
            loss.backward()
            let norm = clipGradNorm(model.parameters(), maxNorm: c.maxNorm)
            optimizer.step()
            XCTAssertEqual(loss.scalar, c.losses[step], accuracy: 2e-6 * c.losses[step], "loss at step \(step + 1)")
            XCTAssertEqual(norm, c.gradNorms[step], accuracy: 1e-5 * c.gradNorms[step], "grad norm at step \(step + 1)")
            let state = model.stateDict()
            XCTAssertEqual(Set(state.keys), Set(c.states[step].keys))
            for (name, expected) in c.states[step] {
                assertClose(state[name], expected, absolute: 2e-6, relative: 2e-6, "\(name) after step \(step + 1)")
            }
        }
        XCTAssertGreaterThan(c.gradNorms[0], c.maxNorm, "the fixture must exercise clipping")
    }

    func testClipGradNormMatchesPyTorch() throws {
        XCTAssertEqual(fixtures.clipGradNorm.count, 3)
        for c in fixtures.clipGradNorm {
            let params = c.grads.map { Parameter(Tensor.zeros($0.shape)) }
            for (p, g) in zip(params, c.grads) { p.value.backward(g.tensor) }
            let total = clipGradNorm(params, maxNorm: c.maxNorm)
            XCTAssertEqual(total, c.totalNorm, accuracy: 1e-6 * c.totalNorm, c.name)
            for (i, (p, expected)) in zip(params, c.clipped).enumerated() {
                assertClose(p.grad, expected, absolute: 1e-9, relative: 1e-6, "\(c.name) grad \(i)")
            }
        }
    }

    func testClipGradNormSkipsParametersWithoutGradientsAndWorksWithoutRecording() {
        let a = Parameter(Tensor.zeros([2])), b = Parameter(Tensor.zeros([3]))
        a.value.backward(Tensor(shape: [2], scalars: [3, 4]))   // norm 5
        let norm = Tensor.withoutGradients { clipGradNorm([a, b], maxNorm: 1) }
        XCTAssertEqual(norm, 5)
        XCTAssertNil(b.grad)
        assertClose(a.grad!.scalars, [0.6, 0.8], relative: 1e-6, "scaled to norm 1")
        // Gradients accumulate normally after clipping.
        a.value.backward(Tensor(shape: [2], scalars: [1, 1]))
        assertClose(a.grad!.scalars, [1.6, 1.8], relative: 1e-6, "accumulates")
    }

    func testOptimizersSkipParametersWithoutGradients() {
        let a = Parameter(Tensor.ones([2])), b = Parameter(Tensor.ones([2]))
        for optimizer in [SGD([a, b], lr: 0.1, momentum: 0.9), Adam([a, b]), AdamW([a, b])] as [any Optimizer] {
            optimizer.zeroGrad()
            a.value.backward(Tensor.ones([2]))
            optimizer.step()
            XCTAssertEqual(b.value.scalars, [1, 1], "\(type(of: optimizer)): b had no gradient")
            XCTAssertNotEqual(a.value.scalars, [1, 1], "\(type(of: optimizer)): a moved")
        }
    }

    func testAnOptimizerUpdatesTheModelInPlaceAndLearns() {
        // Fit y = 2x − 1 with one Linear(1, 1): the loss must fall and the weights converge.
        let model = Linear(weight: Tensor(shape: [1, 1], scalars: [0]), bias: Tensor(shape: [1], scalars: [0]))
        let optimizer = SGD(model.parameters(), lr: 0.1, momentum: 0.5)
        let x = Tensor(shape: [4, 1], scalars: [-1, 0, 1, 2])
        let y = Tensor(shape: [4, 1], scalars: [-3, -1, 1, 3])
        var first: Float = 0, last: Float = 0
        for step in 0..<200 {
            optimizer.zeroGrad()
            let loss = mseLoss(model(x), y)
            loss.backward()
            optimizer.step()
            if step == 0 { first = loss.scalar }
            last = loss.scalar
        }
        XCTAssertLessThan(last, first * 1e-4)
        XCTAssertEqual(model.weight.value.scalar, 2, accuracy: 1e-3)
        XCTAssertEqual(model.bias!.value.scalar, -1, accuracy: 1e-3)
    }
}

final class InPlaceUpdateTests: XCTestCase {
    /// The optimizer writes into the parameter's own buffer: no copy per step (which a
    /// property observer or a second reference would force through copy-on-write).
    func testStepsUpdateTheParameterBufferWithoutCopying() {
        let p = Parameter(Tensor.ones([1024]))
        let address = p.value.withUnsafeScalars { $0.baseAddress }
        for optimizer in [SGD([p], lr: 0.1, momentum: 0.9), AdamW([p])] as [any Optimizer] {
            for _ in 0..<3 {
                optimizer.zeroGrad()
                p.value.backward(Tensor.ones([1024]))
                optimizer.step()
            }
        }
        XCTAssertEqual(p.value.withUnsafeScalars { $0.baseAddress }, address)
        XCTAssertNotEqual(p.value.scalars[0], 1)
    }
}
