#!/usr/bin/env bash
# Packs the two packages a user installs into the local feed artifacts/feed/:
#   AdaDeep.Build  - build/AdaDeep.Build.props/.targets + tasks/netstandard2.0/AdaDeep.Build.Tasks.dll and AdaDeep.Contracts.dll
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
# License and project URL are the owner's choice: set them to put them into both nuspecs.
META=()
[ -n "${ADADEEP_PACKAGE_LICENSE:-}" ] && META+=("-p:AdaDeepPackageLicense=$ADADEEP_PACKAGE_LICENSE")
[ -n "${ADADEEP_PROJECT_URL:-}" ] && META+=("-p:AdaDeepProjectUrl=$ADADEEP_PROJECT_URL")
[ ${#META[@]} -eq 0 ] && echo "pack.sh: note: ADADEEP_PACKAGE_LICENSE / ADADEEP_PROJECT_URL not set; the nuspecs carry no license or URL" >&2
dotnet pack src/AdaDeep.Build.Tasks/AdaDeep.Build.Tasks.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet ${META[@]+"${META[@]}"}
RID="${ADADEEP_TOOL_RID:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)}"
if [ "$RID" = any ] || [ -z "$RID" ]; then
  # AdaDeepPortable: no default RID (Directory.Build.props), so the package holds every platform's natives.
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet -p:AdaDeepPortable=true ${META[@]+"${META[@]}"}
else
  dotnet pack src/AdaDeep.Cli/AdaDeep.Cli.csproj -c "$CONFIG" -o "$FEED" -nologo -v quiet -p:RuntimeIdentifier="$RID" -p:SelfContained=false ${META[@]+"${META[@]}"}
fi
# Sizes, and the nuget.org limit (250 MB per package).
for p in "$FEED"/AdaDeep.*.nupkg; do
  size=$(stat -c %s "$p")
  awk -v n="$(basename "$p")" -v s="$size" 'BEGIN { printf "%s\t%d bytes (%.1f MB)%s\n", n, s, s / 1048576, (s > 262144000 ? "  OVER the 250 MB nuget.org limit" : "") }'
done
