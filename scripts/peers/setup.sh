#!/usr/bin/env bash
# Installs what the `peers` bench's hand pipeline needs: Debian's PyTorch and ONNX for /usr/bin/python3 (no pip).
set -euo pipefail
if /usr/bin/python3 -c "import torch, onnx, numpy" 2>/dev/null; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3-torch python3-onnx python3-numpy
