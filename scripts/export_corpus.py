"""Exports the model corpus of issue 13.5 (see scripts/export-corpus.sh): real architectures as PyTorch exports them.

Each model goes to OUT/<name>-op<opset>/model.onnx with a test_data_set_0/ (input_K.pb, output_K.pb from PyTorch),
and OUT/manifest.tsv lists name, opset, family, input shapes and notes. Weights are random-init (seeded), since the
machine has no internet to fetch pretrained ones: the corpus checks what the engine does with the graphs exporters
produce, not ImageNet accuracy.
"""
import argparse
import os
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper, TensorProto


class KwsGru(torch.nn.Module):
    """Keyword spotting on 49 MFCC frames of 40 coefficients (Speech Commands style): GRU 64 -> 12 classes."""

    def __init__(self, cell="gru"):
        super().__init__()
        rnn = torch.nn.GRU if cell == "gru" else torch.nn.LSTM
        self.rnn = rnn(40, 64, batch_first=True)
        self.fc = torch.nn.Linear(64, 12)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


class KwsGruStateful(torch.nn.Module):
    """Streaming variant with three inputs, like exported voice-activity models: features, a recurrent state and an
    int64 sample-rate scalar; outputs logits and the next state."""

    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.GRU(40, 64, batch_first=True)
        self.fc = torch.nn.Linear(64, 12)

    def forward(self, x, state, sr):
        x = x * (sr.to(torch.float32) / 16000.0)
        out, h = self.rnn(x, state)
        return self.fc(out[:, -1, :]), h


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                       torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


def image(name, ctor):
    return name, "image", lambda: ctor(weights=None), [("input", (1, 3, 224, 224), torch.float32)], ["logits"]


ARCHS = [
    image("mobilenet_v2", torchvision.models.mobilenet_v2),
    image("mobilenet_v3_small", torchvision.models.mobilenet_v3_small),
    image("resnet18", torchvision.models.resnet18),
    image("squeezenet1_1", torchvision.models.squeezenet1_1),
    image("shufflenet_v2_x1_0", torchvision.models.shufflenet_v2_x1_0),
    ("kws_gru", "audio", lambda: KwsGru("gru"), [("mfcc", (1, 49, 40), torch.float32)], ["logits"]),
    ("kws_lstm", "audio", lambda: KwsGru("lstm"), [("mfcc", (1, 49, 40), torch.float32)], ["logits"]),
    ("mlp", "vector", Mlp, [("input", (1, 1, 28, 28), torch.float32)], ["logits"]),
]

# Variants at one opset each: three inputs (float features, float state, int64 scalar), and fp16 weights and I/O.
MULTI_INPUT = ("kws_gru_state_sr", "audio", KwsGruStateful,
               [("mfcc", (1, 49, 40), torch.float32), ("state", (1, 1, 64), torch.float32), ("sr", (), torch.int64)],
               ["logits", "state_out"])


TEST_BATCH = {"image": 16, "audio": 64, "vector": 64}


def sample(shape, dtype, gen):
    if dtype == torch.int64:
        return torch.tensor(16000, dtype=torch.int64)
    return torch.randn(*shape, generator=gen, dtype=dtype)


def save_test_data(folder, names, inputs, outputs):
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    for k, (name, value) in enumerate(zip(names, inputs)):
        t = numpy_helper.from_array(value.numpy(), name)
        open(os.path.join(data, f"input_{k}.pb"), "wb").write(t.SerializeToString())
    for k, value in enumerate(outputs):
        open(os.path.join(data, f"output_{k}.pb"), "wb").write(numpy_helper.from_array(value.numpy()).SerializeToString())


def export(out, name, family, build, inputs, output_names, opset, manifest, note=""):
    torch.manual_seed(0)
    model = build().eval()
    gen = torch.Generator().manual_seed(1)
    args = tuple(sample(shape, dtype, gen) for _, shape, dtype in inputs)
    folder = os.path.join(out, f"{name}-op{opset}")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    # Batch dimension left free (as most exports do), except 0-d scalars and the state's batch axis 1.
    dynamic = {n: {0: "N"} for n, shape, _ in inputs if len(shape) > 0 and n != "state"}
    dynamic.update({n: {0: "N"} for n in output_names if n != "state_out"})
    with torch.no_grad():
        torch.onnx.export(model, args, path, opset_version=opset, input_names=[n for n, _, _ in inputs],
                          output_names=output_names, dynamic_axes=dynamic, do_constant_folding=True)
        # Test data: a batch of samples along the free batch axis (the pipeline uses them as its unlabelled data when
        # no data set is given), PyTorch's outputs for them as output_K.pb.
        batch = 1 if any(n == "state" for n, _, _ in inputs) else TEST_BATCH[family]
        test_args = tuple(sample((batch,) + tuple(shape[1:]) if n in dynamic else shape, dtype, gen) for n, shape, dtype in inputs)
        outputs = model(*test_args)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    save_test_data(folder, [n for n, _, _ in inputs], test_args, outputs)
    onnx.checker.check_model(onnx.load(path))
    shapes = ";".join(f"{n}{list(s)}" for n, s, _ in inputs)
    manifest.append(f"{name}-op{opset}\t{opset}\t{family}\t{shapes}\t{note or 'fp32, random-init weights'}")
    print(f"exported {path} ({os.path.getsize(path)} bytes)", flush=True)
    return folder


def to_fp16(src_folder, dst_folder, name, opset, manifest, family, shapes):
    """fp16 weights and I/O: every float32 initializer, Constant and graph input/output becomes float16 (what
    onnxconverter-common's float16 conversion does for these op sets; ORT's CPU kernels run it)."""
    model = onnx.load(os.path.join(src_folder, "model.onnx"))
    graph = model.graph
    for init in graph.initializer:
        if init.data_type == TensorProto.FLOAT:
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(attr.t).astype(np.float16)))
            if node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
    for value in list(graph.input) + list(graph.output):
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    del graph.value_info[:]
    os.makedirs(dst_folder, exist_ok=True)
    onnx.save(model, os.path.join(dst_folder, "model.onnx"))
    onnx.checker.check_model(model)
    src_data = os.path.join(src_folder, "test_data_set_0")
    data = os.path.join(dst_folder, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    for f in sorted(os.listdir(src_data)):
        t = onnx.load_tensor(os.path.join(src_data, f))
        if t.data_type == TensorProto.FLOAT:
            t = numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float16), t.name)
        open(os.path.join(data, f), "wb").write(t.SerializeToString())
    manifest.append(f"{name}-op{opset}\t{opset}\t{family}\t{shapes}\tfp16 weights and I/O, random-init weights")
    print(f"converted {dst_folder}/model.onnx to fp16", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=".corpus")
    parser.add_argument("--opsets", type=int, nargs="+", default=list(range(11, 18)))
    parser.add_argument("--only", nargs="*", default=None, help="architecture names to export (default: all)")
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, onnx {onnx.__version__}", flush=True)
    manifest = []
    failures = 0
    for name, family, build, inputs, outputs in ARCHS:
        if a.only and name not in a.only:
            continue
        for opset in a.opsets:
            try:
                export(a.out, name, family, build, inputs, outputs, opset, manifest)
            except Exception as e:  # one architecture/opset failing must not lose the rest; the manifest says why
                failures += 1
                manifest.append(f"{name}-op{opset}\t{opset}\t{family}\t-\tEXPORT FAILED: {type(e).__name__}: {e}".replace("\n", " "))
                print(f"FAILED {name} opset {opset}: {e}", file=sys.stderr, flush=True)
    variant_opset = 13 if 13 in a.opsets else a.opsets[-1]
    if not a.only or MULTI_INPUT[0] in a.only:
        name, family, build, inputs, outputs = MULTI_INPUT
        export(a.out, name, family, build, inputs, outputs, variant_opset, manifest,
               "three inputs: features, GRU state, int64 sample-rate scalar; two outputs")
    for base in ("mlp", "squeezenet1_1"):
        src = os.path.join(a.out, f"{base}-op{variant_opset}")
        if os.path.exists(os.path.join(src, "model.onnx")):
            shapes = next(";".join(f"{n}{list(s)}" for n, s, _ in i) for n0, _, _, i, _ in ARCHS if n0 == base)
            to_fp16(src, os.path.join(a.out, f"{base}_fp16-op{variant_opset}"), f"{base}_fp16", variant_opset, manifest,
                    next(f for n0, f, _, _, _ in ARCHS if n0 == base), shapes)
    # Merge with an earlier run's manifest (exports of other opsets or architectures stay listed).
    path = os.path.join(a.out, "manifest.tsv")
    exported = {line.split("\t")[0] for line in manifest}
    if os.path.exists(path):
        earlier = [l.rstrip("\n") for l in open(path).readlines()[1:] if l.strip()]
        manifest = [l for l in earlier if l.split("\t")[0] not in exported] + manifest
    with open(path, "w") as f:
        f.write("model\topset\tfamily\tinputs\tnotes\n" + "\n".join(sorted(manifest)) + "\n")
    print(f"{len(manifest)} models in {a.out}/manifest.tsv, {failures} export failures", flush=True)


if __name__ == "__main__":
    main()
