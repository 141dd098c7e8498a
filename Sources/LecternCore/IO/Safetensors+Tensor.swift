// Safetensors files ↔ `Tensor`: reading a tensor by name, and saving named tensors.
//
// Reference: `safetensors.torch.load_file` / `save_file` (huggingface/safetensors,
// bindings/python/py_src/safetensors/torch.py), which do the same for `torch.Tensor`. These are
// thin wrappers over SafetensorsFile.floats and Safetensors.write: a Tensor is Float32 and
// row-major, exactly what an F32 safetensors entry holds, so nothing is reordered.

import Foundation

extension SafetensorsFile {
    /// The tensor named `name`, with its shape from the header and its values read and
    /// converted as by ``floats(_:convertingIntegers:)`` (F32 copied; F16 and BF16 widened
    /// exactly; integer dtypes only if `convertingIntegers`). It does not require gradients:
    /// set `requiresGrad` on it to make it a trainable parameter.
    ///
    ///     let file = try SafetensorsFile.open(URL(fileURLWithPath: "gpt2/model.safetensors"))
    ///     let wte = try file.tensor("wte.weight")   // shape [50257, 768]
    ///
    /// - Throws: ``SafetensorsError/tensorNotFound(name:suggestions:)`` or
    ///   ``SafetensorsError/dtypeMismatch(name:dtype:requested:)``.
    public func tensor(_ name: String, convertingIntegers: Bool = false) throws(SafetensorsError) -> Tensor {
        let values = try floats(name, convertingIntegers: convertingIntegers)
        // floats(_:) succeeded, so the name exists and its shape matches the value count
        // (checked when the file was opened).
        let shape = info(name)?.shape ?? [values.count]
        return Tensor(shape: shape, scalars: values)
    }
}

extension Safetensors {
    /// Saves named tensors as F32 entries, with optional string metadata, atomically (the
    /// file appears complete or not at all). Gradients and `requiresGrad` are not saved.
    ///
    ///     try Safetensors.write(["w": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]),
    ///                            "b": Tensor.zeros([2])],
    ///                           metadata: ["step": "500"],
    ///                           to: URL(fileURLWithPath: "checkpoint.safetensors"))
    ///
    /// - Throws: ``SafetensorsError/cannotWrite(path:reason:)``, or
    ///   ``SafetensorsError/invalidTensor(name:problem:)`` for the reserved name "__metadata__".
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                             to url: URL) throws(SafetensorsError) {
        try write(tensors.mapValues { TensorData.float32(shape: $0.shape, $0.scalars) }, metadata: metadata, to: url)
    }
}
