#!/usr/bin/env bash
# Packs the two packages a user installs into the local feed artifacts/feed/:
#   AdaDeep.Build  - build/AdaDeep.Build.props/.targets + tasks/netstandard2.0/AdaDeep.Build.Tasks.dll (MSBuild integration)
#   AdaDeep.Tool   - the `adadeep` dotnet tool (CLI + engine) the build runs out of process
# Usage: bash scripts/pack.sh                         (Release, version from Directory.Build.props)
#        CONFIG=Debug bash scripts/pack.sh
#        ADADEEP_TOOL_RID=any bash scripts/pack.sh    (one portable tool package with every platform's natives)
# By default the tool is packed for this machine's runtime identifier (e.g. linux-x64): a RID-specific tool package
# (.NET 10 tools) carries only that platform's libtorch and ONNX Runtime natives, ~0.25 GB instead of ~0.5 GB.
# Consumers restore from the feed with their own nuget.config (see sample-app/nuget.config).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
FEED="$PWD/artifacts/feed"
mkdir -p "$FEED"
# A re-pack of the same version replaces the old file; consumers that cache packages per version must clear theirs
# (scripts/sample-app.sh uses a private package folder and clears it).
rm -f "$FEED"/AdaDeep.Build.*.nupkg "$FEED"/AdaDeep.Tool.*.nupkg
dotnet pack src/AdaDeep.Build.Tasks/AdaDeep.Build.Tasks.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet
RID="${ADADEEP_TOOL_RID:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)}"
if [ "$RID" = any ] || [ -z "$RID" ]; then
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet
else
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet -p:RuntimeIdentifier="$RID" -p:SelfContained=false
fi
ls -l "$FEED"
