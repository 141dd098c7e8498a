// gpt-train-step-memory: the working memory of gpt-train-step's training step, in MB (10^6
// bytes), against the same step in PyTorch measured the same way in its own process
// (reference.py's gpt_train_step_memory).
// Measured, not timed: build the model and optimizer and run one step (so that the gradients and
// AdamW's moments exist), give idle allocator memory back to the system (ours: the tensor buffer
// cache and glibc's free heap; torch: glibc's free heap, malloc_trim), reset the peak resident
// memory (Linux: /proc/self/clear_refs), run 3 more steps, and report their peak resident memory
// minus the resident memory just before them: the activations kept for backward, the gradients'
// temporaries and whatever the allocators keep while the steps run. See ``ResidentMemory`` for
// macOS, where the peak cannot be reset.
import LecternCore
import LecternNN

extension BenchCase {
    static var gptTrainStepMemory: BenchCase {
        let shape = BenchGPTShape()
        return BenchCase.measured(name: "gpt-train-step-memory", unit: .megabytes,
                                  reference: ReferenceSpec(kind: "gpt_train_step_memory",
                                                           params: shape.params.merging(["batch": 8, "seq": 128, "lr": 3e-4, "steps": 3]) { $1 })) {
            var rng = SeededGenerator(seed: 7)
            let model = BenchGPT(shape, using: &rng)
            let ids = BenchGPT.randomTokens(batch: 8, length: 128, vocab: shape.vocab, using: &rng)       // B × T
            let targets = BenchGPT.randomTokens(batch: 8, length: 128, vocab: shape.vocab, using: &rng)   // B × T
            let optimizer = AdamW(model.parameters(), lr: 3e-4)
            model.trainStep(ids, targets: targets, optimizer: optimizer)
            ResidentMemory.releaseIdle()
            ResidentMemory.resetPeak()
            guard let before = ResidentMemory.current() else { return .nan }
            for _ in 0..<3 { benchKeep(model.trainStep(ids, targets: targets, optimizer: optimizer)) }
            guard let peak = ResidentMemory.peak() else { return .nan }
            return (peak - before) / 1e6
        }
    }
}
