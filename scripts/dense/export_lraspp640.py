#!/usr/bin/python3
"""Exports a 640x640 dense-output model for the time-cap and memory table of issue 23: torchvision's LR-ASPP
MobileNetV3-large (semantic segmentation, 21 classes, output [1, 21, 640, 640]), random weights (seeded; no internet,
so neither the COCO nor the ImageNet backbone weights), eval mode, opset 13, input "input" [1, 3, 640, 640],
output "out". Run with Debian's PyTorch: /usr/bin/python3 scripts/dense/export_lraspp640.py OUT.onnx
"""
import sys

import torch
import torchvision


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else ".corpus/lraspp640/model.onnx"
    torch.manual_seed(1)
    model = torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21).eval()

    class Logits(torch.nn.Module):
        """The segmentation dict's "out" tensor alone, so the graph has one output."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x)["out"]

    import os
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    torch.onnx.export(Logits(model), torch.randn(1, 3, 640, 640), out, opset_version=13, input_names=["input"],
                      output_names=["out"], do_constant_folding=True)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
