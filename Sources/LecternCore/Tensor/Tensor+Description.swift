// Printing a tensor.
//
// Reference: PyTorch's `repr(tensor)`: nested brackets, one level per dimension, and, for big
// tensors, only the first and last three entries of each dimension with "..." between.

extension Tensor: CustomStringConvertible {
    /// The elements in nested brackets, then the shape, and whether gradients are required.
    ///
    ///     print(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    ///     // tensor([[1.0, 2.0], [3.0, 4.0]], shape: [2, 2])
    ///
    /// Tensors with more than 1,000 elements show the first and last three entries along each
    /// dimension.
    public var description: String {
        let summarize = count > 1000
        var text = "tensor("
        withUnsafeScalars { data in
            var strides = Tensor.contiguousStrides(shape)
            if strides.isEmpty { strides = [1] }
            func render(_ dim: Int, _ offset: Int) {
                if dim == shape.count {
                    text += "\(data[offset])"
                    return
                }
                text += "["
                let n = shape[dim]
                var indices = Array(0..<n)
                if summarize && n > 6 { indices = [0, 1, 2, -1, n - 3, n - 2, n - 1] }
                for (k, i) in indices.enumerated() {
                    if k > 0 { text += ", " }
                    if i < 0 { text += "..." } else { render(dim + 1, offset + i * strides[dim]) }
                }
                text += "]"
            }
            render(0, 0)
        }
        text += ", shape: \(shape)"
        if let node {
            text += node.isLeaf ? ", requiresGrad: true" : ", gradFn: \(node.operation)"
        }
        return text + ")"
    }
}
