#!/usr/bin/env bash
# Packs the packages a user installs into the local feed artifacts/feed/:
#   AdaDeep.Build          - build/AdaDeep.Build.props/.targets + tasks/netstandard2.0/AdaDeep.Build.Tasks.dll, AdaDeep.Contracts.dll and the Azure Blob cache backend (AdaDeep.Cache.Azure + Azure.Storage.Blobs)
#   AdaDeep.Tool           - the `adadeep` dotnet tool: a pointer package naming one package per runtime identifier
#   AdaDeep.Tool.<rid>     - the tool (CLI + engine) with only that platform's libtorch and ONNX Runtime natives
# Usage: bash scripts/pack.sh                             (Release; the tool for this machine's RID, e.g. linux-x64)
#        ADADEEP_TOOL_RIDS=all bash scripts/pack.sh       (linux-x64, win-x64 and osx-arm64: ~3 min more on 2 cores)
#        ADADEEP_TOOL_RIDS="linux-x64 osx-arm64" bash scripts/pack.sh
#        ADADEEP_TOOL_RIDS=any bash scripts/pack.sh       (one portable AdaDeep.Tool with every platform's natives, ~0.5 GB)
#        CONFIG=Debug bash scripts/pack.sh
#        ADADEEP_PROJECT_URL=https://... bash scripts/pack.sh  (project and repository URL in the nuspecs; none by default)
# `dotnet tool install AdaDeep.Tool` reads the pointer and installs AdaDeep.Tool.<rid> for the machine (.NET 10 SDK
# RID-specific tools); a RID that was not packed fails there with the list of RIDs that were.
# Consumers restore from the feed with their own nuget.config (see sample-app/nuget.config).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
FEED="$PWD/artifacts/feed"
mkdir -p "$FEED"
# A re-pack of the same version replaces the old file; consumers that cache packages per version must clear theirs
# (scripts/sample-app.sh uses a private package folder and clears it).
rm -f "$FEED"/AdaDeep.Build.*.nupkg "$FEED"/AdaDeep.Tool.*.nupkg
META=()
[ -n "${ADADEEP_PROJECT_URL:-}" ] && META+=("-p:AdaDeepProjectUrl=$ADADEEP_PROJECT_URL")
dotnet pack src/AdaDeep.Build.Tasks/AdaDeep.Build.Tasks.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet ${META[@]+"${META[@]}"}
# The RIDs TorchSharp-cpu 0.107.0 (libtorch-cpu 2.10.0) has natives for. win-arm64 does not restore here: no
# Microsoft.NETCore.App.Host.win-arm64 on the feed (and libtorch-cpu 2.10.0 leaves win-arm64 out).
ALL_RIDS="linux-x64 win-x64 osx-arm64"
RIDS="${ADADEEP_TOOL_RIDS:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)}"
[ "$RIDS" = all ] && RIDS="$ALL_RIDS"
if [ "$RIDS" = any ] || [ -z "$RIDS" ]; then
  # AdaDeepPortable: no default RID (Directory.Build.props), so the package holds every platform's natives.
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet -p:AdaDeepPortable=true ${META[@]+"${META[@]}"}
else
  for rid in $RIDS; do
    case " $ALL_RIDS " in *" $rid "*) ;; *) echo "pack.sh: no tool package for RID '$rid' (TorchSharp natives: $ALL_RIDS)" >&2; exit 2 ;; esac
  done
  # The outer (RID-less, AnyCPU) build packs the pointer; the SDK packs each RID in an inner build.
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet -p:AdaDeepPortable=true \
    "-p:ToolPackageRuntimeIdentifiers=\"${RIDS// /;}\"" ${META[@]+"${META[@]}"}
fi
# The portable outer build above rewrote src/AdaDeep.Cli/bin/<config>/net10.0 without its package dependencies
# (System.CommandLine among them): rebuild it, or scripts/main-job.sh and the benches fail to start afterwards.
dotnet build src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -nologo -v quiet >/dev/null
# Sizes, and the nuget.org limit (250 MB per package).
for p in "$FEED"/AdaDeep.*.nupkg; do
  size=$(stat -c %s "$p")
  awk -v n="$(basename "$p")" -v s="$size" 'BEGIN { printf "%s\t%d bytes (%.1f MB)%s\n", n, s, s / 1048576, (s > 262144000 ? "  OVER the 250 MB nuget.org limit" : "") }'
done
