// Forward values and gradients of composite blocks against PyTorch: a 2-layer tanh MLP, a
// layer norm written from ops, and causal attention softmax(QKᵀ/√d + mask)V.
//
// The expected values are in Fixtures/tensor_core.json, written by
// Scripts/fixtures/tensor_core.py (re-run it to regenerate them; see its header). Each block
// here is built from the same primitive ops as in the script.
import Foundation
import LecternCore
import XCTest

/// The JSON written by Scripts/fixtures/tensor_core.py.
private struct TensorCoreFixtures: Decodable {
    struct Array: Decodable {
        let shape: [Int]
        let data: [Float]
        var tensor: Tensor { Tensor(shape: shape, scalars: data) }
    }
    struct Case: Decodable {
        let inputs: [String: Array]
        let seed: Array
        let output: Array
        let grads: [String: Array]

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            var inputs: [String: Array] = [:]
            for key in container.allKeys where !["seed", "output", "grads"].contains(key.stringValue) {
                inputs[key.stringValue] = try container.decode(Array.self, forKey: key)
            }
            self.inputs = inputs
            seed = try container.decode(Array.self, forKey: Key(stringValue: "seed"))
            output = try container.decode(Array.self, forKey: Key(stringValue: "output"))
            grads = try container.decode([String: Array].self, forKey: Key(stringValue: "grads"))
        }

        /// The named input as a leaf that requires gradients.
        func leaf(_ name: String) throws -> Tensor {
            var t = try XCTUnwrap(inputs[name], "fixture input \(name) is missing").tensor
            t.requiresGrad = true
            return t
        }
    }

    let torchVersion: String
    let layerNormEps: Float
    let mlp: Case
    let layerNorm: Case
    let attention: Case

    static func load() throws -> TensorCoreFixtures {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "tensor_core", withExtension: "json", subdirectory: "Fixtures"),
                                "Fixtures/tensor_core.json is missing from the test bundle")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TensorCoreFixtures.self, from: Data(contentsOf: url))
    }
}

final class TensorFixtureTests: XCTestCase {
    /// Runs `forward` on the case's inputs (as leaves), backpropagates the case's seed, and
    /// compares the output and every input's gradient with PyTorch's.
    private func check(_ fixture: TensorCoreFixtures.Case, _ name: String, tolerance: Float = 2e-5,
                       file: StaticString = #filePath, line: UInt = #line,
                       _ forward: ([String: Tensor]) -> Tensor) throws {
        var leaves: [String: Tensor] = [:]
        for key in fixture.inputs.keys { leaves[key] = try fixture.leaf(key) }
        let output = forward(leaves)
        XCTAssertEqual(output.shape, fixture.output.shape, "\(name): output shape", file: file, line: line)
        assertClose(output.scalars, fixture.output.data, absolute: tolerance, relative: tolerance, "\(name) output", file: file, line: line)
        output.backward(fixture.seed.tensor)
        XCTAssertEqual(Set(fixture.grads.keys), Set(leaves.keys), file: file, line: line)
        for (key, expected) in fixture.grads {
            let grad = try XCTUnwrap(leaves[key]?.grad, "\(name): no gradient for \(key)", file: file, line: line)
            XCTAssertEqual(grad.shape, expected.shape, "\(name): shape of ∂\(key)", file: file, line: line)
            assertClose(grad.scalars, expected.data, absolute: tolerance, relative: tolerance, "\(name): ∂\(key)", file: file, line: line)
        }
    }

    func testTwoLayerTanhMLP() throws {
        let fixtures = try TensorCoreFixtures.load()
        try check(fixtures.mlp, "mlp") { p in
            let hidden = (p["x"]!.matmul(p["w1"]!) + p["b1"]!).tanh()   // (N, hidden)
            return hidden.matmul(p["w2"]!) + p["b2"]!                    // (N, out)
        }
    }

    func testLayerNormFromOps() throws {
        let fixtures = try TensorCoreFixtures.load()
        let eps = fixtures.layerNormEps
        try check(fixtures.layerNorm, "layer norm", tolerance: 5e-5) { p in
            let x = p["x"]!                                                  // (B, T, C)
            let mean = x.mean(axis: -1, keepDims: true)                      // (B, T, 1)
            let variance = (x - mean).squared().mean(axis: -1, keepDims: true)   // (B, T, 1)
            return (x - mean) / (variance + eps).sqrt() * p["gamma"]! + p["beta"]!   // (B, T, C)
        }
    }

    func testCausalAttention() throws {
        let fixtures = try TensorCoreFixtures.load()
        try check(fixtures.attention, "attention", tolerance: 5e-5) { p in
            let q = p["q"]!, k = p["k"]!, v = p["v"]!                        // (B, H, T, D)
            let t = q.shape[2], d = q.shape[3]
            let mask = Tensor(shape: [t, t], scalars: (0..<t * t).map { $0 % t > $0 / t ? -Float.infinity : 0 })   // (T, T)
            let scores = q.matmul(k.transposed(-1, -2)) / Float(d).squareRoot() + mask   // (B, H, T, T)
            return scores.softmax(axis: -1).matmul(v)                        // (B, H, T, D)
        }
    }

    func testCausalAttentionWithMaskedFillMatchesTheAdditiveMask() throws {
        let fixtures = try TensorCoreFixtures.load()
        try check(fixtures.attention, "attention (maskedFill)", tolerance: 5e-5) { p in
            let q = p["q"]!, k = p["k"]!, v = p["v"]!                        // (B, H, T, D)
            let t = q.shape[2], d = q.shape[3]
            let future = (0..<t * t).map { $0 % t > $0 / t }                 // (T, T), row-major
            let scores = q.matmul(k.transposed(-1, -2)) / Float(d).squareRoot()   // (B, H, T, T)
            let masked = scores.maskedFill(Tensor(shape: [t, t], scalars: future.map { $0 ? 1 : 0 }), with: -.infinity)
            return masked.softmax().matmul(v)                                // (B, H, T, D)
        }
    }
}
