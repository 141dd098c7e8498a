// Tests of what the backward pass keeps and frees (Autograd/Backward.swift): saved tensors are
// released as backward passes each operation, a second pass through a freed graph is refused
// (and allowed with retainGraph), operations save only what their backward uses, and slices and
// lookups scatter into one running gradient instead of one dense gradient per use.
import Foundation
@testable import LecternCore
import XCTest

final class AutogradMemoryTests: XCTestCase {
    /// The activation `exp` saves for its backward is freed once backward has passed it.
    func testSavedActivationIsReleasedByBackward() {
        let x = Tensor(shape: [1000], scalars: (0..<1000).map { Float($0) * 1e-3 }, requiresGrad: true)
        weak var saved: TensorStorage?
        var loss: Tensor
        do {
            let y = x.exp()               // saves its output (∂x = g · eˣ)
            saved = y.storage
            loss = (y * 2).sum()
        }
        XCTAssertNotNil(saved, "the graph must hold the saved output before backward")
        loss.backward()
        XCTAssertNil(saved, "backward must free the tensors an operation saved once it has used them")
        XCTAssertEqual(x.grad!.scalars[10], 2 * Float(Foundation.exp(0.01)), accuracy: 1e-5)
        withExtendedLifetime(loss) {}
    }

    /// With retainGraph the saved tensors survive, and a second pass doubles the gradient.
    func testRetainGraphKeepsTheGraphForASecondPass() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
        let loss = (x * x).sum()
        loss.backward(retainGraph: true)
        loss.backward()
        XCTAssertEqual(x.grad!.scalars, [4, 8, 12])
    }

    /// `x * c` with a constant c saves c (for ∂x) but not x, which nothing would use.
    func testProductWithAConstantDoesNotKeepTheOtherOperand() {
        let c = Tensor(shape: [4], scalars: [1, 2, 3, 4])
        let w = Tensor(shape: [4], scalars: [1, 1, 1, 1], requiresGrad: true)
        weak var activation: TensorStorage?
        var loss: Tensor
        do {
            let h = w.exp() + 0          // an intermediate that requires gradients
            activation = h.storage
            loss = (h * c).sum()         // c is constant: ∂h = g·c needs c only
        }
        // h's storage is still saved by `exp`? No: exp saved its own output (a different buffer
        // from `+ 0`'s); only `*` could keep h, and it must not.
        XCTAssertNil(activation, "x * constant must not save x")
        loss.backward()
        XCTAssertEqual(w.grad!.scalars[3], 4 * Float(Foundation.exp(1.0)), accuracy: 1e-5)
    }

    /// A sequence sliced into every time step (an RNN's inputs) gets the right gradient, and the
    /// gradient of each step lands in one shared buffer rather than one dense tensor per step.
    func testSlicingEveryStepScattersIntoOneRunningGradient() {
        let (b, t, c) = (2, 50, 3)
        let x = Tensor(shape: [b, t, c], scalars: (0..<(b * t * c)).map { Float($0 % 7) }, requiresGrad: true)
        var total = Tensor(0)
        for step in 0..<t {
            total = total + (x.slice(axis: 1, step..<(step + 1)) * Float(step + 1)).sum()
        }
        total.backward()
        let g = x.grad!.scalars
        for bi in 0..<b { for ti in 0..<t { for ci in 0..<c { XCTAssertEqual(g[(bi * t + ti) * c + ci], Float(ti + 1)) } } }
    }

    /// An embedding table looked up several times (a decoder, step by step) accumulates every
    /// lookup's rows, repeated ids included.
    func testRepeatedLookupsAccumulateIntoTheTableGradient() {
        let table = Tensor(shape: [4, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7], requiresGrad: true)
        let loss = table.gathered(indices: [1, 3, 1]).sum() + (table.gathered(indices: [3]) * 10).sum()
        loss.backward()
        XCTAssertEqual(table.grad!.scalars, [0, 0, 2, 2, 0, 0, 11, 11])
    }
}
