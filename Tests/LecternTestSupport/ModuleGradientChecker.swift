// A finite-difference gradient checker for functions of tensors and of a module's parameters,
// shared by the layer and model tests (recurrent cells, attention scores, attention decoders).
import XCTest
import LecternNN

/// Central differences for a function of `inputs` and of a module's `parameters` (which the
/// function reads through the module): the gradient checker of LecternCoreTests, extended to
/// parameters, which are perturbed in place so that the module sees the change.
public func checkModuleGradients(_ inputs: [Tensor], _ parameters: [Parameter], _ message: String,
                                  file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
    let leaves = inputs.map { t -> Tensor in var l = t.detached(); l.requiresGrad = true; return l }
    for p in parameters { p.zeroGrad() }
    let output = f(leaves)
    var rng = SeededGenerator(seed: 0xC0FFEE)
    let projection = Tensor.uniform(output.shape, low: -1.5, high: 1.5, using: &rng)   // same shape as output
    output.backward(projection)
    let r = projection.scalars.map(Double.init)
    var points = inputs   // perturbed one element at a time
    func loss() -> Double {
        zip(Tensor.withoutGradients { f(points) }.scalars, r).reduce(0) { $0 + Double($1.0) * $1.1 }
    }
    func compare(_ analytic: Float, _ numeric: Double, _ what: String) {
        let a = Double(analytic)
        XCTAssertTrue(Swift.abs(a - numeric) <= 2e-3 + 2e-2 * Swift.max(Swift.abs(a), Swift.abs(numeric)),
                      "\(message) \(what): backward \(a), numeric \(numeric)", file: file, line: line)
    }
    let step: Float = 4e-3
    for i in points.indices {
        let analytic = leaves[i].grad?.scalars ?? Array(repeating: 0, count: inputs[i].count)
        for j in 0..<points[i].count {
            let original = points[i].scalars[j]
            points[i].withUnsafeMutableScalars { $0[j] = original + step }
            let plus = loss()
            points[i].withUnsafeMutableScalars { $0[j] = original - step }
            let minus = loss()
            points[i].withUnsafeMutableScalars { $0[j] = original }
            compare(analytic[j], (plus - minus) / Double(2 * step), "input \(i)[\(j)]")
        }
    }
    for (k, p) in parameters.enumerated() {
        let analytic = p.grad?.scalars ?? Array(repeating: 0, count: p.count)
        for j in 0..<p.count {
            let original = p.value.scalars[j]
            p.value.withUnsafeMutableScalars { $0[j] = original + step }
            let plus = loss()
            p.value.withUnsafeMutableScalars { $0[j] = original - step }
            let minus = loss()
            p.value.withUnsafeMutableScalars { $0[j] = original }
            compare(analytic[j], (plus - minus) / Double(2 * step), "parameter \(k)[\(j)]")
        }
    }
}

/// Central differences for a scalar `loss` of a whole model, at three elements of every
/// parameter (the first, the middle and the last): cheap enough for models with thousands of
/// parameters, and every parameter tensor is still reached. `label` prefixes each failure.
public func checkSampledParameterGradients(of model: any Module, _ label: String,
                                           file: StaticString = #filePath, line: UInt = #line, loss: () -> Tensor) {
    model.zeroGrad()
    loss().backward()
    for (name, parameter) in model.namedParameters() {
        let analytic = parameter.grad?.scalars ?? Array(repeating: 0, count: parameter.count)
        for j in Set([0, parameter.count / 2, parameter.count - 1]).sorted() {
            let original = parameter.value.scalars[j]
            let step: Float = 4e-3
            func lossAt(_ value: Float) -> Double {
                parameter.value.withUnsafeMutableScalars { $0[j] = value }
                return Double(Tensor.withoutGradients { loss().scalar })
            }
            let numeric = (lossAt(original + step) - lossAt(original - step)) / Double(2 * step)
            parameter.value.withUnsafeMutableScalars { $0[j] = original }
            let a = Double(analytic[j])
            XCTAssertTrue(Swift.abs(a - numeric) <= 3e-3 + 2e-2 * Swift.max(Swift.abs(a), Swift.abs(numeric)),
                          "\(label) \(name)[\(j)]: backward \(a), numeric \(numeric)", file: file, line: line)
        }
    }
}
