#!/usr/bin/python3
"""The hand pipeline of the `mobile` bench (issue 22 item 4): what a PyTorch user would do by hand to one of the
Fashion-MNIST CNNs that scripts/mobile/train_fashion.py trained (.data/mobile/<name>/model.pt).

1. Channel pruning: torch.nn.utils.prune.ln_structured (L2 norm, dim 0 = output channels) of every Conv2d with
   groups == 1 except the classifier conv (SqueezeNet's), the given --fraction of each conv's output channels
   (default 0.5). Depthwise convs, the first conv's input and the Linear classifier are left alone.
2. Fine-tune with the masks kept (AdamW, cosine schedule, random flips) on the same training images the engine gets
   (.data/mobile/fashion-train.npz) for --fine-tune-seconds, then prune.remove makes the zeros permanent and the
   BatchNorm statistics are re-estimated on 4,096 of those images.
3. int8 weights: every Conv/Gemm weight of the exported ONNX (opset 13, eval mode, BatchNorm folded by the exporter)
   becomes an int8 initializer with per-output-channel symmetric scales and a DequantizeLinear node (axis 0), which
   is what onnxruntime's weight-only quantisation stores; compute stays fp32.

HONEST CAVEAT: torch.nn.utils.prune only masks. The pruned channels are stored as zeros in a dense tensor of the same
shape, so the file (before int8) and the MACs ONNX Runtime executes do not shrink at all; only int8 shrinks the file
(~4x). Physically removing the channels needs a dependency-aware tool (torch-pruning, NNI ModelSpeedup), which is not
what this pipeline does. The JSON gives the nominal MACs (what runs) and `macs_if_removed`, the MACs the convs would
do if each pruned output channel were removed from its own conv (the next layer's inputs are kept: after a BatchNorm
a zeroed channel is a constant, not a zero).

Prints one JSON object (and writes it to --json): bytes, test_accuracy (PyTorch, with the int8-rounded weights, on
fashion-test.npz), wall seconds, fine-tune steps, MACs. The bench measures the ONNX file's accuracy and latency itself.
Needs Debian's python3-torch, python3-torchvision, python3-onnx (scripts/mobile/setup.sh).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper
from torch.nn.utils import prune

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fashion  # noqa: E402


def prunable_convs(model):
    convs = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d) and m.groups == 1]
    return [(n, m) for n, m in convs if m.out_channels != 10]  # SqueezeNet's classifier conv keeps its 10 classes


def conv_macs(model, sample, removed):
    """Nominal MACs of every Conv2d/Linear, and the MACs if each pruned output channel were removed from its conv."""
    nominal, effective = [0], [0]
    hooks = []

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            per_out = (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1] * out.shape[2] * out.shape[3]
            alive = m.out_channels
            if m in removed:
                alive = int((m.weight.detach().flatten(1).abs().sum(1) != 0).sum())
            nominal[0] += per_out * m.out_channels
            effective[0] += per_out * alive
        else:
            nominal[0] += m.in_features * m.out_features
            effective[0] += m.in_features * m.out_features

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            hooks.append(m.register_forward_hook(hook))
    model.eval()
    with torch.no_grad():
        model(sample)
    for h in hooks:
        h.remove()
    return nominal[0], effective[0]


def fake_int8_(model):
    """Rounds every Conv/Linear weight to per-output-channel symmetric int8 in place (what the ONNX file stores)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                w = m.weight
                scale = w.flatten(1).abs().amax(1).clamp_min(1e-12) / 127.0
                shape = (-1,) + (1,) * (w.dim() - 1)
                w.copy_(torch.clamp(torch.round(w / scale.view(shape)), -127, 127) * scale.view(shape))


def int8_weights(path):
    """Conv/Gemm float weights -> int8 initializer + per-channel scale + DequantizeLinear (axis 0), in place."""
    model = onnx.load(path)
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    users = {}
    for node in g.node:
        for i, name in enumerate(node.input):
            users.setdefault(name, []).append((node, i))
    new_nodes = []
    for node in list(g.node):
        if node.op_type not in ("Conv", "Gemm") or len(node.input) < 2 or node.input[1] not in inits:
            continue
        name = node.input[1]
        if any(not (u.op_type in ("Conv", "Gemm") and i == 1) for u, i in users[name]):
            continue
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        if w.ndim < 2 or (node.op_type == "Gemm" and any(a.name == "transB" and a.i == 0 for a in node.attribute)):
            continue
        scale = np.maximum(np.abs(w.reshape(w.shape[0], -1)).max(1), 1e-12) / 127.0
        q = np.clip(np.round(w / scale.reshape((-1,) + (1,) * (w.ndim - 1))), -127, 127).astype(np.int8)
        g.initializer.remove(inits[name])
        g.initializer.extend([numpy_helper.from_array(q, name + "_int8"),
                              numpy_helper.from_array(scale.astype(np.float32), name + "_scale"),
                              numpy_helper.from_array(np.zeros(w.shape[0], np.int8), name + "_zero")])
        new_nodes.append(helper.make_node("DequantizeLinear", [name + "_int8", name + "_scale", name + "_zero"], [name],
                                          name=name + "_dequantize", axis=0))
        del inits[name]
    nodes = new_nodes + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def fine_tune(model, x, y, seconds, seed, batch=128, lr=1e-3):
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    lossf = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    model.train()
    start, step, pos, order = time.time(), 0, len(x), None
    # Cosine over the time budget: the step size follows the fraction of the budget spent.
    while time.time() - start < seconds:
        if pos + batch > len(x):
            order, pos = torch.randperm(len(x), generator=g), 0
        idx = order[pos:pos + batch]
        pos += batch
        for grp in opt.param_groups:
            grp["lr"] = lr * 0.5 * (1 + math.cos(math.pi * min(1.0, (time.time() - start) / seconds)))
        opt.zero_grad()
        lossf(model(train_fashion.augment(x[idx], False)), y[idx]).backward()
        opt.step()
        step += 1
    return step


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, choices=train_fashion.CNNS)
    p.add_argument("--data", default=".data/mobile")
    p.add_argument("--fraction", type=float, default=0.5, help="output channels pruned in each conv")
    p.add_argument("--fine-tune-seconds", type=float, default=120)
    p.add_argument("--threads", type=int, default=1, help="1: two threads wait on each other on a shared 2-core machine")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="ONNX output (default .data/mobile/<model>/hand.onnx)")
    p.add_argument("--json", help="JSON output (default .data/mobile/<model>/hand.json)")
    a = p.parse_args()
    start = time.time()
    torch.set_num_threads(a.threads)
    folder = os.path.join(a.data, a.model)
    out = a.out or os.path.join(folder, "hand.onnx")
    json_path = a.json or os.path.join(folder, "hand.json")
    model = train_fashion.build(a.model)
    model.load_state_dict(torch.load(os.path.join(folder, "model.pt")))
    train = np.load(os.path.join(a.data, "fashion-train.npz"))
    test = np.load(os.path.join(a.data, "fashion-test.npz"))
    xtr, ytr = torch.from_numpy(train["x"]), torch.from_numpy(train["y"]).long()
    xte, yte = torch.from_numpy(test["x"]), torch.from_numpy(test["y"]).long()

    convs = prunable_convs(model)
    for _, m in convs:
        prune.ln_structured(m, "weight", amount=a.fraction, n=2, dim=0)
    steps = fine_tune(model, xtr, ytr, a.fine_tune_seconds, a.seed)
    for _, m in convs:
        prune.remove(m, "weight")
    # BatchNorm statistics re-estimated with the final weights, as after training (train_fashion.recalibrate_bn):
    # torchvision's MobileNetV3 (momentum 0.01) otherwise exports the statistics of the unpruned net (10.00 %).
    train_fashion.recalibrate_bn(model, xtr)
    nominal, effective = conv_macs(model, xte[:1], {m for _, m in convs})
    fake_int8_(model)
    acc = train_fashion.accuracy(model, xte, yte)
    train_fashion.export(model, xte[:1], out)
    int8_weights(out)
    result = {
        "model": a.model, "fraction": a.fraction, "pruned_convs": len(convs), "fine_tune_seconds": a.fine_tune_seconds,
        "fine_tune_steps": steps, "fine_tune_samples": len(xtr), "test_accuracy": acc, "bytes": os.path.getsize(out), "macs": nominal, "macs_if_removed": effective,
        "seconds": round(time.time() - start, 1), "onnx": out,
    }
    with open(json_path, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
