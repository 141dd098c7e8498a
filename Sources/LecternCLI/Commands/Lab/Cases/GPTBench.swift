// The small GPT of gpt-train-step, gpt-train-step-memory and kv-cache-decode, built from the
// library's parts: a token embedding (vocab 8192, d 256) plus a learned position embedding, six
// pre-LN TransformerEncoderLayers (d_model 256, nhead 8, dim_feedforward 1024, dropout 0, exact
// GELU, layer_norm_eps 1e-5, norm_first true) run with isCausal, a final LayerNorm and an untied
// lm head Linear(256 → 8192, no bias): 9.0 M parameters with 128 positions.
// Scripts/bench/reference.py (`GPT` in gpt_model) builds the same model in PyTorch from
// nn.Embedding, nn.TransformerEncoderLayer(…, batch_first=True, norm_first=True), nn.LayerNorm
// and nn.Linear; ``BenchGPTShape/params`` is what it is told.
import LecternCore
import LecternNN

/// The sizes of a ``BenchGPT``.
struct BenchGPTShape {
    var vocab = 8192
    var dModel = 256
    var heads = 8
    var feedForward = 1024
    var layers = 6
    var maxPositions = 128

    /// Every layer's config: pre-LN, exact GELU, no dropout.
    var layer: TransformerLayerConfig {
        TransformerLayerConfig(dModel: dModel, nhead: heads, dimFeedforward: feedForward, dropout: 0,
                               activation: .gelu, layerNormEps: 1e-5, normFirst: true)
    }

    /// The sizes as reference.py's `gpt_model` reads them.
    var params: [String: Any] {
        ["vocab": vocab, "d_model": dModel, "nhead": heads, "dim_feedforward": feedForward,
         "layers": layers, "max_positions": maxPositions]
    }
}

/// A decoder-only language model (GPT-2's layout, nanoGPT's names) for the benchmarks.
final class BenchGPT: Module {
    var training = true
    let shape: BenchGPTShape
    /// `wte`: token ids → vectors.
    let tokens: Embedding
    /// `wpe`: positions 0..<maxPositions → vectors.
    let positions: Embedding
    /// `h`: the pre-LN blocks, run with isCausal.
    let layers: [TransformerEncoderLayer]
    /// `ln_f`: the LayerNorm after the last block.
    let norm: LayerNorm
    /// `lm_head`: vectors → logits over the vocabulary.
    let lmHead: Linear

    init(_ shape: BenchGPTShape, using rng: inout SeededGenerator) {
        self.shape = shape
        tokens = Embedding(numEmbeddings: shape.vocab, embeddingDim: shape.dModel, using: &rng)
        positions = Embedding(numEmbeddings: shape.maxPositions, embeddingDim: shape.dModel, using: &rng)
        layers = (0..<shape.layers).map { _ in TransformerEncoderLayer(shape.layer, using: &rng) }
        norm = LayerNorm(shape.dModel, eps: 1e-5)
        lmHead = Linear(inFeatures: shape.dModel, outFeatures: shape.vocab, bias: false, using: &rng)
    }

    var children: NamedModules {
        [("wte", tokens), ("wpe", positions)] + namedList("h", layers) + [("ln_f", norm), ("lm_head", lmHead)]
    }

    /// The logits of every position of `ids` (B sequences of T ids): (B, T, vocab).
    func callAsFunction(_ ids: [[Int]]) -> Tensor {
        var x = tokens(ids) + positions(Array(0..<(ids.first?.count ?? 0)))   // (B, T, d) + (T, d)
        for layer in layers { x = layer(x, isCausal: true) }                   // (B, T, d)
        return lmHead(norm(x))                                                 // (B, T, V)
    }

    /// One training step on `ids` against `targets` (both B × T): cross-entropy over the B·T
    /// positions, zeroGrad, backward, an optimizer step. Returns the loss.
    @discardableResult
    func trainStep(_ ids: [[Int]], targets: [[Int]], optimizer: AdamW) -> Tensor {
        let logits = self(ids)                                                 // (B, T, V)
        let loss = crossEntropy(logits: logits.reshaped([-1, shape.vocab]), targets: targets.flatMap { $0 })   // scalar
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        return loss
    }

    /// `batch` rows of `length` token ids, uniform over the vocabulary.
    static func randomTokens(batch: Int, length: Int, vocab: Int, using rng: inout SeededGenerator) -> [[Int]] {
        (0..<batch).map { _ in (0..<length).map { _ in rng.nextInt(below: vocab) } }
    }
}
