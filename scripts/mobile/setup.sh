#!/usr/bin/env bash
# Installs what the `mobile` bench's Python side needs (issue 22): Debian's PyTorch, torchvision, ONNX and the
# Fashion-MNIST data set (package dataset-fashion-mnist -> /usr/share/datasets/fashion-mnist), for /usr/bin/python3
# (no pip). Then trains and exports the models once (cached under .data/mobile/; never in CI):
#   bash scripts/mobile/setup.sh && nice -n 19 /usr/bin/python3 scripts/mobile/train_fashion.py
set -euo pipefail
need=()
/usr/bin/python3 -c "import torch, torchvision, onnx, numpy" 2>/dev/null || need+=(python3-torch python3-torchvision python3-onnx python3-numpy)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
