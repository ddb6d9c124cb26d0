#!/usr/bin/env bash
# Builds and runs sample-app/ the way a user's app is built: pack AdaDeep.Build and AdaDeep.Tool into artifacts/feed,
# restore them through the sample's nuget.config (PackageReference) and local tool manifest (`dotnet tool restore`),
# `dotnet build` (which compresses models/mnist-8 for the device and embeds it), then classify the MNIST test set.
# Usage: bash scripts/sample-app.sh                             (device from the csproj: sony-sw3)
#        bash scripts/sample-app.sh -p:AdaDeepDevice=xiaomi-mi6  (a device variant; any extra args go to dotnet build)
#        SKIP_PACK=1 bash scripts/sample-app.sh                 (reuse the packages already in artifacts/feed)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
bash scripts/fetch-data.sh >/dev/null
if [ "${SKIP_PACK:-0}" != 1 ]; then
  bash scripts/pack.sh
fi
cd sample-app
# The private package folder (nuget.config) still holds the previously packed 0.1.0: drop it so restore takes the new one.
rm -rf packages/adadeep.build packages/adadeep.tool packages/adadeep.tool.*
dotnet tool restore
start=$(date +%s%N)
dotnet build -c "$CONFIG" -nologo "$@"
end=$(date +%s%N)
echo "sample-app build: $(( (end - start) / 1000000 )) ms"
dotnet run --no-build -c "$CONFIG" "$@" -- ../.data/mnist
