"""Exports old-style ImageNet CNNs as the ONNX model zoo's opset 7-9 exports look (issue 22): torchvision AlexNet,
VGG-11 and SqueezeNet 1.0 at opset 9 with their Dropout nodes kept (exported in training mode, which none of these
models' other layers depend on: they have no BatchNormalization), random seeded weights (no internet).
Usage: /usr/bin/python3 scripts/legacy/export_legacy_cnns.py OUT_DIR [names...]"""
import os
import sys

import onnx
import torch
import torchvision

MODELS = {
    "alexnet": torchvision.models.alexnet,
    "vgg11": torchvision.models.vgg11,
    "squeezenet1_0": torchvision.models.squeezenet1_0,
}


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(MODELS)
    os.makedirs(out, exist_ok=True)
    for name in names:
        torch.manual_seed(0)
        model = MODELS[name](weights=None)
        model.train()  # keeps Dropout in the graph, as old exporters did
        x = torch.randn(1, 3, 224, 224)
        path = os.path.join(out, f"{name}-op9.onnx")
        torch.onnx.export(model, x, path, opset_version=9, input_names=["data"], output_names=["prob"],
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
        m = onnx.load(path)
        drops = sum(1 for n in m.graph.node if n.op_type == "Dropout")
        print(f"{path}: opset {m.opset_import[0].version}, {drops} Dropout nodes, {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
