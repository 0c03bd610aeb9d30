#!/usr/bin/env python3
"""Writes training-goldens.json beside this script: what PyTorch's optimizers, learning-rate
schedulers, gradient clipping and losses compute on fixed inputs, for rnn4j's
PyTorchTrainingGoldensTest, which checks the training plugins against them.

Inputs are drawn from a seeded generator and stored with the results, so the test needs no
PyTorch and no random numbers of its own. Every float is a float32 value written as the shortest
decimal that reads back to it.

    /usr/bin/python3 make_training_goldens.py   # Debian 12 python3-torch 1.13.1+dfsg-4 (torch.__version__ 1.13.0a0) made the committed file
"""
import json
import os

import torch

torch.manual_seed(20261128)
torch.set_num_threads(1)


def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


SHAPES = [[3, 4], [5]]
STEPS = 5
LATE_JOINS = [0, 2]
RATES = [0.05, 0.05, 0.02, 0.02, 0.01]
INITIAL = [torch.randn(s) for s in SHAPES]
GRADS = [[torch.randn(s) for s in SHAPES] for _ in range(STEPS)]

# (rnn4j plugin name, rnn4j options, the same optimizer in PyTorch at lr 1 (set per step below))
OPTIMIZERS = [
    ("sgd", {}, lambda ps: torch.optim.SGD(ps, lr=1)),
    ("sgd", {"momentum": "0.9", "weight_decay": "0.01"},
     lambda ps: torch.optim.SGD(ps, lr=1, momentum=0.9, weight_decay=0.01)),
    ("sgd", {"momentum": "0.8", "dampening": "0.3"},
     lambda ps: torch.optim.SGD(ps, lr=1, momentum=0.8, dampening=0.3)),
    ("sgd", {"momentum": "0.9", "nesterov": "true", "weight_decay": "0.1"},
     lambda ps: torch.optim.SGD(ps, lr=1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("adam", {}, lambda ps: torch.optim.Adam(ps, lr=1)),
    ("adam", {"beta1": "0.8", "beta2": "0.99", "eps": "1e-6", "weight_decay": "0.1"},
     lambda ps: torch.optim.Adam(ps, lr=1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adamw", {}, lambda ps: torch.optim.AdamW(ps, lr=1)),
    ("adamw", {"beta2": "0.95", "weight_decay": "0.1"},
     lambda ps: torch.optim.AdamW(ps, lr=1, betas=(0.9, 0.95), weight_decay=0.1)),
    ("rmsprop", {}, lambda ps: torch.optim.RMSprop(ps, lr=1)),
    ("rmsprop", {"alpha": "0.9", "centered": "true", "momentum": "0.5", "weight_decay": "0.01"},
     lambda ps: torch.optim.RMSprop(ps, lr=1, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01)),
    ("adagrad", {}, lambda ps: torch.optim.Adagrad(ps, lr=1)),
    ("adagrad", {"lr_decay": "0.1", "initial_accumulator_value": "0.5", "weight_decay": "0.01", "eps": "1e-6"},
     lambda ps: torch.optim.Adagrad(ps, lr=1, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.01,
                                    eps=1e-6)),
]


def optimizer_run(make, joins):
    """Parameter i takes part from step joins[i] on (PyTorch skips a parameter whose grad is None,
    and counts steps per parameter)."""
    params = [torch.nn.Parameter(v.clone()) for v in INITIAL]
    opt = make(params)
    after = []
    for step in range(STEPS):
        for p, g, first in zip(params, GRADS[step], joins):
            p.grad = g.clone() if step >= first else None
        for group in opt.param_groups:
            group["lr"] = RATES[step]
        opt.step()
        after.append([values(p) for p in params])
    return after


def optimizer_case(name, options, make):
    return {"name": name, "options": options, "after": optimizer_run(make, [0, 0]),
            "after_late": optimizer_run(make, LATE_JOINS)}


def rates(make, base, count):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    scheduler = make(opt)
    out = []
    for _ in range(count):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return out


SCHEDULES = [
    ("step", {"every": "3", "gamma": "0.5"}, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    ("exponential", {"gamma": "0.9"}, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    ("cosine", {"total": "10", "min_factor": "0.1"},
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01)),
]


def clipped(scale, transform):
    params = [torch.nn.Parameter(v.clone()) for v in INITIAL]
    for p, g in zip(params, GRADS[0]):
        p.grad = (scale * g).clone()
    norm = transform(params)
    return {"scale": scale, "grads": [values(p.grad) for p in params], "norm": None if norm is None else float(norm)}


def loss_case(kind, prediction, target, make, **extra):
    pred = prediction.clone().requires_grad_(True)
    loss = make()(pred, target)
    loss.backward()
    case = {"kind": kind, "shape": list(prediction.shape), "prediction": values(prediction),
            "loss": float(loss), "gradient": values(pred.grad)}
    if target.dtype == torch.long:
        case["labels"] = [int(x) for x in target.tolist()]
    else:
        case["target"] = values(target)
    case.update(extra)
    return case


logits = 2 * torch.randn(6, 5)
labels = torch.tensor([0, 4, -1, 2, 2, -1])
predictions = torch.randn(4, 3)
targets = torch.randn(4, 3)

goldens = {
    "torch": torch.__version__,
    "shapes": SHAPES,
    "initial": [values(v) for v in INITIAL],
    "grads": [[values(g) for g in step] for step in GRADS],
    "rates": RATES,
    # after_late: the second parameter joins at step LATE_JOINS[1] (a head added while fine-tuning,
    # a part frozen for a while); its bias corrections and decays count its own steps.
    "late_joins": LATE_JOINS,
    "optimizers": [optimizer_case(*case) for case in OPTIMIZERS],
    "schedules": [{"name": n, "options": o, "base": 0.1, "rates": rates(m, 0.1, 14)} for n, o, m in SCHEDULES],
    # The first step's gradients times a scale; at a norm near 0.002, PyTorch's 1e-6 in
    # max_norm / (norm + 1e-6) moves the result by 5e-4.
    "clipping": {
        "clip-norm max_norm=1": clipped(3, lambda ps: torch.nn.utils.clip_grad_norm_(ps, max_norm=1.0)),
        "clip-norm max_norm=0.001": clipped(0.0006, lambda ps: torch.nn.utils.clip_grad_norm_(ps, max_norm=0.001)),
        "clip-norm max_norm=100": clipped(3, lambda ps: torch.nn.utils.clip_grad_norm_(ps, max_norm=100.0)),
        "clip-value max_value=0.5": clipped(3, lambda ps: torch.nn.utils.clip_grad_value_(ps, clip_value=0.5)),
    },
    "losses": [
        loss_case("cross-entropy", logits, labels,
                  lambda: torch.nn.CrossEntropyLoss(ignore_index=-1), ignore=-1, smoothing=0.0),
        loss_case("cross-entropy", logits, labels,
                  lambda: torch.nn.CrossEntropyLoss(ignore_index=-1, label_smoothing=0.2), ignore=-1, smoothing=0.2),
        loss_case("mse", predictions, targets, torch.nn.MSELoss),
        loss_case("mae", predictions, targets, torch.nn.L1Loss),
        loss_case("huber", predictions, targets, lambda: torch.nn.HuberLoss(delta=0.7), delta=0.7),
    ],
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "training-goldens.json")
with open(out, "w") as f:
    json.dump(goldens, f, indent=1)
    f.write("\n")
print("wrote", out)
