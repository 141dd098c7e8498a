func gpt2ParameterCount(vocabSize: Int, positions: Int, width: Int, layers: Int, inner: Int? = nil) -> Int {
    let h = width, i = inner ?? 4 * width
    let attention = h * 3 * h + 3 * h + h * h + h            // c_attn and c_proj, with biases
    let mlp = h * i + i + i * h + h                          // c_fc and c_proj, with biases
    let norms = 2 * (2 * h)                                  // ln_1 and ln_2
    let embeddings = vocabSize * h + positions * h           // wte and wpe (lm_head is wte)
    return embeddings + layers * (attention + mlp + norms) + 2 * h   // + ln_f
}
