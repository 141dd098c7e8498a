// bert-base-forward: inference through a randomly initialised BERT-base-shaped encoder, without
// the embeddings: 12 post-LN TransformerEncoderLayers (d_model 768, nhead 12, dim_feedforward
// 3072, exact GELU, layer_norm_eps 1e-12, dropout 0, norm_first false; 85 M parameters) over
// (B 8, T 128, 768) random floats with a (B, T) padding attentionMask of all ones, in eval mode
// without gradient recording. Against a plain loop over nn.TransformerEncoderLayer(768, 12, 3072,
// dropout=0.0, activation="gelu", layer_norm_eps=1e-12, batch_first=True) in eval mode under
// torch.no_grad(), with src_key_padding_mask all False: torch's fused encoder-layer fast path,
// which is what a PyTorch user gets.
// It measures a full-size encoder's inference: about 179 GFLOP per call (174 in the projections,
// 5 in attention's products), attention with a padding mask, LayerNorm and GELU on 1024 tokens.
import LecternCore
import LecternNN

extension BenchCase {
    static var bertBaseForward: BenchCase {
        BenchCase(name: "bert-base-forward", unit: .milliseconds,
                  reference: ReferenceSpec(kind: "bert_base_forward", params: [
                      "batch": 8, "seq": 128, "d_model": 768, "nhead": 12, "dim_feedforward": 3072,
                      "layers": 12, "layer_norm_eps": 1e-12,
                  ])) {
            var rng = SeededGenerator(seed: 8)
            let config = TransformerLayerConfig(dModel: 768, nhead: 12, dimFeedforward: 3072, dropout: 0,
                                                activation: .gelu, layerNormEps: 1e-12, normFirst: false)
            let layers = (0..<12).map { _ in TransformerEncoderLayer(config, using: &rng) }
            for layer in layers { layer.eval() }
            let x = Tensor.uniform([8, 128, 768], low: -1, high: 1, using: &rng)   // (B, T, d)
            let padding = Tensor.ones([8, 128])                                     // (B, T): 1 = real token
            return {
                benchKeep(Tensor.withoutGradients {
                    layers.reduce(x) { h, layer in layer(h, attentionMask: padding) }   // (B, T, d)
                })
            }
        }
    }
}
