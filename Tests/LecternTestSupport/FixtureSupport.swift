// Loading the PyTorch fixtures written by Scripts/fixtures/*.py, and comparing tensors with a
// tolerance; shared by the LecternNN and LecternModels test suites.
//
// Every fixture file is JSON with snake_case keys; a tensor is {"shape": [...], "data": [...]}
// with row-major data; non-finite numbers are the strings "inf", "-inf" and "nan".
import Foundation
import LecternCore
import XCTest

/// A tensor as the fixture generator writes it.
public struct TensorFixture: Decodable, Sendable {
    /// The tensor's shape.
    public let shape: [Int]
    /// Its elements, row-major.
    public let data: [Float]

    /// The fixture as a Tensor (not requiring gradients).
    public var tensor: Tensor { Tensor(shape: shape, scalars: data) }

    /// The fixture as a leaf that requires gradients (an input whose gradient is checked).
    public var leaf: Tensor { Tensor(shape: shape, scalars: data, requiresGrad: true) }
}

public enum Fixtures {
    /// The URL of a file in a test bundle's Fixtures folder (pass the test target's `Bundle.module`).
    public static func url(_ name: String, in bundle: Bundle) throws -> URL {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        return try XCTUnwrap(bundle.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Fixtures"),
                             "Fixtures/\(name) is missing from the test bundle; run its generator in Scripts/fixtures/")
    }

    /// Decodes the JSON fixture file `name` (e.g. "layers.json").
    public static func load<T: Decodable>(_ type: T.Type, from name: String, in bundle: Bundle) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: Data(contentsOf: url(name, in: bundle)))
    }
}

/// Asserts that `actual` has `expected`'s shape and that every element is within
/// `absolute + relative·|expected|` of it (NaN must meet NaN, infinities must be equal).
public func assertClose(_ actual: Tensor?, _ expected: TensorFixture, absolute: Float = 1e-6, relative: Float = 1e-5,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard let actual else {
        XCTFail("\(message()): got nil, expected a tensor of shape \(expected.shape)", file: file, line: line)
        return
    }
    XCTAssertEqual(actual.shape, expected.shape, "\(message()): shape", file: file, line: line)
    assertClose(actual.scalars, expected.data, absolute: absolute, relative: relative, message(), file: file, line: line)
}

/// Element-wise comparison of two Float arrays (see the Tensor overload); reports the worst
/// element only, so a wrong tensor gives one readable failure.
public func assertClose(_ actual: [Float], _ expected: [Float], absolute: Float = 1e-6, relative: Float = 1e-5,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(message()): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    var worst: (index: Int, excess: Float)?
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let ok: Bool
        if e.isNaN { ok = a.isNaN } else if e.isInfinite { ok = a == e } else {
            ok = Swift.abs(a - e) <= absolute + relative * Swift.abs(e)
        }
        if !ok {
            let excess = a.isFinite ? Swift.abs(a - e) - (absolute + relative * Swift.abs(e)) : .infinity
            if worst == nil || excess > worst!.excess { worst = (index, excess) }
        }
    }
    if let worst {
        XCTFail("\(message()): element \(worst.index) is \(actual[worst.index]), expected \(expected[worst.index]) (tolerance \(absolute) + \(relative)·|expected|)",
                file: file, line: line)
    }
}
