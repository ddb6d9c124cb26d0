#!/usr/bin/env bash
# Exports the real-architecture model corpus (issue 13.5) into .corpus/ (git-ignored) with Debian's PyTorch:
# MobileNetV2, MobileNetV3-small, ResNet-18, SqueezeNet 1.1, ShuffleNetV2 (torchvision), a GRU and an LSTM
# keyword-spotting net and an MLP at opsets 11-17, plus fp16 and multi-input variants. No internet: the torchvision
# networks have random-init weights (seeded), not the ImageNet ones. Debian's python3-torch is installed with apt-get
# (CI is a fresh machine) and run with /usr/bin/python3, not a pyenv/venv python3 on PATH.
#   bash scripts/export-corpus.sh [OUT_DIR] [OPSETS]     e.g. bash scripts/export-corpus.sh .corpus "13 17"
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-.corpus}
OPSETS=${2:-"11 12 13 14 15 16 17"}
if ! /usr/bin/python3 -c "import torch, torchvision, onnx" 2>/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-torch python3-torchvision python3-onnx
fi
/usr/bin/python3 scripts/export_corpus.py --out "$OUT" --opsets $OPSETS
