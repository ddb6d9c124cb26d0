#!/usr/bin/env bash
# The main job: compress the embedded default model (mnist-8, the ONNX model zoo's MNIST CNN) for a device,
# measuring accuracy on the real MNIST test set fetched by scripts/fetch-data.sh. Run scripts/setup.sh first.
#   bash scripts/main-job.sh [device] [extra adadeep compress options...]
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
DEVICE="${1:-sony-sw3}"
shift || true
mkdir -p artifacts/main-job
dotnet run --project src/AdaDeep.Cli -c "$CONFIG" --no-build -- inspect --device "$DEVICE" models/mnist-8/model.onnx
dotnet run --project src/AdaDeep.Cli -c "$CONFIG" --no-build -- compress --device "$DEVICE" \
  --dataset .data/mnist --latency-budget-ms 10 --storage-budget-mb 2 \
  --output "artifacts/main-job/mnist-8.$DEVICE.onnx" --report "artifacts/main-job/mnist-8.$DEVICE.report" "$@"
echo "report: artifacts/main-job/mnist-8.$DEVICE.report.md"
