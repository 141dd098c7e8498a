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
`value` is in the case's unit: "GFLOP/s" (higher is better) or "ms" (lower is better).

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


# kind -> (function, the library it needs)
KINDS = {
    "sgemm": (sgemm, "numpy"),
    "softmax": (softmax, "torch"),
    "layer_norm": (layer_norm, "torch"),
    "encode_byte_bpe": (encode_byte_bpe, "tokenizers"),
    "encode_wordpiece": (encode_wordpiece, "tokenizers"),
    "mlp_step": (mlp_step, "torch"),
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
