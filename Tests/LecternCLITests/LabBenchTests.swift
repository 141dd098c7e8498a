// `lectern lab bench` end to end: the JSON format, the ratio convention, and what happens
// without a usable Python. A stand-in "python" (a shell script printing fixed figures) makes
// the reference side deterministic, so these tests need neither NumPy nor a quiet machine.
import Foundation
import XCTest

final class LabBenchTests: XCTestCase {
    static let course = BuildProducts.course
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lectern-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Runs `lectern lab bench arguments…` in the course folder with `python` as LECTERN_PYTHON.
    func bench(_ arguments: [String], python: String? = nil) throws -> (status: Int32, out: String, err: String) {
        try BuildProducts.run(try BuildProducts.lectern(), ["lab", "bench"] + arguments,
                              environment: ["LECTERN_PYTHON": python, "NO_COLOR": "1"])
    }

    /// A stand-in for Python that ignores its script and answers every request line (the
    /// `--serve` protocol of Scripts/bench/reference.py) with the one-line `json`.
    func fakePython(printing json: String) throws -> String {
        let url = scratch.appendingPathComponent("python")
        try "#!/bin/sh\nwhile IFS= read -r line; do\ncat <<'END'\n\(json)\nEND\ndone\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    func parse(_ out: String) throws -> [String: [String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8))
        return try XCTUnwrap(object as? [String: [String: Any]], "not an object of objects: \(out)")
    }

    func testJSONHasOursRefRatioAndUnitPerCase() throws {
        let python = try fakePython(printing: #"{"versions": {}, "results": {"sgemm-512": {"value": 2.0}}}"#)
        let result = try bench(["--quick", "--json", "sgemm-512"], python: python)
        XCTAssertEqual(result.status, 0, result.err)
        let cases = try parse(result.out)
        XCTAssertEqual(Array(cases.keys), ["sgemm-512"])
        let entry = try XCTUnwrap(cases["sgemm-512"])
        XCTAssertEqual(Set(entry.keys), ["ours", "ref", "ratio", "unit"])
        XCTAssertEqual(entry["unit"] as? String, "GFLOP/s")
        XCTAssertEqual(entry["ref"] as? Double, 2.0)
        let ours = try XCTUnwrap(entry["ours"] as? Double)
        XCTAssertGreaterThan(ours, 0)
        // Throughput: ratio = ours / ref, so > 1 means we are faster.
        XCTAssertEqual(try XCTUnwrap(entry["ratio"] as? Double), ours / 2.0, accuracy: ours * 1e-4)
    }

    /// LECTERN_NUM_THREADS sets the library's thread count: the header says how many threads a
    /// product is split over, and the reference is asked to use as many.
    func testThreadCountComesFromLecternNumThreadsAndIsGivenToTheReference() throws {
        let requests = scratch.appendingPathComponent("requests.txt")
        let url = scratch.appendingPathComponent("python")
        let answer = #"{"versions": {}, "results": {"sgemm-512": {"value": 2.0}}}"#
        try "#!/bin/sh\nwhile IFS= read -r line; do\nprintf '%s\\n' \"$line\" >> '\(requests.path)'\ncat <<'END'\n\(answer)\nEND\ndone\n"
            .write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        for threads in ["1", "3"] {
            try? FileManager.default.removeItem(at: requests)
            let result = try BuildProducts.run(try BuildProducts.lectern(), ["lab", "bench", "--quick", "sgemm-512"],
                                               environment: ["LECTERN_PYTHON": url.path, "NO_COLOR": "1", "LECTERN_NUM_THREADS": threads])
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertTrue(result.out.contains("split over \(threads) thread"), "header: \(result.out)")
            let sent = try String(contentsOf: requests, encoding: .utf8)
            XCTAssertTrue(sent.contains("\"threads\": \(threads)") || sent.contains("\"threads\":\(threads)"), "request: \(sent)")
        }
    }

    func testWithoutNumpyRefAndRatioAreNullAndTheTextSaysHowToGetThem() throws {
        let python = try fakePython(printing: #"{"versions": {}, "results": {"sgemm-512": {"error": "cannot import numpy: No module named 'numpy'"}}}"#)
        let json = try bench(["--quick", "--json", "sgemm-512"], python: python)
        XCTAssertEqual(json.status, 0, json.err)
        let entry = try XCTUnwrap(try parse(json.out)["sgemm-512"])
        XCTAssertTrue(entry["ref"] is NSNull)
        XCTAssertTrue(entry["ratio"] is NSNull)
        XCTAssertTrue(json.err.contains("bash Scripts/oracle/setup.sh"), json.err)

        let text = try bench(["--quick", "sgemm-512"], python: python)
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.out.contains("sgemm-512"), text.out)
        XCTAssertTrue(text.out.contains("cannot import numpy"), text.out)
        XCTAssertTrue(text.out.contains("bash Scripts/oracle/setup.sh"), text.out)
    }

    func testAPythonThatCannotRunLeavesTheReferenceNull() throws {
        let result = try bench(["--quick", "--json", "sgemm-512"], python: scratch.appendingPathComponent("missing-python").path)
        XCTAssertEqual(result.status, 0, result.err)
        let entry = try XCTUnwrap(try parse(result.out)["sgemm-512"])
        XCTAssertTrue(entry["ref"] is NSNull)
        XCTAssertGreaterThan(try XCTUnwrap(entry["ours"] as? Double), 0)
    }

    /// Scripts/bench/reference.py itself, with NumPy (sgemm) and PyTorch (layer norm), when the
    /// oracle environment is installed.
    func testTheRealReferenceScriptWhenTheOracleIsInstalled() throws {
        let python = Self.course.appendingPathComponent(".venv-oracle/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("no .venv-oracle: bash Scripts/oracle/setup.sh")
        }
        let result = try bench(["--quick", "--json", "sgemm-512", "layernorm"], python: python)
        XCTAssertEqual(result.status, 0, result.err)
        let cases = try parse(result.out)
        XCTAssertEqual(Set(cases.keys), ["sgemm-512", "layernorm-8192x768"])
        XCTAssertGreaterThan(try XCTUnwrap(cases["sgemm-512"]?["ref"] as? Double, result.err), 0)
        XCTAssertEqual(cases["layernorm-8192x768"]?["unit"] as? String, "ms")
        XCTAssertGreaterThan(try XCTUnwrap(cases["layernorm-8192x768"]?["ref"] as? Double, result.err), 0)
    }

    func testAScriptThatDiesIsReportedAndTheBenchStillFinishes() throws {
        let url = scratch.appendingPathComponent("python")
        try "#!/bin/sh\necho 'Traceback: something broke' >&2\nexit 3\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        let result = try bench(["--quick", "sgemm-512"], python: url.path)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("sgemm-512"), result.out)
        XCTAssertTrue(result.out.contains("something broke"), result.out)
    }

    func testAnUnknownCaseIsAUsageError() throws {
        let result = try bench(["no-such-case"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.err.contains("sgemm-512"), result.err)
    }
}
