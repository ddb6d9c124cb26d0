#!/usr/bin/python3
"""Exports two small real-world-style models with Debian's python3-torch / python3-onnx (issue 13.1, 13.2):

  vad-gru/model.onnx   three inputs like a voice-activity detector: input float [N,512], state float [2,N,64],
                       sr int64 scalar; outputs a probability [N,1] and the new state. Three test_data_set_N folders.
  cnn-fp16/model.onnx  a small CNN exported in float32, then converted to float16 weights and I/O.

Usage: /usr/bin/python3 scripts/export-input-models.py OUT_DIR   (apt-get install -y python3-torch python3-onnx)
"""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto


class VadLike(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Linear(512, 64)
        self.gru = torch.nn.GRU(64, 64, num_layers=2)
        self.head = torch.nn.Linear(64, 1)

    def forward(self, x, state, sr):
        scale = sr.to(torch.float32) / 16000.0
        f = torch.relu(self.features(x * scale)).unsqueeze(0)
        out, new_state = self.gru(f, state)
        return torch.sigmoid(self.head(out[0])), new_state


class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
            torch.nn.Linear(32, 10))

    def forward(self, x):
        return self.body(x)


def save_tensor(path, array, name):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


def export_vad(out):
    torch.manual_seed(0)
    model = VadLike().eval()
    folder = os.path.join(out, "vad-gru")
    os.makedirs(folder, exist_ok=True)
    x, state, sr = torch.rand(1, 512), torch.zeros(2, 1, 64), torch.tensor(16000, dtype=torch.int64)
    torch.onnx.export(model, (x, state, sr), os.path.join(folder, "model.onnx"), opset_version=13,
                      input_names=["input", "state", "sr"], output_names=["output", "stateN"],
                      dynamic_axes={"input": {0: "batch"}, "state": {1: "batch"}, "output": {0: "batch"}, "stateN": {1: "batch"}})
    rng = np.random.default_rng(1)
    for n in range(3):
        tds = os.path.join(folder, f"test_data_set_{n}")
        os.makedirs(tds, exist_ok=True)
        save_tensor(os.path.join(tds, "input_0.pb"), rng.standard_normal((1, 512)).astype(np.float32), "input")
        save_tensor(os.path.join(tds, "input_1.pb"), (0.1 * rng.standard_normal((2, 1, 64))).astype(np.float32), "state")
        save_tensor(os.path.join(tds, "input_2.pb"), np.array(16000, dtype=np.int64), "sr")


def to_float16(model):
    graph = model.graph
    for i, init in enumerate(graph.initializer):
        if init.data_type == TensorProto.FLOAT:
            graph.initializer[i].CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    for value in list(graph.input) + list(graph.output) + list(graph.value_info):
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    for node in graph.node:
        for attr in node.attribute:
            if attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
            if attr.t is not None and attr.t.data_type == TensorProto.FLOAT and attr.t.dims:
                attr.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attr.t).astype(np.float16), attr.t.name))
    return model


def export_fp16(out):
    torch.manual_seed(0)
    model = SmallCnn().eval()
    folder = os.path.join(out, "cnn-fp16")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(model, torch.rand(1, 3, 32, 32), path, opset_version=13, input_names=["data_0"], output_names=["logits"],
                      dynamic_axes={"data_0": {0: "N"}, "logits": {0: "N"}})
    onnx.save(to_float16(onnx.load(path)), path)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    export_vad(out)
    export_fp16(out)
    print("exported to", out)
