#!/usr/bin/env python3
"""PyTorch peer of rnn4j's benchmarks: GEMM, nn.LSTM / nn.GRU / nn.RNN inference and training
step, and a small seq2seq-with-attention training step, on a fixed number of threads.

Provenance: adapted from the project's PyTorch measurements (shared/peers/torch/bench_torch.py,
2026-11-27, which produced the PyTorch figures quoted in bench/README.md before this script
existed). Changes: shapes and GEMM sizes come from the command line, so `./rnn4j bench peers`
runs exactly its own rows; results go to a CSV that PeerReport reads; each config waits a
bounded time for a quiet machine and is retried at once when noisy (the original waited for
hours and retried round-robin); the JSON/resume/tabulate machinery is gone.

Run it through `./rnn4j bench peers`; alone (Debian's python3-torch is in /usr/bin/python3):
    /usr/bin/python3 bench_torch.py --shapes 32x50x64x128 --gemm-sizes 512 --csv out.csv

Timing method (every config):
  * warm-up: at least 3 calls and at least --warmup seconds;
  * calibration: k = 1, 2, 4, ... calls until they take >= 0.2 s, giving the number of calls
    `iters` for one measurement to last >= --min-time seconds;
  * --repeats measurements of `iters` calls each, timed with time.perf_counter; per-call time =
    measurement / iters; reported: median, min and max of the per-call times.

Shared-machine guard: before each config the script waits (at most --max-wait seconds) for a
1-second window with less than --quiet of the machine's CPU capacity used by OTHER processes
(from /proc/stat minus this process's own CPU time, plus hypervisor steal). During each
measurement the same "foreign load" is recorded; a config whose worst measurement exceeded
--quiet is measured again, up to --attempts times, and the cleanest attempt is kept. After
--deadline seconds nothing waits or retries any more.

Workloads, as rnn4j's JMH benchmarks time them:
  gemm/N          torch.mm of two N x N float32 matrices into a preallocated output.
  rnn/BxTxIxH/cell/infer   model(x) under torch.no_grad(), batch_first, one layer.
  rnn/BxTxIxH/cell/train   zero_grad; out, _ = model(x); (out * R).sum().backward(), with a fixed
                           random R and x.requires_grad_(True) (input gradient included, no optimizer).
  seq2seq/infer|train      the encoder-decoder with Luong attention below, at --seq2seq's sizes
                           (rnn4j's Seq2SeqBenchmark: B=32, S=T=20, E=64, H=128, V=64, full
                           lengths); train = zero_grad, teacher-forced forward, cross-entropy,
                           backward, as Seq2SeqBenchmark.trainingStep (no optimizer).
  trainstep/BxTxIxH        one full training step of an LSTM regression model, as rnn4j's
                           TrainingStepBenchmark: zero_grad, nn.LSTM, nn.Linear(H, 1) on the last
                           step, mse_loss, backward, clip_grad_norm_(max_norm=1), Adam.step.
"""
import argparse
import ctypes
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

GATES = {"rnn": 1, "gru": 3, "lstm": 4}

# ----------------------------------------------------------------------------
# environment description
# ----------------------------------------------------------------------------


def loaded_libraries(keywords=("blas", "lapack", "dnnl", "gomp", "sleef")):
    libs = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 6:
                    name = os.path.basename(parts[-1])
                    if any(k in name.lower() for k in keywords):
                        libs.add(name)
    except OSError:
        pass
    return sorted(libs)


def openblas_info():
    """OpenBLAS's configuration, kernels and threads, if this process already mapped it."""
    if not loaded_libraries(("openblas",)):
        return "none loaded"
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return "{}, kernels {}, {} threads".format(lib.openblas_get_config().decode().strip(),
                                                       lib.openblas_get_corename().decode(),
                                                       lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return "loaded, not inspectable"


def cpu_model_line():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name"):
                return " ".join(line.split()[2:])
    except OSError:
        pass
    return platform.processor()


def blas_from_config(cfg):
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    return m.group(1) if m else "?"


# ----------------------------------------------------------------------------
# load monitoring and timing
# ----------------------------------------------------------------------------
CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1


def cpu_snapshot():
    """(system-wide busy s, steal s, own process CPU s (all threads), wall s)."""
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return ((user + nice + system + irq + softirq) / CLK_TCK, steal / CLK_TCK,
            time.process_time(), time.perf_counter())


def foreign_load(a, b):
    """Fraction of the machine's CPU capacity used by OTHER processes (plus
    hypervisor steal) between two snapshots: 0 = quiet, 1 = all cores busy."""
    wall = max(b[3] - a[3], 1e-9)
    other = (b[0] - a[0]) - (b[2] - a[2])
    steal = b[1] - a[1]
    return max(0.0, other + steal) / (NCPU * wall)


def wait_quiet(threshold, until):
    """Block until a 1-second window shows foreign load < threshold, or the
    wall-clock time `until` (perf_counter) has passed."""
    while True:
        a = cpu_snapshot()
        time.sleep(1.0)
        if foreign_load(a, cpu_snapshot()) < threshold or time.perf_counter() > until:
            return


def measure_once(fn, warmup, min_time, repeats):
    t0 = time.perf_counter()
    n = 0
    while n < 3 or time.perf_counter() - t0 < warmup:
        fn()
        n += 1
    k = 1
    while True:
        t = time.perf_counter()
        for _ in range(k):
            fn()
        el = time.perf_counter() - t
        if el >= 0.2:
            break
        k *= 2
    iters = max(1, int(math.ceil(min_time / (el / k))))
    samples, foreign = [], []
    for _ in range(repeats):
        a = cpu_snapshot()
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        samples.append((time.perf_counter() - t) / iters)
        foreign.append(foreign_load(a, cpu_snapshot()))
    return {"iters": iters, "median_s": statistics.median(samples), "min_s": min(samples),
            "max_s": max(samples), "foreign_max": max(foreign)}


# ----------------------------------------------------------------------------
# benchmark definitions: each job = (key, setup -> fn)
# ----------------------------------------------------------------------------


def gemm_jobs(sizes):
    jobs = []
    for n in sizes:
        def setup(n=n):
            g = torch.Generator().manual_seed(n)
            a = torch.randn(n, n, generator=g)
            b = torch.randn(n, n, generator=g)
            c = torch.empty(n, n)
            return lambda: torch.mm(a, b, out=c)
        jobs.append((f"gemm/{n}", setup))
    return jobs


def rnn_module(cell, I, H):
    if cell == "lstm":
        return nn.LSTM(I, H, num_layers=1, batch_first=True)
    if cell == "gru":
        return nn.GRU(I, H, num_layers=1, batch_first=True)
    return nn.RNN(I, H, num_layers=1, nonlinearity="tanh", batch_first=True)


def rnn_jobs(shapes, cells, modes):
    jobs = []
    for cell in cells:
        for shape in shapes:
            B, T, I, H = (int(d) for d in shape.split("x"))
            for mode in modes:
                def setup(cell=cell, B=B, T=T, I=I, H=H, mode=mode):
                    torch.manual_seed(0)
                    model = rnn_module(cell, I, H).float()
                    x = torch.randn(B, T, I)
                    if mode == "infer":
                        def infer():
                            with torch.no_grad():
                                return model(x)
                        return infer
                    R = torch.randn(B, T, H)
                    xg = x.clone().requires_grad_(True)

                    def train():
                        model.zero_grad(set_to_none=True)
                        xg.grad = None
                        out, _ = model(xg)
                        (out * R).sum().backward()
                    return train
                jobs.append((f"rnn/{shape}/{cell}/{mode}", setup))
    return jobs


class Seq2Seq(nn.Module):
    """Luong-style encoder/decoder: LSTM encoder, LSTMCell decoder with input
    feeding, 'general' attention (score = h_t^T W h_s) with a padding mask,
    attentional hidden = tanh(Wc [ctx; h]), output projection to V logits."""

    def __init__(self, V, E, H):
        super().__init__()
        self.emb_src = nn.Embedding(V, E)
        self.emb_tgt = nn.Embedding(V, E)
        self.enc = nn.LSTM(E, H, batch_first=True)
        self.dec = nn.LSTMCell(E + H, H)
        self.W = nn.Linear(H, H, bias=False)
        self.Wc = nn.Linear(2 * H, H, bias=False)
        self.out = nn.Linear(H, V)
        self.H = H

    def forward(self, src, src_mask, tgt_in):
        B, S = src.shape
        enc_out, (h, c) = self.enc(self.emb_src(src))
        h, c = h[0], c[0]
        keys_w = self.W(enc_out)                      # [B,S,H]  (W h_s)
        feed = enc_out.new_zeros(B, self.H)
        emb = self.emb_tgt(tgt_in)                    # teacher forcing
        logits = []
        for t in range(tgt_in.shape[1]):
            h, c = self.dec(torch.cat([emb[:, t], feed], dim=1), (h, c))
            scores = torch.bmm(keys_w, h.unsqueeze(2)).squeeze(2)   # [B,S]
            scores = scores.masked_fill(src_mask == 0, float("-inf"))
            a = torch.softmax(scores, dim=1)
            ctx = torch.bmm(a.unsqueeze(1), enc_out).squeeze(1)     # [B,H]
            feed = torch.tanh(self.Wc(torch.cat([ctx, h], dim=1)))
            logits.append(self.out(feed))
        return torch.stack(logits, dim=1)             # [B,Tt,V]


def seq2seq_jobs(sizes, modes):
    """sizes = (B, S, Tdec, E, H, V), every source of full length (the mask is still applied).
    FLOPs (products only): encoder 2*B*S*4H(E+H), keys 2*B*S*H*H, and per decoder step
    2*B*(4H(E+2H) + 2*S*H + 2*H*H + H*V); training = 3 x forward."""
    B, S, Tt, E, H, V = sizes
    jobs = []
    for mode in modes:
        def setup(mode=mode):
            torch.manual_seed(0)
            model = Seq2Seq(V, E, H)
            src = torch.randint(0, V, (B, S))
            src_mask = torch.ones(B, S)
            tgt = torch.randint(0, V, (B, Tt + 1))
            if mode == "infer":
                def infer():
                    with torch.no_grad():
                        model(src, src_mask, tgt[:, :-1])
                return infer

            def train():
                model.zero_grad(set_to_none=True)
                logits = model(src, src_mask, tgt[:, :-1])
                F.cross_entropy(logits.reshape(-1, V), tgt[:, 1:].reshape(-1)).backward()
            return train
        jobs.append((f"seq2seq/{mode}", setup))
    return jobs


def trainstep_jobs(shapes):
    jobs = []
    for shape in shapes:
        B, T, I, H = (int(d) for d in shape.split("x"))

        def setup(B=B, T=T, I=I, H=H):
            torch.manual_seed(0)
            lstm = nn.LSTM(I, H, batch_first=True)
            head = nn.Linear(H, 1)
            params = list(lstm.parameters()) + list(head.parameters())
            opt = torch.optim.Adam(params, lr=1e-4)
            x = torch.rand(B, T, I) * 2 - 1
            y = torch.rand(B, 1) * 2 - 1

            def step():
                opt.zero_grad(set_to_none=True)
                out, _ = lstm(x)
                loss = F.mse_loss(head(out[:, -1]), y)
                loss.backward()
                nn.utils.clip_grad_norm_(params, 1.0)
                opt.step()
            return step
        jobs.append((f"trainstep/{shape}", setup))
    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sections", default="gemm,rnn", help="comma list of gemm,rnn,seq2seq,trainstep")
    ap.add_argument("--trainstep-shapes", default="32x50x64x128,64x100x128x256",
                    help="comma list of BxTxIxH for trainstep")
    ap.add_argument("--gemm-sizes", default="64,128,256,512,1024,2048")
    ap.add_argument("--shapes", default="1x50x32x64,32x50x64x128,64x100x128x256,64x100x512x512",
                    help="comma list of BxTxIxH")
    ap.add_argument("--cells", default="lstm,gru,rnn")
    ap.add_argument("--modes", default="infer,train")
    ap.add_argument("--seq2seq", default="32,20,20,64,128,64", help="B,S,Tdec,E,H,V")
    ap.add_argument("--seq2seq-modes", default="train")
    ap.add_argument("--warmup", type=float, default=0.5)
    ap.add_argument("--min-time", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quiet", type=float, default=0.10,
                    help="max tolerated foreign CPU load fraction during a measurement "
                         "(other processes + steal); >= 1 disables the guard")
    ap.add_argument("--max-wait", type=float, default=30.0,
                    help="seconds to wait for a quiet machine before each attempt")
    ap.add_argument("--attempts", type=int, default=3,
                    help="max measurements per config while it stays noisy")
    ap.add_argument("--deadline", type=float, default=3600.0,
                    help="seconds after which nothing waits or retries any more")
    ap.add_argument("--csv", required=True,
                    help="results: '# key: value' lines, then key,median_s,min_s,max_s,foreign_max,attempts")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.mm(torch.randn(8, 8), torch.randn(8, 8))  # make sure BLAS is loaded
    cfg = torch.__config__.show()
    env = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "blas_info": blas_from_config(cfg),
        "cpu_capability": next((l.strip(" -") for l in cfg.splitlines() if "CPU capability" in l), "?"),
        "openblas": openblas_info(),
        "loaded_libraries": " ".join(loaded_libraries()),
        "cpu": cpu_model_line(),
    }
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "LD_LIBRARY_PATH",
              "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        if os.environ.get(k):
            env[k] = os.environ[k]

    secs = args.sections.split(",")
    jobs = []
    if "gemm" in secs:
        jobs += gemm_jobs([int(n) for n in args.gemm_sizes.split(",") if n])
    if "rnn" in secs:
        jobs += rnn_jobs([s for s in args.shapes.split(",") if s], args.cells.split(","),
                         args.modes.split(","))
    if "seq2seq" in secs:
        jobs += seq2seq_jobs([int(d) for d in args.seq2seq.split(",")], args.seq2seq_modes.split(","))
    if "trainstep" in secs:
        jobs += trainstep_jobs([s for s in args.trainstep_shapes.split(",") if s])

    deadline = time.perf_counter() + args.deadline
    with open(args.csv, "w") as out:
        for k, v in env.items():
            out.write(f"# {k}: {v}\n")
        out.write("key,median_s,min_s,max_s,foreign_max,attempts\n")
        out.flush()
        for key, setup in jobs:
            fn = setup()
            best, attempts = None, 0
            while attempts < args.attempts:
                late = time.perf_counter() > deadline
                if args.quiet < 1.0 and not late:
                    wait_quiet(args.quiet, min(deadline, time.perf_counter() + args.max_wait))
                m = measure_once(fn, args.warmup, args.min_time, args.repeats)
                attempts += 1
                if best is None or m["foreign_max"] < best["foreign_max"]:
                    best = m
                if best["foreign_max"] <= args.quiet or late:
                    break
            del fn
            print(f"torch {key:30s} median {best['median_s'] * 1e3:10.3f} ms  "
                  f"[{best['min_s'] * 1e3:.3f}-{best['max_s'] * 1e3:.3f}]  "
                  f"other CPU {best['foreign_max'] * 100:4.0f}%  attempts {attempts}", flush=True)
            out.write(f"{key},{best['median_s']},{best['min_s']},{best['max_s']},"
                      f"{best['foreign_max']},{attempts}\n")
            out.flush()


if __name__ == "__main__":
    main()
