// LecternNN: layers, losses, optimizers and schedules on top of the LecternCore tensor.
//
// Reference: the layout of PyTorch's `torch.nn`, `torch.nn.functional` and `torch.optim`, with
// Hugging Face's names wherever a model config or checkpoint uses them:
//   Module/      Parameter, the Module protocol (dotted names, state dicts, train/eval),
//                safetensors save/load
//   Layers/      Linear, Embedding, LayerNorm, RMSNorm, Dropout, xavier initialisation
//   Activations/ relu, gelu, geluNew, …, and the Activation enum decoded from HF configs
//   Losses/      crossEntropy, binaryCrossEntropyWithLogits, mseLoss
//   Optimizers/  SGD, Adam, AdamW, clipGradNorm
//   Schedules/   linear and cosine warm-up (HF), Noam (Attention Is All You Need §5.3)
//   Data/        generated seq2seq tasks (copy, reverse, sort, dates), SequenceVocabulary,
//                padded teacher-forcing batches
//   Metrics/     exact-match and token accuracy, corpus BLEU (sacreBLEU-compatible)
//   Training/    fit(epochs:batches:step:), Optimizer.minimize, ProgressDisplay, LossHistory, AttentionHeatmap
//   Recurrent/   RNNCell, LSTMCell, GRUCell and the RNN, LSTM, GRU layers (PyTorch's names)
//   Attention/   dot, general, concat (Luong 2015) and additive (Bahdanau 2015) scores,
//                masked attention weights, context vectors
//   Transformer/ Vaswani et al. 2017 with torch.nn's names: scaled dot-product attention
//                (HF attention_mask, bottom-right causal mask), attention heads,
//                MultiheadAttention and its key/value cache, positional encodings, the
//                position-wise FFN, post-/pre-LN sublayers, encoder and decoder layers and
//                stacks, Transformer (nn.Transformer)
// Importing LecternNN imports LecternCore too. Whole models (encoder–decoders, the Transformer
// over token ids, later BERT, GPT, T5) are in LecternModels, which imports this module.
@_exported import LecternCore
