// kv-cache-decode: greedy decoding with the small GPT of GPTBench.swift (257 positions) in
// inference (eval mode, without gradient recording), batch 1: from a 1-token prompt, 256 steps
// of one token each, every layer keeping a key/value cache, the next token the argmax of the
// logits. The figure is the time per decoded token over the 256 steps (ms). Against the same
// model in PyTorch CPU under torch.no_grad(), decoded by a nanoGPT-style hand-written step over
// the nn.TransformerEncoderLayer weights (torch's layer cannot cache): one packed q/k/v
// projection, torch.cat onto the layer's cache, F.scaled_dot_product_attention.
// Before timing, one decode prints to standard error the time per token of its first 32 and last
// 32 steps: a cache that grew by concatenation would copy O(t) per step, so the later steps would
// cost more; the caches here reserve room for all 257 positions and each step writes only its own
// row in place (KeyValueCache.append), so the profile is flat apart from attention's own O(t).
//
// The layers are the library's TransformerEncoderLayers, which have no cached call of their own
// (TransformerDecoderLayer has one, with cross-attention); `cachedStep` does theirs from
// MultiheadAttention's keysAndValues / attend and KeyValueCache.append, as
// TransformerDecoderLayer does. `decode` is the whole loop.
import LecternCore
import LecternNN

extension BenchCase {
    static var kvCacheDecode: BenchCase {
        let shape = BenchGPTShape(maxPositions: 257)   // the prompt and 256 decoded tokens
        let steps = 256
        return BenchCase(name: "kv-cache-decode", unit: .millisecondsPerItem(itemsPerCall: Double(steps)),
                         reference: ReferenceSpec(kind: "kv_cache_decode", params: shape.params.merging(["steps": steps]) { $1 })) {
            var rng = SeededGenerator(seed: 9)
            let model = BenchGPT(shape, using: &rng)
            model.eval()
            let prompt = rng.nextInt(below: shape.vocab)
            // The profile: one decode to warm up, then one timed step by step.
            benchKeep(model.decode(from: prompt, steps: steps))
            let clock = ContinuousClock()
            var ends: [ContinuousClock.Instant] = []
            let start = clock.now
            benchKeep(model.decode(from: prompt, steps: steps) { _ in ends.append(clock.now) })
            func msPerToken(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant, _ count: Int) -> String {
                let duration = (to - from).components
                return Bench.figure((Double(duration.seconds) + Double(duration.attoseconds) * 1e-18) * 1e3 / Double(count))
            }
            printError("kv-cache-decode: \(msPerToken(start, ends[31], 32)) ms/token over steps 1–32, "
                       + "\(msPerToken(ends[steps - 33], ends[steps - 1], 32)) ms/token over steps \(steps - 31)–\(steps)")
            return { benchKeep(model.decode(from: prompt, steps: steps)) }
        }
    }
}

extension BenchGPT {
    /// Greedy decoding of `steps` tokens after `first` (at position 0), one token per step, with
    /// one key/value cache per layer; `afterStep(i)` runs after step i. Returns the tokens.
    func decode(from first: Int, steps: Int, afterStep: (Int) -> Void = { _ in }) -> [Int] {
        Tensor.withoutGradients {
            var caches = [KeyValueCache?](repeating: nil, count: layers.count)
            var token = first
            var generated: [Int] = []
            for position in 0..<steps {
                var x = tokens([[token]]) + positions([position])         // (1, 1, d) + (1, d)
                for index in layers.indices {
                    x = Self.cachedStep(layers[index], x, cache: &caches[index], capacity: steps)   // (1, 1, d)
                }
                token = lmHead(norm(x)).argmax(axis: -1)[0]               // (1, 1, V) → id
                generated.append(token)
                afterStep(position)
            }
            return generated
        }
    }

    /// `layer` on the newest tokens `x` (B, t, d), attending causally to them and to the tokens
    /// whose keys and values are in `cache`, which grows by t.
    static func cachedStep(_ layer: TransformerEncoderLayer, _ x: Tensor, cache: inout KeyValueCache?, capacity: Int) -> Tensor {
        let attended = sublayerConnection(x, norm: layer.norm1, dropout: layer.dropout1, normFirst: layer.config.normFirst) { h in
            let step = layer.selfAttn.keysAndValues(key: h, value: h)                   // (B, nh, t, hs) each
            cache.appendOrStart(step, reserving: capacity)                              // in place after the first step
            return layer.selfAttn.attend(h, to: cache!, isCausal: true).output          // (B, t, d)
        }
        return sublayerConnection(attended, norm: layer.norm2, dropout: layer.dropout2, normFirst: layer.config.normFirst) { h in
            layer.feedForward(h)                                                        // (B, t, d)
        }
    }
}
