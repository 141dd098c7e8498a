# Shared by Scripts/lectern and Scripts/test: make sure the system packages the build needs are
# present, installing them when we can (root, or password-less sudo) and otherwise saying
# exactly what to run.
#
# Needed on Debian/Ubuntu: libcmark-dev (the CommonMark parser lessons are read with),
# libopenblas-dev (the matrix multiply under the tensor library) and pkg-config (how SwiftPM
# finds both). On macOS: Homebrew's cmark; BLAS comes from Accelerate.

lectern_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

lectern_ensure_system_packages() {
  local needed="libcmark"
  [ "$(uname -s)" = Darwin ] || needed="libcmark openblas"
  if pkg-config --exists $needed 2>/dev/null; then return 0; fi
  case "$(uname -s)" in
    Darwin)
      if command -v brew >/dev/null; then
        echo "lectern: installing cmark with Homebrew" >&2
        brew install cmark pkg-config >&2
      else
        echo "lectern: cmark is missing. Install Homebrew (https://brew.sh), then run: brew install cmark pkg-config" >&2
        return 1
      fi ;;
    *)
      local command="apt-get update && apt-get install -y libcmark-dev libopenblas-dev pkg-config"
      if [ "$(id -u)" = 0 ]; then
        echo "lectern: installing libcmark-dev and pkg-config (apt-get)" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev libopenblas-dev pkg-config) >&2
      elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        echo "lectern: installing libcmark-dev and pkg-config (sudo apt-get)" >&2
        (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev libopenblas-dev pkg-config) >&2
      else
        echo "lectern: system libraries are missing (cmark, OpenBLAS). Install them once with:" >&2
        echo "    sudo sh -c '$command'" >&2
        return 1
      fi ;;
  esac
  pkg-config --exists $needed || { echo "lectern: $needed still not found by pkg-config" >&2; return 1; }
}

# Builds the tensor core for AVX2 + FMA (LECTERN_TARGET_CPU=haswell, read by Package.swift) when
# this machine's CPU has both; an explicit LECTERN_TARGET_CPU (empty: baseline) is kept.
lectern_select_target_cpu() {
  if [ -n "${LECTERN_TARGET_CPU+set}" ]; then export LECTERN_TARGET_CPU; return 0; fi
  if [ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] \
     && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
    export LECTERN_TARGET_CPU=haswell
  fi
}

lectern_ensure_swift() {
  command -v swift >/dev/null || {
    echo "lectern: Swift is not installed (or not on PATH). Install Swift 6.3 from https://swift.org/install" >&2
    return 1
  }
}
