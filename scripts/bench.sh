#!/usr/bin/env bash
# Runs every benchmark suite in Release and writes bench/results/ (docs/benchmarks.md).
# Usage: bash scripts/bench.sh            (full: tens of minutes on 2 cores)
#        bash scripts/bench.sh --quick    (a few minutes per suite)
# Needs MNIST: fetched here by scripts/fetch-data.sh when missing. LeNet-5 is trained once and cached in .data/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-data.sh >/dev/null
dotnet build bench/AdaDeep.Bench -c Release -nologo -v q
dotnet run --project bench/AdaDeep.Bench -c Release --no-build -- all "$@" --out bench/results
