// Shape arithmetic: strides, axes, and NumPy broadcasting rules.
//
// Reference: NumPy's broadcasting rules, as used by PyTorch
// (https://numpy.org/doc/stable/user/basics.broadcasting.html): shapes are aligned from the
// right; two sizes are compatible if they are equal or one of them is 1; the result takes the
// larger size. A missing leading dimension counts as 1.

/// A shape mismatch, with a message that names the shapes and the offending dimension.
///
///     do { _ = try Tensor.broadcastShape([2, 3], [4]) }
///     catch { print(error) }   // "shapes [2, 3] and [4] cannot be broadcast: ..."
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// The explanation, as a precondition failure would print it.
    public let description: String

    /// A shape error with the given explanation.
    public init(_ description: String) { self.description = description }
}

extension Tensor {
    /// The shape that NumPy broadcasting gives two shapes, or a ``ShapeError`` explaining why
    /// they are incompatible.
    ///
    ///     try Tensor.broadcastShape([4, 1, 3], [2, 1])   // [4, 2, 3]
    ///     try Tensor.broadcastShape([2, 3], [4])         // throws ShapeError
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws(ShapeError) -> [Int] {
        if a == b { return a }
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            // Align from the right: dimension i of the result is a[i - (rank - a.count)].
            let da = i - (rank - a.count), db = i - (rank - b.count)
            let sa = da >= 0 ? a[da] : 1, sb = db >= 0 ? b[db] : 1
            if sa == sb || sb == 1 {
                result[i] = sa
            } else if sa == 1 {
                result[i] = sb
            } else {
                throw ShapeError("shapes \(a) and \(b) cannot be broadcast: aligned from the right, dimension \(i) of the result would need sizes \(sa) and \(sb) to agree (they must be equal, or one of them 1)")
            }
        }
        return result
    }

    /// `broadcastShape`, stopping the program with the explanation on a mismatch.
    static func broadcastShapeOrFail(_ a: [Int], _ b: [Int], _ op: String) -> [Int] {
        do {
            return try broadcastShape(a, b)
        } catch {
            fatalError("\(op): \(error.description)")
        }
    }

    /// Counts `axis` from the end when negative, like PyTorch's `dim=-1`.
    static func normalizeAxis(_ axis: Int, rank: Int, _ op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        require(a >= 0 && a < rank, "\(op): axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)..<\(rank))")
        return a
    }

    /// The row-major strides (in elements) of a contiguous tensor of this shape.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = running
            running *= shape[i]
        }
        return strides
    }

    /// The strides with which a tensor of `shape` is read when broadcast to `target`: its own
    /// strides, 0 where it has size 1 (or no dimension) and the target does not.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = contiguousStrides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { i in
            let d = i - offset
            return d >= 0 && shape[d] != 1 ? own[d] : 0
        }
    }

    /// The sizes (outer, n, inner) of the tensor seen as a 3-D block around `axis`: the product
    /// of the dimensions before it, its size, and the product of the dimensions after it.
    static func split3(_ shape: [Int], axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}
