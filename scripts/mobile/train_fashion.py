#!/usr/bin/python3
"""Trains and exports the models of the `mobile` bench (issue 22 item 1) on Fashion-MNIST, once, cached under
.data/mobile/<name>/ (model.onnx, model.pt = the PyTorch state dict for the hand pipeline, info.json). Never run in CI.

CNNs: torchvision MobileNetV2 (width 1.0), ResNet-18, ShuffleNetV2 x1.0, SqueezeNet 1.1 and MobileNetV3-small, with
the channels torchvision defines, weights=None (no internet), 10 classes, adapted to 1x32x32 input (the 28x28 images
padded by 2 pixels) the way CIFAR-style ports do: the first conv takes 1 channel and its stride is 1, so the net
downsamples 16x instead of 32x (a 2x2 last feature map, not 1x1). For ResNet-18 and ShuffleNetV2 the first conv is a
3x3 stride-1 conv and the max-pool is kept.
GRU: sequential Fashion-MNIST, the 28 image rows as a 28-step sequence of 28 features, GRU(28,128) -> Linear(128,10).

Input normalisation (in the data, not the graph): x = (pixel / 255 - 0.2860) / 0.3530; padding is pixel 0 before
normalising. Each net trains with AdamW and a one-cycle schedule over EPOCHS (or --epochs) with a wall-time cap
(MINUTES, or --minutes: past it the schedule follows time, so a loaded machine means fewer steps, not a longer run),
with random horizontal flips, then the BatchNorm statistics re-estimated on 4,096 training images (--resume continues a cached model for another, gentler schedule when it fell short
of 90 %); test accuracy is measured on the 10,000 t10k images.
ONNX: torch.onnx.export, opset 13, input "input" (dynamic batch), output "output", eval mode.

Also writes the data the engine reads (`adadeep compress --dataset/--test-dataset`, .npz with x float32, y int64):
.data/mobile/fashion-train.npz (a seeded 10,000-image subset of train, N x 1 x 32 x 32), fashion-test.npz (the
10,000 test images), and fashion-seq-train.npz / fashion-seq-test.npz for the GRU (N x 28 x 28).
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision

MEAN, STD = 0.2860, 0.3530
FASHION = "/usr/share/datasets/fashion-mnist"
CNNS = ["squeezenet11", "shufflenetv2", "mobilenetv3small", "mobilenetv2", "resnet18"]
ALL = ["squeezenet11", "gru", "shufflenetv2", "mobilenetv3small", "mobilenetv2", "resnet18"]
# Epochs of each net's one-cycle schedule, and a wall-time cap in minutes (2 cores shared with other jobs): past the
# cap the schedule runs on time instead of steps, so training always ends by then (with fewer steps).
EPOCHS = {"squeezenet11": 2, "gru": 3, "shufflenetv2": 2, "mobilenetv3small": 2, "mobilenetv2": 1, "resnet18": 1}
MINUTES = {"squeezenet11": 12, "gru": 10, "shufflenetv2": 12, "mobilenetv3small": 12, "mobilenetv2": 14, "resnet18": 14}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(split, seq=False):
    """(x float32, y int64): N x 1 x 32 x 32 padded and normalised, or N x 28 x 28 normalised for seq."""
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(os.path.join(FASHION, f"{prefix}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = read_idx(os.path.join(FASHION, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
    if not seq:
        x = np.pad(x, ((0, 0), (2, 2), (2, 2)))[:, None, :, :]
    return ((x - MEAN) / STD).astype(np.float32), y


class SeqGru(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.rnn = nn.GRU(28, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def build(name):
    tv = torchvision.models
    if name == "mobilenetv2":
        m = tv.mobilenet_v2(weights=None, num_classes=10, width_mult=1.0)
        m.features[0][0] = nn.Conv2d(1, 32, 3, stride=1, padding=1, bias=False)
    elif name == "resnet18":
        m = tv.resnet18(weights=None, num_classes=10)
        m.conv1 = nn.Conv2d(1, 64, 3, stride=1, padding=1, bias=False)
    elif name == "shufflenetv2":
        m = tv.shufflenet_v2_x1_0(weights=None, num_classes=10)
        m.conv1[0] = nn.Conv2d(1, 24, 3, stride=1, padding=1, bias=False)
    elif name == "squeezenet11":
        m = tv.squeezenet1_1(weights=None, num_classes=10)
        m.features[0] = nn.Conv2d(1, 64, 3, stride=1, padding=1)
    elif name == "mobilenetv3small":
        m = tv.mobilenet_v3_small(weights=None, num_classes=10)
        m.features[0][0] = nn.Conv2d(1, 16, 3, stride=1, padding=1, bias=False)
    elif name == "gru":
        m = SeqGru()
    else:
        raise SystemExit(f"unknown model {name}")
    return m


def accuracy(model, x, y, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def augment(xb, seq):
    if seq:
        return xb
    flip = torch.rand(xb.shape[0]) < 0.5
    xb = xb.clone()
    xb[flip] = xb[flip].flip(-1)
    return xb


def fit(model, x, y, epochs, cap_s, seed, batch=128, max_lr=3e-3, seq=False, log=None):
    """AdamW with a one-cycle schedule (25 % linear warm-up from max_lr / 25, then cosine to 0) over `epochs` of
    steps; its progress is max(steps done / steps planned, seconds spent / cap_s), so a loaded machine ends the
    schedule at the cap with fewer steps instead of running on."""
    torch.manual_seed(seed)
    n = len(x)
    planned = int(epochs * n / batch)
    opt = torch.optim.AdamW(model.parameters(), lr=max_lr, weight_decay=1e-4)
    lossf = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    model.train()
    start = time.time()
    step, pos, order = 0, n, None
    while True:
        frac = max(step / planned, (time.time() - start) / cap_s)
        if frac >= 1:
            break
        lr = (max_lr / 25 + (max_lr - max_lr / 25) * frac / 0.25 if frac < 0.25
              else max_lr * 0.5 * (1 + math.cos(math.pi * (frac - 0.25) / 0.75)))
        for grp in opt.param_groups:
            grp["lr"] = lr
        if pos + batch > n:
            order, pos = torch.randperm(n, generator=g), 0
        idx = order[pos:pos + batch]
        pos += batch
        opt.zero_grad()
        loss = lossf(model(augment(x[idx], seq)), y[idx])
        loss.backward()
        opt.step()
        step += 1
        if log and step % 50 == 0:
            log(f"  step {step}/{planned} ({step * batch / n:.2f} epochs) loss {loss.item():.3f} lr {lr:.5f} {time.time() - start:.0f}s")
    return step * batch / n, time.time() - start, step


def recalibrate_bn(model, x, samples=4096, batch=256):
    """Re-estimates every BatchNorm's running mean and variance on `samples` training images with the final weights
    (cumulative average, no gradient). torchvision's MobileNetV3 uses BatchNorm momentum 0.01, so after a short
    training its running statistics still mostly describe the early weights: 10.00 % test accuracy in eval mode at
    a training loss of 0.2-0.4 (0.74 epochs), until re-estimated."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for i in range(0, min(samples, len(x)), batch):
            model(x[i:i + batch])
    for m, momentum in zip(bns, saved):
        m.momentum = momentum
    model.eval()


def export(model, sample, path):
    model.eval()
    torch.onnx.export(model, sample, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=True)


def save_npz(path, x, y):
    tmp = path + ".tmp.npz"
    np.savez(tmp, x=x, y=y)
    os.replace(tmp, path)


def write_data(out, train_subset, seed):
    for seq, stem in ((False, "fashion"), (True, "fashion-seq")):
        test_path = os.path.join(out, f"{stem}-test.npz")
        train_path = os.path.join(out, f"{stem}-train.npz")
        if os.path.exists(test_path) and os.path.exists(train_path):
            continue
        xtr, ytr = load_split("train", seq)
        xte, yte = load_split("test", seq)
        pick = np.random.RandomState(seed).permutation(len(xtr))[:train_subset]
        save_npz(train_path, xtr[pick], ytr[pick])
        save_npz(test_path, xte, yte)
        print(f"wrote {train_path} ({len(pick)}) and {test_path} ({len(xte)})", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=".data/mobile")
    p.add_argument("--models", nargs="*", default=ALL, choices=ALL)
    p.add_argument("--epochs", type=float, default=None, help="epochs of each net's schedule (default: EPOCHS)")
    p.add_argument("--minutes", type=float, default=None, help="wall-time cap of each net's training (default: MINUTES)")
    # One thread: on 2 cores shared with other jobs two OpenMP threads wait on each other (6 s/step for SqueezeNet at
    # nice 19 under load 10, 0.5 s/step with one thread).
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--train-subset", type=int, default=10000, help="images in fashion-train.npz (the engine's split)")
    p.add_argument("--force", action="store_true", help="retrain even when info.json exists")
    p.add_argument("--resume", action="store_true",
                   help="continue a cached model's training (model.pt) for another schedule of --epochs (default: half EPOCHS) at a third of the peak step size; info.json sums the epochs and seconds")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    write_data(a.out, a.train_subset, a.seed)
    for name in a.models:
        folder = os.path.join(a.out, name)
        previous = None
        if a.resume and os.path.exists(os.path.join(folder, "info.json")):
            with open(os.path.join(folder, "info.json")) as f:
                previous = json.load(f)
        elif os.path.exists(os.path.join(folder, "info.json")) and not a.force:
            print(f"{name}: cached ({folder})", flush=True)
            continue
        os.makedirs(folder, exist_ok=True)
        seq = name == "gru"
        xtr, ytr = (torch.from_numpy(v) for v in load_split("train", seq))
        xte, yte = (torch.from_numpy(v) for v in load_split("test", seq))
        torch.manual_seed(a.seed)
        model = build(name)
        cap = (a.minutes or MINUTES[name]) * 60
        planned = a.epochs or EPOCHS[name]
        max_lr = 1e-2 if seq else 3e-3
        if previous:
            model.load_state_dict(torch.load(os.path.join(folder, "model.pt")))
            planned, max_lr = a.epochs or EPOCHS[name] / 2, max_lr / 3
        print(f"{name}: training {planned} epochs{' more' if previous else ''}, at most {cap:.0f} s", flush=True)
        epochs, seconds, steps = fit(model, xtr, ytr, planned, cap, a.seed + (1 if previous else 0), seq=seq, max_lr=max_lr,
                                     log=lambda s: print(s, flush=True))
        if previous:
            epochs, seconds, steps = epochs + previous["epochs"], seconds + previous["seconds"], steps + previous["steps"]
        recalibrate_bn(model, xtr[torch.randperm(len(xtr), generator=torch.Generator().manual_seed(a.seed))[:4096]])
        acc = accuracy(model, xte, yte)
        print(f"{name}: test accuracy {acc:.4f} after {epochs:.2f} epochs, {seconds:.0f}s", flush=True)
        torch.save(model.state_dict(), os.path.join(folder, "model.pt"))
        export(model, xte[:1], os.path.join(folder, "model.onnx"))
        info = {"name": name, "test_accuracy": acc, "epochs": round(epochs, 3), "steps": steps,
                "seconds": round(seconds, 1), "params": sum(t.numel() for t in model.parameters()),
                "input_shape": list(xte.shape[1:]), "opset": 13, "seed": a.seed, "threads": a.threads,
                "torch": torch.__version__, "torchvision": torchvision.__version__,
                "normalisation": {"mean": MEAN, "std": STD, "pad": 0 if seq else 2},
                "resumed": (previous.get("resumed", 0) + 1) if previous else 0}
        with open(os.path.join(folder, "info.json"), "w") as f:
            json.dump(info, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
