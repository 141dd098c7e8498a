#!/usr/bin/env python3
"""Reference timings for `lectern lab bench`: the same operations in NumPy / PyTorch.

`lectern lab bench` starts this script once with `--serve` and, for each case, alternates
timing ours and asking the script for the reference figure (one JSON request per line on
stdin, one JSON response per line on stdout), so both sides are measured on the same machine
within the same few seconds. Without `--serve` it answers one request read from all of stdin,
for use by hand:

    echo '{"threads": 2, "quick": false, "cases": [
            {"name": "sgemm-512", "kind": "sgemm", "unit": "GFLOP/s", "params": {"m": 512, "n": 512, "k": 512}}
          ]}' | python Scripts/bench/reference.py

Request:  {"threads": int, "quick": bool, "libs": ["numpy", "torch"] (optional: import these
          now), "cases": [{"name", "kind", "unit", "params"}]}
Response: {"versions": {"python", "numpy", "torch", "blas"},
           "results": {name: {"value": number} | {"error": "why not"}}}
          or {"error": "..."} for a request that cannot be read.
`value` is in the case's unit: "GFLOP/s" or "MB/s" (higher is better), "ms" or "MB" (memory,
lower is better).

Timing (identical to the Swift side, Sources/LecternCLI/Commands/Lab/BenchHarness.swift):
warm up, calibrate `inner` so one repetition lasts at least `min_rep_seconds`, time
`repeats` repetitions of `inner` calls each and keep the fastest (the least disturbed by
other processes). Inputs are float32, filled with uniform noise in [-1, 1).

Each `kind` is one small function in KINDS below; a new benchmark case adds one there and one
Swift file in Sources/LecternCLI/Commands/Lab/Cases/.
"""

import json
import os
import platform
import sys
import time

# Settings shared with the Swift harness (BenchHarness.swift, `BenchSettings`).
FULL = {"warmup_seconds": 0.2, "min_rep_seconds": 0.05, "repeats": 10}
QUICK = {"warmup_seconds": 0.05, "min_rep_seconds": 0.02, "repeats": 3}


def time_best(fn, settings):
    """Seconds per call of `fn`: the fastest of `repeats` timed repetitions."""
    start = time.perf_counter()
    fn()
    while time.perf_counter() - start < settings["warmup_seconds"]:
        fn()
    inner = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= settings["min_rep_seconds"]:
            break
        inner *= 2
    best = elapsed / inner
    for _ in range(settings["repeats"] - 1):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t0) / inner)
    return best


def sgemm(params, settings, lib):
    """C = A·B for row-major float32 A (m×k), B (k×n), C (m×n), written into a preallocated C."""
    np = lib["numpy"]
    m, n, k = params["m"], params["n"], params["k"]
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    seconds = time_best(lambda: np.matmul(a, b, out=c), settings)
    return 2.0 * m * n * k / seconds / 1e9


def softmax(params, settings, lib):
    """torch.softmax over the last axis of a float32 tensor of `shape`, in milliseconds."""
    torch = lib["torch"]
    x = torch.rand(params["shape"], generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        return time_best(lambda: torch.softmax(x, dim=-1), settings) * 1e3


def layer_norm(params, settings, lib):
    """torch.nn.functional.layer_norm over the last axis (with weight and bias), in milliseconds."""
    torch = lib["torch"]
    shape = params["shape"]
    g = torch.Generator().manual_seed(0)
    x = torch.rand(shape, generator=g) * 2 - 1
    weight = torch.rand(shape[-1], generator=g) + 0.5
    bias = torch.rand(shape[-1], generator=g) - 0.5
    eps = params.get("eps", 1e-5)
    with torch.no_grad():
        return time_best(lambda: torch.nn.functional.layer_norm(x, (shape[-1],), weight, bias, eps), settings) * 1e3


def mlp_step(params, settings, lib):
    """One training step of Linear(in → hidden) → GELU → Linear(hidden → in) on a batch:
    MSE loss against a fixed target, zero_grad, backward, AdamW step (lr 1e-4), in milliseconds."""
    torch = lib["torch"]
    batch, width, hidden = params["batch"], params["in"], params["hidden"]
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(width, hidden), torch.nn.GELU(), torch.nn.Linear(hidden, width))
    g = torch.Generator().manual_seed(0)
    x = torch.rand((batch, width), generator=g) * 2 - 1
    target = torch.rand((batch, width), generator=g) * 2 - 1
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step():
        loss = torch.nn.functional.mse_loss(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return time_best(step, settings) * 1e3


def mha_forward(params, settings, lib):
    """Self-attention through torch.nn.MultiheadAttention(embed, heads, batch_first=True) in eval
    mode under torch.no_grad(), need_weights=False (torch's fast path), on (batch, seq, embed),
    in milliseconds."""
    torch = lib["torch"]
    batch, seq, embed = params["batch"], params["seq"], params["embed"]
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(embed, params["heads"], dropout=0.0, batch_first=True).eval()
    x = torch.rand((batch, seq, embed), generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        return time_best(lambda: mha(x, x, x, need_weights=False), settings) * 1e3


def mha_train_step(params, settings, lib):
    """torch.nn.MultiheadAttention(embed, heads, batch_first=True, dropout 0) in train mode on
    (batch, seq, embed): self-attention with need_weights=False, the sum of the output as the
    loss, zero_grad, backward (no optimizer), in milliseconds."""
    torch = lib["torch"]
    batch, seq, embed = params["batch"], params["seq"], params["embed"]
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(embed, params["heads"], dropout=0.0, batch_first=True).train()
    x = torch.rand((batch, seq, embed), generator=torch.Generator().manual_seed(0)) * 2 - 1

    def step():
        loss = mha(x, x, x, need_weights=False)[0].sum()
        mha.zero_grad()
        loss.backward()

    return time_best(step, settings) * 1e3


def gpt_model(torch, params):
    """The small GPT of Sources/LecternCLI/Commands/Lab/Cases/GPTBench.swift: token and learned
    position embeddings, `layers` pre-LN nn.TransformerEncoderLayer blocks (exact GELU, dropout
    0, eps 1e-5) called with a causal mask, a final LayerNorm and an untied lm head without bias.
    The model returns the logits (B, T, vocab) of ids (B, T)."""
    nn = torch.nn

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            d = params["d_model"]
            self.wte = nn.Embedding(params["vocab"], d)
            self.wpe = nn.Embedding(params["max_positions"], d)
            self.h = nn.ModuleList(
                nn.TransformerEncoderLayer(d, params["nhead"], params["dim_feedforward"], dropout=0.0,
                                           activation="gelu", layer_norm_eps=1e-5, batch_first=True, norm_first=True)
                for _ in range(params["layers"]))
            self.ln_f = nn.LayerNorm(d, eps=1e-5)
            self.lm_head = nn.Linear(d, params["vocab"], bias=False)

        def forward(self, ids):
            length = ids.shape[1]
            x = self.wte(ids) + self.wpe(torch.arange(length))
            mask = nn.Transformer.generate_square_subsequent_mask(length)
            for layer in self.h:
                x = layer(x, src_mask=mask, is_causal=True)
            return self.lm_head(self.ln_f(x))

    torch.manual_seed(0)
    return GPT()


def gpt_train_setup(params, torch):
    """gpt_model in train mode, random ids and next-token targets (batch × seq), AdamW (lr); returns
    one training step: cross-entropy, zero_grad, backward, optimizer step."""
    F = torch.nn.functional
    model = gpt_model(torch, params).train()
    g = torch.Generator().manual_seed(0)
    shape, vocab = (params["batch"], params["seq"]), params["vocab"]
    ids = torch.randint(0, vocab, shape, generator=g)
    targets = torch.randint(0, vocab, shape, generator=g)
    optimizer = torch.optim.AdamW(model.parameters(), lr=params["lr"])

    def step():
        loss = F.cross_entropy(model(ids).view(-1, vocab), targets.view(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def gpt_train_step(params, settings, lib):
    """One training step of gpt_model (see gpt_train_setup), in milliseconds."""
    return time_best(gpt_train_setup(params, lib["torch"]), settings) * 1e3


def memory_status():
    """(current, peak) resident memory of this process in bytes. Linux: VmRSS and VmHWM of
    /proc/self/status (the peak since reset_peak_memory). Elsewhere (macOS): ps's RSS and
    getrusage's ru_maxrss, the peak of the whole process, which cannot be reset."""
    if sys.platform.startswith("linux"):
        fields = {}
        with open("/proc/self/status") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(rest.split()[0]) * 1024  # kB
        return fields["VmRSS"], fields["VmHWM"]
    import resource
    import subprocess
    rss = subprocess.run(["ps", "-o", "rss=", "-p", str(os.getpid())], capture_output=True, text=True).stdout
    return int(rss) * 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # ru_maxrss: bytes on macOS


def release_idle_memory():
    """Gives the memory glibc's malloc keeps free back to the system (as the Swift side does with
    its buffer cache and malloc_trim), so that a measurement starts without it."""
    import gc
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


def reset_peak_memory():
    """Makes the current resident memory the new peak (Linux: "5" to /proc/self/clear_refs)."""
    if sys.platform.startswith("linux"):
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")


def gpt_train_step_memory(params, settings, lib):
    """The working memory of gpt_train_step's step, in MB (10^6 bytes): after one step, idle
    memory given back and the peak reset, the peak resident memory of `steps` more steps minus
    the resident memory just before them. Measured once per request, like the Swift side."""
    step = gpt_train_setup(params, lib["torch"])
    step()
    release_idle_memory()
    reset_peak_memory()
    before, _ = memory_status()
    for _ in range(params.get("steps", 3)):
        step()
    _, peak = memory_status()
    return (peak - before) / 1e6


def bert_base_forward(params, settings, lib):
    """A plain loop over `layers` post-LN nn.TransformerEncoderLayer(d_model, nhead,
    dim_feedforward, dropout 0, gelu, layer_norm_eps, batch_first=True) in eval mode under
    torch.no_grad() (torch's fused fast path) on (batch, seq, d_model) random floats, with a
    src_key_padding_mask of all False, in milliseconds."""
    torch = lib["torch"]
    batch, seq, d = params["batch"], params["seq"], params["d_model"]
    torch.manual_seed(0)
    layers = [torch.nn.TransformerEncoderLayer(d, params["nhead"], params["dim_feedforward"], dropout=0.0,
                                               activation="gelu", layer_norm_eps=params["layer_norm_eps"],
                                               batch_first=True).eval()
              for _ in range(params["layers"])]
    x = torch.rand((batch, seq, d), generator=torch.Generator().manual_seed(0)) * 2 - 1
    padding = torch.zeros((batch, seq), dtype=torch.bool)  # True = ignore: nothing ignored

    def forward():
        h = x
        for layer in layers:
            h = layer(h, src_key_padding_mask=padding)
        return h

    with torch.no_grad():
        return time_best(forward, settings) * 1e3


def kv_cache_decode(params, settings, lib):
    """Greedy decoding with gpt_model in eval mode under torch.no_grad(), batch 1: from a 1-token
    prompt, `steps` steps of one token, each layer keeping a key/value cache, in milliseconds per
    token. nn.TransformerEncoderLayer cannot cache, so each block's step is written by hand
    (nanoGPT style) with the layer's own weights: one packed q/k/v projection, torch.cat onto the
    cache, F.scaled_dot_product_attention, the output projection, and the GELU MLP."""
    torch = lib["torch"]
    F = torch.nn.functional
    model = gpt_model(torch, params).eval()
    steps, d, heads = params["steps"], params["d_model"], params["nhead"]
    prompt = int(torch.randint(0, params["vocab"], (1,), generator=torch.Generator().manual_seed(0)))

    def block(layer, x, cache):
        # x (1, 1, d) → (1, 1, d); cache: (keys, values), each (1, heads, S, d / heads), or None.
        attention = layer.self_attn
        q, k, v = F.linear(layer.norm1(x), attention.in_proj_weight, attention.in_proj_bias).split(d, dim=-1)
        q, k, v = (z.view(1, -1, heads, d // heads).transpose(1, 2) for z in (q, k, v))  # (1, heads, t, hs)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v)  # one new token sees every cached one: no mask
        x = x + attention.out_proj(y.transpose(1, 2).reshape(1, -1, d))
        x = x + layer.linear2(F.gelu(layer.linear1(layer.norm2(x))))
        return x, (k, v)

    def decode():
        caches = [None] * len(model.h)
        token = prompt
        for position in range(steps):
            x = model.wte(torch.tensor([[token]])) + model.wpe(torch.tensor([position]))
            for index, layer in enumerate(model.h):
                x, caches[index] = block(layer, x, caches[index])
            token = int(model.lm_head(model.ln_f(x)).argmax(-1))

    with torch.no_grad():
        return time_best(decode, settings) * 1e3 / steps


def bpe_corpus(path, size):
    """The bench text of Cases/BPELearn.swift: copies of the corpus at `path`, copy k with its
    ASCII letters rotated by k % 26, cut at `size` bytes and back to the last line break."""
    import string
    base = open(path, encoding="utf-8").read()
    lower, upper = string.ascii_lowercase, string.ascii_uppercase
    parts, total, k = [], 0, 0
    while total < size:
        r = k % 26
        part = base.translate(str.maketrans(lower + upper, lower[r:] + lower[:r] + upper[r:] + upper[:r]))
        parts.append(part)
        total += len(part.encode("utf-8"))
        k += 1
    text = "".join(parts).encode("utf-8")[:size]
    return text[: text.rindex(b"\n") + 1].decode("utf-8")


def bpe_learn(params, settings, lib):
    """subword-nmt's learn_bpe (word counting + `merges` merges, --min-frequency) on the text of
    bpe_corpus, in milliseconds. One run takes seconds (≈ 6 s for 1 MB and 10k merges), so it
    is timed once per request, without warm-up: the harness asks once per round and keeps the
    best round."""
    import io
    learn = lib["subword_nmt"].learn_bpe.learn_bpe
    text = bpe_corpus(params["corpus"], params["bytes"])
    start = time.perf_counter()
    learn(io.StringIO(text), io.StringIO(), params["merges"], params.get("min_frequency", 2))
    return (time.perf_counter() - start) * 1e3


def encode_byte_bpe(params, settings, lib):
    """Hugging Face tokenizers' encode_batch over the lines of `text` (split at "\\n", no line
    after the final break) with the tokenizer.json at `tokenizer`, on one thread
    (RAYON_NUM_THREADS=1, set before the import), in MB of text per second."""
    tokenizer = lib["tokenizers"].Tokenizer.from_file(params["tokenizer"])
    with open(params["text"], "rb") as handle:
        data = handle.read()
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    seconds = time_best(lambda: tokenizer.encode_batch(lines), settings)
    return len(data) / seconds / 1e6


def encode_wordpiece(params, settings, lib):
    """Hugging Face tokenizers' BertWordPieceTokenizer(vocab.txt at `vocab`, uncased) encode_batch
    over the lines of `text` (split at "\\n", no line after the final break), [CLS]/[SEP]
    added, on one thread (RAYON_NUM_THREADS=1, set before the import), in MB of text per second."""
    tokenizer = lib["tokenizers"].BertWordPieceTokenizer(params["vocab"], lowercase=True)
    with open(params["text"], "rb") as handle:
        data = handle.read()
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    seconds = time_best(lambda: tokenizer.encode_batch(lines), settings)
    return len(data) / seconds / 1e6


def minilm_embed(params, settings, lib):
    """sentence-transformers' SentenceTransformer(`model`, device="cpu").encode(sentences,
    batch_size=32) on the given 256 sentences (tokenize, forward, mean pooling, normalise), in
    milliseconds per call."""
    torch = lib["torch"]
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(params["model"], device="cpu")
    sentences = params["sentences"]
    with torch.no_grad():
        return time_best(lambda: model.encode(sentences, batch_size=32), settings) * 1e3


# kind -> (function, the library it needs)
def lstm_step(params, settings, lib):
    """One forward and backward pass of torch.nn.LSTM(input, hidden, batch_first=True) over a
    (batch, steps, input) sequence, the sum of the outputs as the loss, in ms per time step."""
    torch = lib["torch"]
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(params["input"], params["hidden"], batch_first=True)
    g = torch.Generator().manual_seed(0)
    x = torch.rand((params["batch"], params["steps"], params["input"]), generator=g) * 2 - 1

    def step():
        loss = lstm(x)[0].sum()
        lstm.zero_grad()
        loss.backward()

    return time_best(step, settings) * 1e3 / params["steps"]


KINDS = {
    "sgemm": (sgemm, "numpy"),
    "softmax": (softmax, "torch"),
    "layer_norm": (layer_norm, "torch"),
    "encode_byte_bpe": (encode_byte_bpe, "tokenizers"),
    "encode_wordpiece": (encode_wordpiece, "tokenizers"),
    "mlp_step": (mlp_step, "torch"),
    "lstm_step": (lstm_step, "torch"),
    "mha_forward": (mha_forward, "torch"),
    "mha_train_step": (mha_train_step, "torch"),
    "gpt_train_step": (gpt_train_step, "torch"),
    "gpt_train_step_memory": (gpt_train_step_memory, "torch"),
    "bert_base_forward": (bert_base_forward, "torch"),
    "minilm_embed": (minilm_embed, "torch"),
    "kv_cache_decode": (kv_cache_decode, "torch"),
    "bpe_learn": (bpe_learn, "subword_nmt"),
}


class Session:
    """Imports NumPy / PyTorch once and answers requests."""

    def __init__(self):
        self.lib, self.missing = {}, {}

    def load(self, name, threads):
        if name in self.lib or name in self.missing:
            return
        try:
            if name == "numpy":
                import numpy
                self.lib["numpy"] = numpy
            elif name == "tokenizers":
                # One thread for encode_batch: the pool is sized from this when first used.
                os.environ["RAYON_NUM_THREADS"] = "1"
                import tokenizers
                self.lib["tokenizers"] = tokenizers
            elif name == "torch":
                import torch
                self.lib["torch"] = torch
            elif name == "subword_nmt":
                import subword_nmt.learn_bpe
                self.lib["subword_nmt"] = subword_nmt
        except Exception as error:  # ImportError, or a broken install
            self.missing[name] = f"cannot import {name}: {error}"
        if name == "torch" and "torch" in self.lib:
            self.lib["torch"].set_num_threads(threads)

    def subword_nmt_version(self):
        if "subword_nmt" not in self.lib:
            return None
        try:
            from importlib.metadata import version
            return version("subword-nmt")
        except Exception:
            return "?"

    def versions(self):
        blas = None
        if "numpy" in self.lib:
            try:
                blas = self.lib["numpy"].show_config(mode="dicts")["Build Dependencies"]["blas"].get("openblas configuration")
            except Exception:
                pass
        return {
            "python": platform.python_version(),
            "numpy": getattr(self.lib.get("numpy"), "__version__", None),
            "torch": getattr(self.lib.get("torch"), "__version__", None),
            "tokenizers": getattr(self.lib.get("tokenizers"), "__version__", None),
            "subword_nmt": self.subword_nmt_version(),
            "blas": blas,
        }

    def handle(self, request):
        threads = int(request.get("threads") or os.cpu_count() or 1)
        settings = QUICK if request.get("quick") else FULL
        cases = request.get("cases", [])
        # Import only what is asked for (torch takes a second or two to import).
        for name in request.get("libs", []):
            self.load(name, threads)
        for case in cases:
            if case["kind"] in KINDS:
                self.load(KINDS[case["kind"]][1], threads)

        results = {}
        for case in cases:
            name, kind = case["name"], case["kind"]
            if kind not in KINDS:
                results[name] = {"error": f"reference.py has no kind {kind!r}"}
                continue
            function, needs = KINDS[kind]
            if needs in self.missing:
                results[name] = {"error": self.missing[needs]}
                continue
            try:
                results[name] = {"value": function(case.get("params", {}), settings, self.lib)}
            except Exception as error:
                results[name] = {"error": f"{type(error).__name__}: {error}"}
        return {"versions": self.versions(), "results": results}


def main():
    session = Session()
    if "--serve" not in sys.argv[1:]:
        json.dump(session.handle(json.load(sys.stdin)), sys.stdout)
        sys.stdout.write("\n")
        return
    # One request per line in, one response per line out, until stdin closes.
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        try:
            response = session.handle(json.loads(line))
        except Exception as error:
            response = {"error": f"bad request: {type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
