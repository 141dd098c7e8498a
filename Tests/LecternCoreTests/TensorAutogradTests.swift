// Tests of the autograd machinery: deep graphs, accumulation, no-grad mode, leaves and
// detaching, copy-on-write and gradient identity, and shape-error messages.
import Foundation
import LecternCore
import XCTest

final class TensorAutogradTests: XCTestCase {
    /// A 1,000-step tanh RNN, h ← tanh(h W + x_t U + b), about 10 nodes per step: backward
    /// must walk 10,000+ nodes without recursion, and freeing the graph must not recurse
    /// either. Run on a thread with a deliberately small stack (512 KB, a secondary
    /// thread's default on macOS), where a recursive walk would crash.
    func testThousandStepRecurrenceBackwardDoesNotOverflowTheStack() throws {
        let finished = expectation(description: "backward finished")
        nonisolated(unsafe) var result: (nodes: Int, gradW: [Float]?, gradB: [Float]?) = (0, nil, nil)
        let thread = Thread {
            var rng = SeededGenerator(seed: 9)
            var w = Tensor.randn([8, 8], std: 0.3, using: &rng); w.requiresGrad = true     // (H, H)
            var u = Tensor.randn([4, 8], std: 0.3, using: &rng); u.requiresGrad = true     // (I, H)
            var b = Tensor.zeros([8]); b.requiresGrad = true                                // (H)
            let inputs = Tensor.randn([1000, 1, 4], using: &rng)                          // (T, 1, I)
            var h = Tensor.zeros([1, 8])                                                    // (1, H)
            var total = Tensor(0)
            for t in 0..<1000 {
                let x = inputs.index(axis: 0, t)                                            // (1, I)
                h = (h.matmul(w) + x.matmul(u) + b).tanh()                                  // (1, H)
                total = total + h.squared().mean()
            }
            total.backward()
            result = (1000, w.grad?.scalars, b.grad?.scalars)
            finished.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [finished], timeout: 120)
        let gradW = try XCTUnwrap(result.gradW), gradB = try XCTUnwrap(result.gradB)
        XCTAssertEqual(gradW.count, 64)
        XCTAssertTrue(gradW.allSatisfy(\.isFinite) && gradB.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(gradB.map(Swift.abs).max()!, 0, "the gradient reached the bias")
    }

    /// The same unrolled chain, long enough that a recursive release of graph nodes would
    /// overflow even the main thread's stack: building and dropping it must not crash.
    func testDroppingAVeryDeepGraphDoesNotRecurse() {
        let x = Tensor(shape: [1], scalars: [0.5], requiresGrad: true)
        var y = x
        let factor: Float = 0.99999
        for _ in 0..<200_000 { y = y * factor }
        y.backward()
        // d/dx x·f^n = f^n = e^(−2) here; a missing or broken link would give 0 or 1.
        let expected = Foundation.pow(Double(factor), 200_000)
        XCTAssertEqual(Double(x.grad!.scalar), expected, accuracy: expected * 1e-3)
        y = Tensor(0)   // releases the 200,000-node chain
        XCTAssertFalse(y.requiresGrad)
    }

    func testGradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
        (x * x).sum().backward()
        XCTAssertEqual(x.grad!.scalars, [2, 4, 6])
        // A second, different graph adds to the same gradient.
        (x * 10).sum().backward()
        XCTAssertEqual(x.grad!.scalars, [12, 14, 16])
        // The same graph twice (kept by retainGraph, as backward frees it otherwise): the sum doubles.
        let loss = (x * 3).sum()
        loss.backward(retainGraph: true)
        loss.backward()
        XCTAssertEqual(x.grad!.scalars, [18, 20, 22])
        x.zeroGrad()
        XCTAssertNil(x.grad)
        (x * 2).sum().backward()
        XCTAssertEqual(x.grad!.scalars, [2, 2, 2])
    }

    func testBackwardWithSeedAndRetainedIntermediateGradient() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let h = x * 2
        h.retainGrad()
        (h * h).backward(Tensor(shape: [2], scalars: [1, 10]))
        XCTAssertEqual(h.grad!.scalars, [4, 80])      // 2h · seed
        XCTAssertEqual(x.grad!.scalars, [8, 160])     // · 2
        let unretained = x + 1
        (unretained * 1).sum().backward()
        XCTAssertNil(unretained.grad, "intermediate results do not keep gradients unless asked")
    }

    func testNoGradModeRecordsNothing() {
        let w = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGrad: true)
        XCTAssertTrue(Tensor.isRecordingGradients)
        let y = Tensor.withoutGradients { () -> Tensor in
            XCTAssertFalse(Tensor.isRecordingGradients)
            return (w.matmul(w) * 2 + 1).tanh().sum(axis: 0).softmax()
        }
        XCTAssertFalse(y.requiresGrad, "an operation in no-grad mode must not record a graph")
        XCTAssertTrue(y.isLeaf)
        XCTAssertTrue(Tensor.isRecordingGradients, "the mode is restored on return")
        XCTAssertTrue((w * 2).requiresGrad, "recording resumes after the block")
        // Nested, and restored after a throw.
        struct Failure: Error {}
        XCTAssertThrowsError(try Tensor.withoutGradients { () throws -> Void in
            Tensor.withoutGradients { XCTAssertFalse(Tensor.isRecordingGradients) }
            XCTAssertFalse(Tensor.isRecordingGradients)
            throw Failure()
        })
        XCTAssertTrue(Tensor.isRecordingGradients)
    }

    func testNoGradModeIsPerThread() {
        let w = Tensor(shape: [1], scalars: [1], requiresGrad: true)
        Tensor.withoutGradients {
            nonisolated(unsafe) var otherThreadRecords = false
            let done = DispatchSemaphore(value: 0)
            Thread { otherThreadRecords = (w * 2).requiresGrad; done.signal() }.start()
            done.wait()
            XCTAssertTrue(otherThreadRecords, "no-grad mode on one thread must not affect another")
        }
    }

    func testDetachedCutsTheGraph() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = (x * 3).detached()
        XCTAssertFalse(y.requiresGrad)
        let z = x * y
        z.sum().backward()
        XCTAssertEqual(x.grad!.scalars, [3, 6], "y is a constant: dz/dx = y")
    }

    func testOperationsOnConstantsDoNotRequireGradients() {
        let a = Tensor.ones([2, 2]), b = Tensor.full([2, 2], 3)
        XCTAssertFalse((a + b).matmul(b).requiresGrad)
        XCTAssertFalse(a.requiresGrad)
        XCTAssertNil(a.grad)
    }

    func testRequiresGradCanBeSwitchedOnAndOffOnLeaves() {
        var w = Tensor.zeros([2])
        XCTAssertFalse(w.requiresGrad)
        w.requiresGrad = true
        XCTAssertTrue(w.requiresGrad && w.isLeaf)
        (w + 1).sum().backward()
        XCTAssertEqual(w.grad!.scalars, [1, 1])
        w.requiresGrad = false
        XCTAssertNil(w.grad)
        XCTAssertFalse((w * 2).requiresGrad)
        XCTAssertFalse((Tensor(shape: [1], scalars: [1], requiresGrad: true) * 2).isLeaf)
    }

    func testCopyOnWriteLeavesTheOriginalIntact() {
        let original = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var copy = original
        copy.withUnsafeMutableScalars { data in
            for i in data.indices { data[i] *= 10 }
        }
        XCTAssertEqual(original.scalars, [1, 2, 3, 4])
        XCTAssertEqual(copy.scalars, [10, 20, 30, 40])
        // A reshape shares the buffer; mutating it must not change the source either.
        var view = original.reshaped([4])
        view.withUnsafeMutableScalars { $0[0] = -1 }
        XCTAssertEqual(original.scalars, [1, 2, 3, 4])
        XCTAssertEqual(view.scalars, [-1, 2, 3, 4])
    }

    func testInPlaceUpdateKeepsGradientIdentityAndTheSavedGraphValues() {
        var w = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let loss = (w * w).sum()   // the graph saved w = [1, 2]
        // An optimizer-style update while the graph is alive: copy-on-write protects it.
        w.withUnsafeMutableScalars { data in
            data[0] = 100; data[1] = 200
        }
        loss.backward()
        XCTAssertEqual(w.grad!.scalars, [2, 4], "the gradient uses the values of the forward pass, and lands on w")
        XCTAssertEqual(w.scalars, [100, 200])
        // An SGD step in place, then a new forward pass uses the new values.
        w.zeroGrad()
        (w * 1).sum().backward()
        let g = w.grad!
        g.withUnsafeScalars { grad in
            w.withUnsafeMutableScalars { data in for i in data.indices { data[i] -= 0.5 * grad[i] } }
        }
        XCTAssertEqual(w.scalars, [99.5, 199.5])
        XCTAssertTrue(w.requiresGrad)
    }

    func testBroadcastShapeErrorsExplainTheMismatch() {
        XCTAssertEqual(try Tensor.broadcastShape([4, 1, 3], [2, 1]), [4, 2, 3])
        XCTAssertEqual(try Tensor.broadcastShape([], [2, 3]), [2, 3])
        XCTAssertThrowsError(try Tensor.broadcastShape([2, 3], [4])) { error in
            let message = (error as? ShapeError)?.description ?? ""
            XCTAssertEqual(message, "shapes [2, 3] and [4] cannot be broadcast: aligned from the right, dimension 1 of the result would need sizes 3 and 4 to agree (they must be equal, or one of them 1)")
        }
        XCTAssertThrowsError(try Tensor.broadcastShape([5, 2, 3], [4, 3])) { error in
            XCTAssertTrue("\(error)".contains("dimension 1"), "\(error)")
            XCTAssertTrue("\(error)".contains("[5, 2, 3] and [4, 3]"), "\(error)")
        }
    }

    func testConcurrentForwardPassesOnSharedParameters() {
        // Tensors are Sendable; parallel forward passes on shared (read-only) data are fine.
        var rng = SeededGenerator(seed: 3)
        let w = Tensor.randn([16, 16], using: &rng)
        let expected = w.matmul(w).sum().scalar
        nonisolated(unsafe) var results = [Float](repeating: 0, count: 8)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let value = w.matmul(w).sum().scalar
            lock.lock(); results[i] = value; lock.unlock()
        }
        XCTAssertEqual(results, [Float](repeating: expected, count: 8))
    }
}

final class TensorMemoryTests: XCTestCase {
    /// Big buffers are reused after release; the reused memory must never leak old values
    /// into a new tensor's result, and releasing the cache must keep live tensors intact.
    func testBufferReuseKeepsResultsCorrect() {
        let n = 40_000
        var results: [Tensor] = []
        for round in 0..<4 {
            let a = Tensor.full([n], Float(round))
            let b = Tensor.full([n], 1)
            results.append(a + b)   // a and b are released here and their buffers cached
        }
        Tensor.releaseCachedMemory()
        for (round, r) in results.enumerated() {
            XCTAssertTrue(r.scalars.allSatisfy { $0 == Float(round) + 1 }, "round \(round)")
        }
        let zeros = Tensor.zeros([n])
        XCTAssertEqual(zeros.sum().scalar, 0, "a reused buffer is fully overwritten")
    }

    func testSettingTheGradientReplacesWhatWasAccumulated() {
        let x = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        (x * x).sum().backward()
        x.grad = Tensor(shape: [2], scalars: [1, 1])
        XCTAssertEqual(x.grad?.scalars, [1, 1])
        (x * x).sum().backward()                      // accumulates onto the new value
        XCTAssertEqual(x.grad?.scalars, [7, 9])
        x.grad = nil
        XCTAssertNil(x.grad)
    }
}
