#!/usr/bin/env bash
# Installs what `./rnn4j bench peers` compares with, when missing and possible: Debian's
# python3-torch and libopenblas0-openmp (OpenBLAS built for OpenMP, so that PyTorch's OpenMP
# threads and OpenBLAS's are one pool; with the pthreads build they oversubscribe the cores and
# PyTorch runs up to 10x slower). Possible = apt-get present and root (or password-less sudo).
# RNN4J_NO_INSTALL=1 skips it. Whatever stays missing is skipped by the report, with a note.
set -uo pipefail
[ "${RNN4J_NO_INSTALL:-}" = 1 ] && exit 0

if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
install() { # package...
  if ! command -v apt-get >/dev/null || [ "${sudo[0]:-}" = none ]; then
    echo "bench peers: $* missing; not installed (needs apt-get and root)" >&2
    return 1
  fi
  echo "bench peers: installing $* with apt-get" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 \
    || { "${sudo[@]}" apt-get update -q >&2 && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; }
}

python="${RNN4J_PYTHON:-/usr/bin/python3}"
if ! "$python" -c 'import torch' 2>/dev/null; then
  install python3-torch || true
fi
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libopenblas'; then
  install libopenblas0-openmp || true
fi
exit 0
