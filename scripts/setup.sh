#!/usr/bin/env bash
# Everything a fresh Debian 12 machine with the .NET 10 SDK needs: packages, build (which also applies the
# TorchSharp native fix), and the real data sets the tests and benchmarks use.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
# nginx with WebDAV PUT (Debian's nginx-extras): the remote cache tests start one on 127.0.0.1
# (tests/AdaDeep.TestUtilities/NginxWebDav.cs) and fail, not skip, without it.
if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx-extras
fi
# Azurite (Azure Storage emulator) for the Azure Blob cache tests (tests/AdaDeep.TestUtilities/AzuriteServer.cs),
# into the git-ignored .tools/azurite/.
if [ ! -x .tools/azurite/node_modules/.bin/azurite-blob ]; then
  mkdir -p .tools/azurite
  npm install --prefix .tools/azurite --no-audit --no-fund --silent azurite@3.37.0
fi
dotnet restore AdaDeep.Build.sln
dotnet build AdaDeep.Build.sln -c "$CONFIG" --no-restore -v minimal
bash scripts/fetch-data.sh
