#!/usr/bin/python3
"""The hand pipeline of the `peers` bench (issue 12 item 5), as a PyTorch user would write it.

train:    trains LeNet-300-100 or Caffe's LeNet-5 on MNIST `train` (--val-mnist, else a seeded 10 %, picks the best epoch),
          saves the state dict and exports the original ONNX (input: raw pixels 0-255, divided by 255 in the graph).
compress: global magnitude pruning (torch.nn.utils.prune.global_unstructured, L1) of every Linear/Conv weight to the
          given sparsity, fine-tuning on `train` with the masks kept, then int8 weights (symmetric, per tensor,
          DequantizeLinear in the ONNX file, what onnxruntime's weight-only quantisation stores), exported to ONNX.
Never reads `t10k`: the bench measures test accuracy on it in ONNX Runtime, the same way for every model.
Needs Debian's python3-torch and python3-onnx (scripts/peers/setup.sh installs them with apt-get; no pip).
"""
import argparse
import json
import os
import struct
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import helper, numpy_helper
from torch.nn.utils import prune


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_train(folder):
    x = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).astype(np.float32)[:, None, :, :]
    y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


class LeNet300100(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 300), nn.Linear(300, 100), nn.Linear(100, 10)

    def forward(self, x):
        x = torch.flatten(x / 255.0, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class CaffeLeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 20, 5), nn.Conv2d(20, 50, 5)
        self.fc1, self.fc2 = nn.Linear(800, 500), nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x / 255.0), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


NETS = {"lenet-300-100": LeNet300100, "lenet5-caffe": CaffeLeNet5}


def split(x, y, seed):
    g = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(x), generator=g)
    held = len(x) // 10
    return (x[order[held:]], y[order[held:]]), (x[order[:held]], y[order[:held]])


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(x), 1000))
    return correct / len(x)


def train(model, data, epochs, seed, budget, lr=1e-3):
    """Adam on the 90 % part; the best epoch on the held-out 10 % wins. `budget` seconds cap it (a loaded machine)."""
    (tx, ty), (vx, vy) = data
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    best, best_state = -1.0, None
    start = time.time()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(tx))
        for i in range(0, len(tx), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            F.cross_entropy(model(tx[idx]), ty[idx]).backward()
            opt.step()
            if time.time() - start > budget:
                break
        acc = accuracy(model, vx, vy)
        if acc > best:
            best, best_state = acc, {k: v.clone() for k, v in model.state_dict().items()}
        if time.time() - start > budget:
            break
    model.load_state_dict(best_state)
    return best


def export(model, path):
    model.eval()
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), tmp, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13)
    os.replace(tmp, path)


def int8_weights(path):
    """Weight-only int8: each Gemm/Conv weight becomes int8 + a float scale feeding DequantizeLinear."""
    m = onnx.load(path)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    new_nodes = []
    for node in g.node:
        if node.op_type in ("Gemm", "Conv", "MatMul") and len(node.input) > 1 and node.input[1] in inits:
            w = numpy_helper.to_array(inits[node.input[1]])
            scale = np.float32(max(np.abs(w).max(), 1e-12) / 127.0)
            q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
            name = node.input[1]
            g.initializer.remove(inits[name])
            g.initializer.extend([numpy_helper.from_array(q, name + "_q"), numpy_helper.from_array(np.array(scale), name + "_s"),
                                  numpy_helper.from_array(np.array(0, dtype=np.int8), name + "_z")])
            new_nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_s", name + "_z"], [name]))
    for n in reversed(new_nodes):
        g.node.insert(0, n)
    onnx.checker.check_model(m)
    onnx.save(m, path + ".tmp")
    os.replace(path + ".tmp", path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["train", "compress"])
    p.add_argument("--net", choices=sorted(NETS), required=True)
    p.add_argument("--mnist", required=True)
    p.add_argument("--val-mnist", help="IDX folder of held-out train images that pick the best epoch (default: a seeded 10 %% of --mnist)")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--sparsity", type=float, default=0.95)
    p.add_argument("--fine-tune-epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--time-budget", type=float, default=1e9, help="seconds; caps training or fine-tuning")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    start = time.time()
    data = (mnist_train(a.mnist), mnist_train(a.val_mnist)) if a.val_mnist else split(*mnist_train(a.mnist), a.seed)
    state = os.path.join(a.out, a.net + ".pt")
    model = NETS[a.net]()
    if a.command == "train":
        val = train(model, data, a.epochs, a.seed, a.time_budget)
        torch.save(model.state_dict(), state)
        onnx_path = os.path.join(a.out, a.net + ".onnx")
        export(model, onnx_path)
        info = {"net": a.net, "epochs": a.epochs, "validation_accuracy": val, "seconds": time.time() - start, "onnx": onnx_path,
                "torch": torch.__version__, "onnx_version": onnx.__version__}
    else:
        model.load_state_dict(torch.load(state))
        layers = [(m, "weight") for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
        prune.global_unstructured(layers, pruning_method=prune.L1Unstructured, amount=a.sparsity)
        val = train(model, data, a.fine_tune_epochs, a.seed, a.time_budget)
        for m, name in layers:
            prune.remove(m, name)
        zeros = sum((m.weight == 0).sum().item() for m, _ in layers) / sum(m.weight.numel() for m, _ in layers)
        onnx_path = os.path.join(a.out, a.net + ".hand.onnx")
        export(model, onnx_path)
        int8_weights(onnx_path)
        info = {"net": a.net, "sparsity": a.sparsity, "weight_zeros": zeros, "fine_tune_epochs": a.fine_tune_epochs,
                "validation_accuracy": val, "seconds": time.time() - start, "onnx": onnx_path}
    with open(os.path.join(a.out, f"{a.net}.{a.command}.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
