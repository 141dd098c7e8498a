// Elementwise arithmetic with broadcasting: + − × ÷ and negation.
//
// Reference: `torch.add`, `torch.sub`, `torch.mul`, `torch.div` and `torch.neg` (PyTorch 2.x),
// with NumPy broadcasting. Gradients (for z = x ∘ y, upstream g):
//   x + y:  g, g            x − y:  g, −g
//   x · y:  g·y, g·x        x / y:  g/y, −g·x/y²
// each then summed over the dimensions along which its input was broadcast
// (`sumToShape`), so a bias of shape (C) added to (B, T, C) gets a (C) gradient.

extension Tensor {
    /// Elementwise sum, with NumPy broadcasting.
    ///
    ///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])   // (2, 3)
    ///     let b = Tensor(shape: [3], scalars: [10, 20, 30])             // (3)
    ///     (x + b).scalars   // [11, 22, 33, 14, 25, 36]                 // (2, 3)
    ///
    /// - Precondition: the shapes broadcast (see ``broadcastShape(_:_:)``).
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (out, shape) = broadcastElements(lhs, rhs, "+") { $0 + $1 }
        return record("add", out, shape: shape, inputs: [lhs, rhs]) { [sa = lhs.shape, sb = rhs.shape] g, needs in
            [needs[0] ? g.sumToShape(sa) : nil, needs[1] ? g.sumToShape(sb) : nil]
        }
    }

    /// Elementwise difference, with NumPy broadcasting.
    ///
    ///     let x = Tensor(shape: [2], scalars: [5, 7])
    ///     (x - Tensor(1)).scalars   // [4, 6]
    ///
    /// - Precondition: the shapes broadcast.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (out, shape) = broadcastElements(lhs, rhs, "-") { $0 - $1 }
        return record("sub", out, shape: shape, inputs: [lhs, rhs]) { [sa = lhs.shape, sb = rhs.shape] g, needs in
            [needs[0] ? g.sumToShape(sa) : nil, needs[1] ? mapTensor(g) { -$0 }.sumToShape(sb) : nil]
        }
    }

    /// Elementwise product (not the matrix product: see ``matmul(_:)``), with broadcasting.
    ///
    ///     let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    ///     let scale = Tensor(shape: [2, 1], scalars: [10, 100])   // one factor per row
    ///     (x * scale).scalars   // [10, 20, 300, 400]
    ///
    /// - Precondition: the shapes broadcast.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (out, shape) = broadcastElements(lhs, rhs, "*") { $0 * $1 }
        // Save only what backward will use: x's gradient needs y and y's needs x, so a constant
        // factor (a dropout mask, a scale) keeps the other operand out of memory.
        return record("mul", out, shape: shape, inputs: [lhs, rhs]) {
            [a = rhs.node != nil ? lhs.detached() : nil, b = lhs.node != nil ? rhs.detached() : nil,
             sa = lhs.shape, sb = rhs.shape] g, needs in
            [needs[0] ? (g * b!).sumToShape(sa) : nil, needs[1] ? (g * a!).sumToShape(sb) : nil]
        }
    }

    /// Elementwise quotient, with broadcasting. Division by zero gives ±inf or NaN, as in
    /// IEEE arithmetic (and PyTorch).
    ///
    ///     let x = Tensor(shape: [2], scalars: [1, 6])
    ///     (x / Tensor(shape: [2], scalars: [2, 3])).scalars   // [0.5, 2]
    ///
    /// - Precondition: the shapes broadcast.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (out, shape) = broadcastElements(lhs, rhs, "/") { $0 / $1 }
        return record("div", out, shape: shape, inputs: [lhs, rhs]) {
            [a = rhs.node != nil ? lhs.detached() : nil, b = rhs.detached(), sa = lhs.shape] g, needs in
            [needs[0] ? (g / b).sumToShape(sa) : nil,
             // d(a/b)/db = −a/b²: computed as −(g·a/b)/b to stay finite where b² would overflow.
             needs[1] ? (-((g * a!) / b) / b).sumToShape(b.shape) : nil]
        }
    }

    /// Elementwise negation.
    ///
    ///     (-Tensor(shape: [2], scalars: [1, -2])).scalars   // [-1, 2]
    public static prefix func - (x: Tensor) -> Tensor {
        let out = mapElements(x) { -$0 }
        return record("neg", out, shape: x.shape, inputs: [x]) { g, _ in [mapTensor(g) { -$0 }] }
    }

    /// Adds a number to every element.
    ///
    ///     (Tensor(shape: [2], scalars: [1, 2]) + 1).scalars   // [2, 3]
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
    /// Adds a number to every element.
    ///
    ///     (1 + Tensor(shape: [2], scalars: [1, 2])).scalars   // [2, 3]
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) + rhs }
    /// Subtracts a number from every element.
    ///
    ///     (Tensor(shape: [2], scalars: [1, 2]) - 1).scalars   // [0, 1]
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
    /// Subtracts every element from a number.
    ///
    ///     (1 - Tensor(shape: [2], scalars: [1, 2])).scalars   // [0, -1]
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
    /// Multiplies every element by a number.
    ///
    ///     (Tensor(shape: [2], scalars: [1, 2]) * 3).scalars   // [3, 6]
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
    /// Multiplies every element by a number.
    ///
    ///     (3 * Tensor(shape: [2], scalars: [1, 2])).scalars   // [3, 6]
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
    /// Divides every element by a number.
    ///
    ///     (Tensor(shape: [2], scalars: [1, 2]) / 2).scalars   // [0.5, 1]
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(rhs) }
    /// Divides a number by every element.
    ///
    ///     (1 / Tensor(shape: [2], scalars: [2, 4])).scalars   // [0.5, 0.25]
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) / rhs }

    /// `lhs = lhs + rhs` (a new value, recorded like `+`; not an in-place update of shared data).
    ///
    ///     var total = Tensor(0)
    ///     for loss in losses { total += loss }
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
    /// `lhs = lhs - rhs`.
    ///
    ///     var x = Tensor(shape: [1], scalars: [3]); x -= Tensor(1)   // [2]
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
    /// `lhs = lhs * rhs`.
    ///
    ///     var x = Tensor(shape: [1], scalars: [3]); x *= Tensor(2)   // [6]
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
    /// `lhs = lhs / rhs`.
    ///
    ///     var x = Tensor(shape: [1], scalars: [3]); x /= Tensor(2)   // [1.5]
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
}

/// `f` applied to every element, as an unrecorded tensor (for backward functions).
@inline(__always)
func mapTensor(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    Tensor(storage: mapElements(x, f), shape: x.shape)
}
