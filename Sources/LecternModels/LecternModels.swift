// LecternModels: whole sequence models built from LecternNN's layers.
//
//   Seq2Seq/            the RNN encoder–decoder of Sutskever et al. (2014) and Cho et al. (2014):
//                       GRU/LSTM, bidirectional encoder with a bridge, teacher-forced loss,
//                       greedy decoding
//   AttentionSeq2Seq/   the same encoder–decoder with attention: Bahdanau et al. (2015) and
//                       Luong et al. (2015) decoders, global, local (predictive window) and hard
//                       attention, per-step attention weights for alignment heatmaps
//   TransformerSeq2Seq/ Vaswani et al. (2017): shared scaled embeddings, sinusoidal or learned
//                       positions, nn.Transformer, tied output projection, cached greedy decoding
//   Seq2Seq/Seq2SeqFit  model.fit(…): the training loop of every encoder–decoder, with the
//                       Transformer's recipe (Noam schedule, label smoothing) as options
//   BERT/               Devlin et al. (2019) with Hugging Face's names: BertModel and the
//                       pre-training, masked-LM, classification, tagging and QA heads
//   Pretrained/         Hugging Face model folders: config.json, safetensors checkpoints (one
//                       file or shards), naming rules, AutoModel, savePretrained
//   GPT2/               Radford et al. (2019) with Hugging Face's names: GPT2Model, GPT2LMHeadModel,
//                       the key/value cache and greedy generate()
//   SentenceEmbedding/  sentence-transformers folders (tokenizer → BERT → pooling → normalise)
//   Pretraining/        BERT's masked-LM rule and next-sentence pairs
//   Ranking/            cosine similarity and ColBERT's MaxSim
//   Alignment/          RLHF's reward model and its pairwise ranking loss
//
// Module graph: LecternCore (tensors) ← LecternNN (layers) ← LecternModels (models), which also
// uses LecternTokenizers and LecternHub. Importing LecternModels imports the tensor core, the
// layers and the tokenizers, so one `import LecternModels` gives the whole library.
@_exported import LecternNN
@_exported import LecternTokenizers
