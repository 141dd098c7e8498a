// Saving and loading a module's parameters as a .safetensors file.
//
// Reference: Hugging Face's safetensors format (github.com/huggingface/safetensors) and
// `safetensors.torch.save_file(model.state_dict(), path)` / `load_file` +
// `model.load_state_dict(...)`. The file holds one F32 tensor per state-dict name, so a
// checkpoint saved here opens in Python with `safetensors.torch.load_file`, and a PyTorch
// state dict saved with `save_file` loads here, names and shapes checked by
// `loadStateDict`'s rules. F16 and BF16 checkpoints load too (widened exactly to Float).
// Reading and writing is LecternCore's (IO/); this file only connects it to modules.

import Foundation

extension Module {
    /// Writes every parameter (``stateDict()``) to a .safetensors file at `url`, atomically,
    /// with the metadata `{"format": "pt"}` that Hugging Face writes.
    ///
    ///     try model.save(to: URL(fileURLWithPath: "checkpoint.safetensors"))
    ///
    /// - Throws: `SafetensorsError.cannotWrite` if the file cannot be written.
    public func save(to url: URL) throws(SafetensorsError) {
        var tensors: [String: Safetensors.TensorData] = [:]
        for (name, tensor) in stateDict() { tensors[name] = .float32(shape: tensor.shape, tensor.scalars) }
        try Safetensors.write(tensors, metadata: ["format": "pt"], to: url)
    }

    /// Loads parameters from a .safetensors file by name (``loadStateDict(_:strict:)`` on the
    /// file's tensors). Names and shapes are checked before any tensor is read, and only the
    /// tensors the model has are read.
    ///
    ///     try model.load(from: URL(fileURLWithPath: "checkpoint.safetensors"))
    ///     let r = try model.load(from: url, strict: false)   // e.g. a checkpoint with a pooler
    ///     print(r.unexpectedKeys)
    ///
    /// - Throws: `SafetensorsError` if the file cannot be opened, is malformed, or holds a
    ///   parameter in a dtype that is not floating-point; ``StateDictError`` if names or shapes
    ///   do not match (see ``loadStateDict(_:strict:)``). Nothing is loaded when it throws.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws -> LoadStateDictResult {
        let file = try SafetensorsFile.open(url)
        var shapes: [String: [Int]] = [:]
        for name in file.names { shapes[name] = file.info(name)?.shape }
        let plan = try planLoad(shapes: shapes, strict: strict)
        // Refuse an integer tensor for a parameter before copying anything.
        for (name, _) in plan.targets {
            guard let info = file.info(name), [.float32, .float16, .bfloat16].contains(info.dtype) else {
                throw SafetensorsError.dtypeMismatch(name: name, dtype: file.info(name)!.dtype, requested: "floats")
            }
        }
        for (name, parameter) in plan.targets {
            parameter.copyIn(Tensor(shape: parameter.shape, scalars: try file.floats(name)))
        }
        return plan.result
    }
}
