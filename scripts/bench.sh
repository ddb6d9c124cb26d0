#!/usr/bin/env bash
# Runs every benchmark suite in Release and writes Markdown + JSON per suite and summary.md (docs/benchmarks.md).
# Usage: bash scripts/bench.sh                      (full: about an hour on 2 cores)
#        bash scripts/bench.sh --quick              (a few minutes per suite)
#        bash scripts/bench.sh --quick --out DIR    (into DIR instead of bench/results, e.g. to compare two runs:
#          dotnet run --project bench/AdaDeep.Bench -c Release --no-build -- compare bench/results DIR)
# Needs MNIST: fetched here by scripts/fetch-data.sh when missing. LeNet-5 is trained once and cached in .data/bench/.
# The mobile suite trains its Fashion-MNIST models with Debian's PyTorch once (about an hour on 2 cores; cached in
# .data/mobile/, scripts/mobile/setup.sh installs PyTorch and dataset-fashion-mnist with apt-get).
# The build-overhead suite packs AdaDeep.Build and AdaDeep.Tool into a scratch folder and builds sample-app/ there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-data.sh >/dev/null
dotnet build bench/AdaDeep.Bench -c Release -nologo -v q
dotnet run --project bench/AdaDeep.Bench -c Release --no-build -- all --out bench/results "$@"
