#!/usr/bin/env python3
"""Writes the padded-batch golden files beside this script, for rnn4j's GoldenPaddedTest.

The bundled public goldens (../goldens) run every sequence to the full length and concatenate the
directions. These files cover what they leave to a looser finite-difference check: sequences of
different lengths in one batch (zero included), the sum/mul/average merges of a bidirectional stack
(applied between layers too, as rnn4j's Recurrent does), odd sizes that leave vector tails, and a
batch large enough (33 rows) that rnn4j splits its recurrence over two threads.

Same format, loss and precision convention as ../goldens/GOLDENS.md: inputs are float32 values, the
computation runs in float64, outputs and gradients are the float64 results rounded once to float32.
Padded steps leave the state as it is and output zeros; a sequence's final state is the state at its
own last real step (step 0 for the reverse direction). Extra metadata: `lengths` (comma list) and
`merge` (concat|sum|mul|average).

The layers are written out step by step here, because PyTorch has no merge other than concat and
its packed sequences refuse length 0. For every concat file the script checks that this loop gives
PyTorch's own nn.RNN/LSTM/GRU on a packed batch (the rows of nonzero length), outputs, final states
and gradients, to 1e-10.

    /usr/bin/python3 make_padded_goldens.py   # Debian 12 python3-torch 1.13.1+dfsg-4 (torch.__version__ 1.13.0a0) made the committed files
"""
import json
import os
import struct

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}
# Closest a ReLU pre-activation may come to 0, so that float32 rounding cannot flip a branch.
RELU_MARGIN = 1e-4


def cell_step(kind, x, state, w_ih, w_hh, b_ih, b_hh):
    """One step of PyTorch's cell equations (GOLDENS.md section 3.1); returns the new state and the
    pre-activations whose sign a ReLU depends on."""
    h = state[0]
    if kind in ("rnn_tanh", "rnn_relu"):
        a = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        return ((torch.tanh(a) if kind == "rnn_tanh" else torch.relu(a)),), a
    if kind == "lstm":
        c = state[1]
        a = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = a.chunk(4, dim=1)
        c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return (torch.sigmoid(o) * torch.tanh(c_new), c_new), None
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return ((1 - z) * n + z * h,), None


def direction(kind, u, lengths, initial, weights, reverse, pre):
    """Runs one direction over a padded batch: rows past their length keep their state and output 0."""
    b, t, _ = u.shape
    state = initial
    outputs = [None] * t
    for step in (range(t - 1, -1, -1) if reverse else range(t)):
        real = (torch.tensor(lengths) > step).to(u.dtype).unsqueeze(1)
        new, a = cell_step(kind, u[:, step], state, *weights)
        if a is not None:
            pre.append(a[real.squeeze(1) > 0])
        state = tuple(real * n + (1 - real) * s for n, s in zip(new, state))
        outputs[step] = real * new[0]
    return torch.stack(outputs, dim=1), state


def merged(merge, fwd, rev):
    if merge == "concat":
        return torch.cat([fwd, rev], dim=2)
    if merge == "sum":
        return fwd + rev
    if merge == "mul":
        return fwd * rev
    return (fwd + rev) / 2


def param_names(layers, dirs):
    for l in range(layers):
        for d in range(dirs):
            sfx = "_reverse" if d else ""
            for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                yield f"{p}_l{l}{sfx}"


def run(kind, layers, dirs, merge, lengths, t64):
    """The stack of GOLDENS.md section 3.2 with padding and merges; returns output, h_n, c_n, pre-activations."""
    u = t64["input"]
    h_n, c_n, pre = [], [], []
    for l in range(layers):
        outs = []
        for d in range(dirs):
            sfx = "_reverse" if d else ""
            w = [t64[f"{p}_l{l}{sfx}"] for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            init = (t64["h0"][l * dirs + d],) + ((t64["c0"][l * dirs + d],) if kind == "lstm" else ())
            y, state = direction(kind, u, lengths, init, w, d == 1, pre)
            outs.append(y)
            h_n.append(state[0])
            if kind == "lstm":
                c_n.append(state[1])
        u = merged(merge, outs[0], outs[1]) if dirs == 2 else outs[0]
    return u, torch.stack(h_n), (torch.stack(c_n) if kind == "lstm" else None), pre


def loss_of(out, h_n, c_n, t64):
    loss = (out * t64["probe"]).sum() + (h_n * t64["probe_h"]).sum()
    return loss + (c_n * t64["probe_c"]).sum() if c_n is not None else loss


def pytorch_check(kind, layers, dirs, lengths, t64, out, h_n, c_n, grads):
    """PyTorch's own layer on the packed rows of nonzero length must give the same numbers."""
    rows = [i for i, n in enumerate(lengths) if n > 0]
    i_size, hidden = t64["input"].shape[2], t64["h0"].shape[2]
    common = dict(input_size=i_size, hidden_size=hidden, num_layers=layers, bidirectional=dirs == 2,
                  batch_first=True)
    if kind.startswith("rnn"):
        module = torch.nn.RNN(nonlinearity=kind[4:], **common)
    else:
        module = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(**common)
    module = module.double()
    with torch.no_grad():
        for name in param_names(layers, dirs):
            getattr(module, name).copy_(t64[name])
    x = t64["input"].detach()[rows].clone().requires_grad_(True)
    h0 = t64["h0"].detach()[:, rows].clone().requires_grad_(True)
    packed = pack_padded_sequence(x, [lengths[i] for i in rows], batch_first=True, enforce_sorted=False)
    if kind == "lstm":
        c0 = t64["c0"].detach()[:, rows].clone().requires_grad_(True)
        y, (hn, cn) = module(packed, (h0, c0))
    else:
        y, hn = module(packed, h0)
        cn = None
    y, _ = pad_packed_sequence(y, batch_first=True, total_length=t64["input"].shape[1])
    worst = max((y - out[rows]).abs().max().item(), (hn - h_n[:, rows]).abs().max().item(),
                (cn - c_n[:, rows]).abs().max().item() if cn is not None else 0.0)
    loss = (y * t64["probe"][rows]).sum() + (hn * t64["probe_h"][:, rows]).sum()
    if cn is not None:
        loss = loss + (cn * t64["probe_c"][:, rows]).sum()
    loss.backward()
    worst = max(worst, (x.grad - grads["input"][rows]).abs().max().item(),
                (h0.grad - grads["h0"][:, rows]).abs().max().item())
    for name in param_names(layers, dirs):
        # Rows of length 0 contribute nothing to the parameters' gradients.
        worst = max(worst, (getattr(module, name).grad - grads[name]).abs().max().item())
    assert worst < 1e-10, f"{kind}: the step loop differs from PyTorch's packed layer by {worst}"


def write(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, value in tensors.items():
        data = value.detach().to(torch.float32).contiguous().reshape(-1)
        blob = struct.pack(f"<{data.numel()}f", *data.tolist())
        header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def make(kind, layers, dirs, merge, b, t, i_size, hidden, lengths, seed):
    while True:  # a new seed until no ReLU pre-activation sits on its branch point
        torch.manual_seed(seed)
        g = GATES[kind]
        k = hidden ** -0.5
        t32 = {"input": torch.randn(b, t, i_size), "h0": 0.5 * torch.randn(layers * dirs, b, hidden)}
        if kind == "lstm":
            t32["c0"] = 0.5 * torch.randn(layers * dirs, b, hidden)
        layer_in = dirs * hidden if merge == "concat" else hidden
        for name in param_names(layers, dirs):
            cols = i_size if "_l0" in name else layer_in
            shape = (g * hidden, cols if name.startswith("weight_ih") else hidden) if name.startswith("weight") else (g * hidden,)
            t32[name] = (torch.rand(shape) * 2 - 1) * k
        out_features = dirs * hidden if merge == "concat" else hidden
        t32["probe"] = torch.randn(b, t, out_features)
        t32["probe_h"] = torch.randn(layers * dirs, b, hidden)
        if kind == "lstm":
            t32["probe_c"] = torch.randn(layers * dirs, b, hidden)
        t64 = {n: v.double().requires_grad_(not n.startswith("probe")) for n, v in t32.items()}
        out, h_n, c_n, pre = run(kind, layers, dirs, merge, lengths, t64)
        if kind == "rnn_relu" and min(a.abs().min().item() for a in pre if a.numel()) < RELU_MARGIN:
            seed += 1000
            continue
        break
    loss = loss_of(out, h_n, c_n, t64)
    loss.backward()
    grads = {n: v.grad for n, v in t64.items() if not n.startswith("probe")}
    if merge == "concat":
        pytorch_check(kind, layers, dirs, lengths, t64, out, h_n, c_n, grads)

    tensors = {n: v for n, v in t32.items() if not n.startswith("probe")}
    tensors["output"] = out
    tensors["h_n"] = h_n
    if c_n is not None:
        tensors["c_n"] = c_n
    tensors.update({n: v for n, v in t32.items() if n.startswith("probe")})
    tensors["loss"] = loss.reshape(1)
    tensors.update({"grad." + n: v for n, v in grads.items()})
    cell = "RNN" if kind.startswith("rnn") else kind.upper()
    metadata = {
        "format_version": "1", "kind": "recurrent", "cell": cell,
        "nonlinearity": kind[4:] if kind.startswith("rnn") else "n/a",
        "num_layers": str(layers), "bidirectional": str(dirs == 2).lower(), "num_directions": str(dirs),
        "merge": merge, "lengths": ",".join(map(str, lengths)), "batch_first": "true", "bias": "true",
        "B": str(b), "T": str(t), "I": str(i_size), "H": str(hidden),
        "loss": "sum(output*probe) + sum(h_n*probe_h)" + (" + sum(c_n*probe_c)" if kind == "lstm" else ""),
        "seed": str(seed), "torch_version": torch.__version__, "compute_dtype": "float64",
        "storage_dtype": "float32", "set": "padded",
        "init": "weights and biases uniform(-1/sqrt(H), 1/sqrt(H)); input ~ N(0,1); h0, c0 ~ 0.5*N(0,1); probes ~ N(0,1)",
    }
    direction_name = "bi_" + merge if dirs == 2 else "uni"
    name = f"{kind}_l{layers}_{direction_name}_b{b}_padded.safetensors"
    write(os.path.join(HERE, name), tensors, metadata)
    return name


def main():
    seed = 20261129
    small = [7, 3, 1, 0, 5]  # B = 5, T = 7: full, short, one step, empty, most
    large = [(5 * r + 3) % 7 for r in range(33)]  # B = 33 (two threads' parts), T = 6: lengths 0..6
    for kind in GATES:
        for dirs, merge in ((1, "concat"), (2, "concat"), (2, "sum"), (2, "mul"), (2, "average")):
            seed += 1
            print(make(kind, 2, dirs, merge, 5, 7, 5, 17, small, seed))
        seed += 1
        print(make(kind, 1, 2, "concat", 33, 6, 5, 17, large, seed))


if __name__ == "__main__":
    main()
