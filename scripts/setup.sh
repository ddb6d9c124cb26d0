#!/usr/bin/env bash
# Everything a fresh Debian 12 machine with the .NET 10 SDK needs: packages, build (which also applies the
# TorchSharp native fix), and the real data sets the tests and benchmarks use.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
dotnet restore AdaDeep.Build.sln
dotnet build AdaDeep.Build.sln -c "$CONFIG" --no-restore -v minimal
bash scripts/fetch-data.sh
