#!/usr/bin/env bash
# The main job: inspect and compress the embedded default model (models/mnist-8) for a device.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
DEVICE="${1:-sony-sw3}"
dotnet run --project src/AdaDeep.Cli -c "$CONFIG" --no-build -- inspect models/mnist-8/model.onnx --device "$DEVICE"
