// A finite-difference gradient checker for LecternCore's autograd.
//
// Reference: the method of `torch.autograd.gradcheck` (PyTorch 2.x): compare the gradient
// that backward() computes with central differences (f(x + h) − f(x − h)) / 2h, one input
// element at a time. To check a tensor-valued f with one backward pass, the checker
// differentiates the scalar L = Σ f(x) · R for a fixed random R (backward seeded with R gives
// ∂L/∂x = the vector–Jacobian product R·J); a wrong entry anywhere in J changes it.
//
// Precision: the tensors are Float32, so f is evaluated in Float32, but L and the difference
// quotient are accumulated in Double, and the step actually taken (x + h rounded to Float32)
// is what the quotient divides by. Elements of f that the perturbation does not touch round
// identically in both evaluations and cancel exactly, so the noise is that of the few
// affected elements, about 1e-7 · |f| / h.

import Foundation
import LecternCore
import XCTest

/// Checks the gradients `backward()` gives for `f` at `inputs` against central differences,
/// failing the test with the worst mismatch if any entry disagrees.
///
/// - Parameters:
///   - inputs: the points; each is differentiated (set to require gradients).
///   - step: the finite-difference step h, scaled by max(1, |x|) per element.
///   - relative, absolute: an analytic entry `a` passes against the numeric `n` when
///     |a − n| ≤ absolute + relative · max(|a|, |n|).
///   - f: the function under test; it must be deterministic (the same output every call).
func checkGradients(_ inputs: [Tensor], step: Float = 4e-3, relative: Double = 2e-2, absolute: Double = 2e-3,
                    _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
                    _ f: ([Tensor]) -> Tensor) {
    if let problem = gradientMismatch(inputs, step: step, relative: relative, absolute: absolute, f) {
        XCTFail("\(message): \(problem)", file: file, line: line)
    }
}

/// The gradient check behind ``checkGradients``: nil when every entry agrees, otherwise a
/// description of the problem (the number of bad entries and the worst one).
func gradientMismatch(_ inputs: [Tensor], step: Float = 4e-3, relative: Double = 2e-2, absolute: Double = 2e-3,
                      _ f: ([Tensor]) -> Tensor) -> String? {
    let leaves = inputs.map { input -> Tensor in
        var leaf = input.detached()
        leaf.requiresGrad = true
        return leaf
    }
    let output = f(leaves)
    guard output.requiresGrad else { return "the output does not require gradients" }
    var rng = SeededGenerator(seed: 0xC0FFEE)
    // R: magnitudes in [0.5, 1.5) with random signs, so no entry of the Jacobian is hidden.
    let signs = Tensor(shape: output.shape, scalars: (0..<output.count).map { _ in rng.nextUniform() < 0.5 ? -1 : 1 })
    let projection = Tensor.uniform(output.shape, low: 0.5, high: 1.5, using: &rng) * signs
    let r = projection.scalars.map(Double.init)
    output.backward(projection)

    /// L = Σ f(x) · R in Double, recording nothing.
    func loss(_ xs: [Tensor]) -> Double {
        let y = Tensor.withoutGradients { f(xs) }
        return zip(y.scalars, r).reduce(0) { $0 + Double($1.0) * $1.1 }
    }

    var worst: (index: Int, element: Int, analytic: Double, numeric: Double)?
    var failures = 0
    for (i, input) in inputs.enumerated() {
        if let grad = leaves[i].grad, grad.shape != input.shape {
            return "input \(i): gradient of shape \(grad.shape) for an input of shape \(input.shape)"
        }
        // No gradient at all is the same as a zero gradient: right only if f ignores the input.
        let analytic = leaves[i].grad?.scalars ?? [Float](repeating: 0, count: input.count)
        let x = input.scalars
        for j in 0..<x.count {
            let h = step * Swift.max(1, Swift.abs(x[j]))
            var plus = x, minus = x
            plus[j] += h; minus[j] -= h
            var xsPlus = inputs, xsMinus = inputs
            xsPlus[i] = Tensor(shape: input.shape, scalars: plus)
            xsMinus[i] = Tensor(shape: input.shape, scalars: minus)
            // Divide by the step actually taken, after rounding x ± h to Float32.
            let numeric = (loss(xsPlus) - loss(xsMinus)) / Double(plus[j] - minus[j])
            let a = Double(analytic[j])
            if !(Swift.abs(a - numeric) <= absolute + relative * Swift.max(Swift.abs(a), Swift.abs(numeric))) {
                failures += 1
                if worst == nil || !(Swift.abs(a - numeric) <= Swift.abs(worst!.analytic - worst!.numeric)) {
                    worst = (i, j, a, numeric)
                }
            }
        }
    }
    guard let worst else { return nil }
    return "\(failures) gradient entries disagree with central differences; worst: input \(worst.index)[\(worst.element)]: backward \(worst.analytic), numeric \(worst.numeric)"
}

/// A seeded random tensor with entries from N(0, std²), kept at least `margin` away from 0
/// (so kinks at 0, such as relu's and abs's, are not inside a finite-difference step).
func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1, margin: Float = 0) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let values = (0..<shape.reduce(1, *)).map { _ -> Float in
        let v = rng.nextNormal(std: std)
        // Push values inside (−margin, margin) out to |v| + margin, keeping their sign.
        return Swift.abs(v) < margin ? (v < 0 ? v - margin : v + margin) : v
    }
    return Tensor(shape: shape, scalars: values)
}

/// A seeded random tensor with entries uniform in [low, high).
func positiveTensor(_ shape: [Int], seed: UInt64, low: Float = 0.5, high: Float = 2) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, using: &rng)
}
