#!/usr/bin/env bash
# Follows README "Use it in your app" from a clean folder, as a newcomer would: the packed packages in a local
# feed, a new console app, nuget.config, a local tool manifest with AdaDeep.Tool, the AdaDeep.Build and ONNX Runtime
# packages, one AdaDeepModel item, `dotnet build` (which compresses the model) and `dotnet run` (which loads it
# through the generated accessor). Fails on any step; prints the summary line and the app's output.
# Usage: bash scripts/consumer-check.sh            (packs first: several minutes for AdaDeep.Tool)
#        SKIP_PACK=1 bash scripts/consumer-check.sh (reuse artifacts/feed)
# Needs nuget.org for Microsoft.ML.OnnxRuntime. The search is kept short (greedy, 60 s cap) so the check stays quick.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
if [ "${SKIP_PACK:-0}" != 1 ]; then
  bash scripts/pack.sh
fi
# The packed tool packages against the content rules (only their RID's natives, no .pdb/.lib, no libtorch Python or
# test libraries, under 250 MB, MIT and README metadata); the test project is built by scripts/setup.sh.
ADADEEP_REQUIRE_PACKAGES=1 dotnet test tests/AdaDeep.Cli.Tests -c Release --no-build --filter "FullyQualifiedName~Packaging" -v quiet --nologo
WORK="$(mktemp -d "${TMPDIR:-/tmp}/adadeep-consumer-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# A private package folder: every pack rebuilds 0.1.0, which a shared ~/.nuget/packages would keep stale. The task
# finds the tool there through NUGET_PACKAGES, as `dotnet tool restore` does.
export NUGET_PACKAGES="$WORK/packages"
export ADADEEP_CACHE_DIR="$WORK/cache"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$WORK"

# --- README "Use it in your app", step by step ---
dotnet new console -o MyApp --framework net10.0 >/dev/null
cd MyApp
dotnet new nugetconfig >/dev/null
dotnet nuget add source "$REPO/artifacts/feed" --name adadeep-local --configfile nuget.config >/dev/null
dotnet new tool-manifest >/dev/null
dotnet tool install AdaDeep.Tool --version 0.1.0
dotnet add package AdaDeep.Build --version 0.1.0 >/dev/null
dotnet add package Microsoft.ML.OnnxRuntime --version 1.31.1 >/dev/null
mkdir -p models && cp "$REPO/models/mnist-8/model.onnx" models/mnist-8.onnx
# The item (README shows it in the csproj): compressed for sony-sw3, embedded as AdaDeep.mnist-8.onnx.
sed -i 's|</Project>|  <ItemGroup>\n    <AdaDeepModel Include="models/mnist-8.onnx" Device="sony-sw3" LatencyBudgetMs="0.4" Optimizer="greedy" TimeBudgetSeconds="60" />\n  </ItemGroup>\n</Project>|' MyApp.csproj
cat > Program.cs <<'CS'
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

using var session = new InferenceSession(MyApp.AdaDeepModels.Mnist8.ReadAllBytes());
var input = NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), new DenseTensor<float>(new float[28 * 28], new[] { 1, 1, 28, 28 }));
using var results = session.Run(new[] { input });
Console.WriteLine($"ran {MyApp.AdaDeepModels.Mnist8.ResourceName} ({MyApp.AdaDeepModels.Mnist8.ReadAllBytes().Length} bytes): {results.First().AsEnumerable<float>().Count()} scores");
CS
dotnet build -nologo -v:m | tee build.log
grep -q "AdaDeep: mnist-8.onnx → sony-sw3:" build.log
dotnet run --no-build | tee run.log
grep -q "10 scores" run.log
echo "consumer-check: OK"
