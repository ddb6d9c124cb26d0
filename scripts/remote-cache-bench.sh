#!/usr/bin/env bash
# Issue 25 figure (docs/benchmarks.md "Shared remote cache"): 4 device variants of one app built by two "runners"
# (two project copies, two local caches) sharing one HTTP cache (nginx with WebDAV PUT on 127.0.0.1):
#   A cold   runner A, empty local cache, empty server: compresses all 4, uploads them
#   B warm   runner B, empty local cache: 4 remote hits, no compression
#   A again  runner A after deleting bin/ and obj/: 4 local hits, no network
# Then the sharded warm a CI matrix runs (a fresh path on the server): runners C and D run
# `adadeep warm --shard 1/2` and `--shard 2/2`, runner E builds the 4 variants: remote hits only.
# Prints one Markdown table row per step: wall time, outcomes, bytes down/up (the task's own counters), and checks
# that B embeds byte-identical models. Needs a Release build, nginx (scripts/setup.sh) and .data/mnist.
# Usage: bash scripts/remote-cache-bench.sh [TIME_BUDGET_SECONDS=15]
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BUDGET=${1:-15}
DEVICES="sony-sw3 xiaomi-mi6 huawei-p9 firefly-rk3399"
TOOL=$REPO/src/AdaDeep.Cli/bin/Release/net10.0/adadeep.dll
TASKS=$REPO/src/AdaDeep.Build.Tasks/bin/Release/netstandard2.0/AdaDeep.Build.Tasks.dll
[ -f "$TOOL" ] && [ -f "$TASKS" ] || { echo "build first: dotnet build AdaDeep.Build.sln -c Release" >&2; exit 1; }
[ -f .data/mnist/t10k-images-idx3-ubyte ] || bash scripts/fetch-data.sh >/dev/null
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is missing: apt-get install -y nginx-extras (scripts/setup.sh)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/adadeep-remote-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/nginx/root" "$WORK/nginx/body"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off; master_process off; worker_processes 1;
pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log $WORK/nginx/access.log;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  client_max_body_size 1g;
  server { listen 127.0.0.1:$PORT; root $WORK/nginx/root;
    location / { dav_methods PUT; create_full_put_path on; } }
}
EOF
"$NGINX" -p "$WORK/nginx/" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
trap 'kill $NGINX_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT/adadeep/"

runner() { # $1 = name: a project copy with its own local cache
  local dir=$WORK/$1
  mkdir -p "$dir/app/models"
  cp models/mnist-8/model.onnx "$dir/app/models/mnist-8.onnx"
  echo "<Project><Import Project=\"$REPO/build/AdaDeep.Build.props\" /></Project>" > "$dir/Directory.Build.props"
  echo "<Project><Import Project=\"$REPO/build/AdaDeep.Build.targets\" /></Project>" > "$dir/Directory.Build.targets"
  echo '<configuration><packageSources><clear /></packageSources></configuration>' > "$dir/nuget.config"
  cat > "$dir/app/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AdaDeepToolPath>$TOOL</AdaDeepToolPath>
    <AdaDeepTasksAssembly>$TASKS</AdaDeepTasksAssembly>
    <AdaDeepCacheDir>$dir/cache</AdaDeepCacheDir>
    <AdaDeepCacheUrl>$URL</AdaDeepCacheUrl>
  </PropertyGroup>
  <ItemGroup>
    <AdaDeepModel Include="models/mnist-8.onnx" Device="sony-sw3" LatencyBudgetMs="0.35" StorageBudgetMB="0.02"
                  MaxAccuracyDrop="0.03" Dataset="$REPO/.data/mnist" Optimizer="greedy" TimeBudgetSeconds="$BUDGET" />
  </ItemGroup>
</Project>
EOF
}

step() { # $1 = label, $2 = runner
  local dir=$WORK/$2/app log=$WORK/$2-$RANDOM.log start end
  start=$(date +%s%N)
  (cd "$dir" && dotnet build -c Release -nologo -v:n -nodeReuse:false -p:UseAppHost=false -t:AdaDeepBuildVariants \
      -p:AdaDeepDevices="$DEVICES" > "$log" 2>&1) || { tail -40 "$log" >&2; exit 1; }
  end=$(date +%s%N)
  local miss hit remote down up
  miss=$(grep -c '\[cache miss' "$log" || true); hit=$(grep -c '\[cache hit' "$log" || true)
  remote=$(grep -c '\[remote cache hit' "$log" || true)
  down=$(grep -o '[0-9,]* bytes down' "$log" | tr -d ', a-z' | awk '{s+=$1} END {print s+0}')
  up=$(grep -o '[0-9,]* bytes up' "$log" | tr -d ', a-z' | awk '{s+=$1} END {print s+0}')
  printf '| %s | %s s | %d | %d | %d | %s | %s |\n' "$1" "$(awk "BEGIN {printf \"%.1f\", ($end - $start) / 1e9}")" "$miss" "$remote" "$hit" "$down" "$up"
}

runner A; runner B
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| step | wall | compressed (miss) | remote hit | local hit | bytes down | bytes up |"
echo "|---|---:|---:|---:|---:|---:|---:|"
step "A cold (empty caches)" A
step "B warm (remote cache filled by A)" B
rm -rf "$WORK/A/app/bin" "$WORK/A/app/obj"
step "A again (bin/ obj/ deleted)" A
echo
echo "server holds $(find "$WORK/nginx/root" -type f | wc -l) files, $(du -sb "$WORK/nginx/root" | cut -f1) bytes"
for d in $DEVICES; do
  a=$(find "$WORK/A/app/obj" -path "*/adadeep/$d/AdaDeep.mnist-8.onnx")
  b=$(find "$WORK/B/app/obj" -path "*/adadeep/$d/AdaDeep.mnist-8.onnx")
  [ -n "$a" ] && [ "$(sha256sum < "$a")" = "$(sha256sum < "$b")" ] || { echo "MISMATCH for $d: $a $b" >&2; exit 1; }
  echo "$d: A and B embed sha256 $(sha256sum < "$b" | cut -c1-16)… ($(stat -c %s "$b") bytes)"
done

echo
echo "Sharded warm (2 shards), then a build on a third runner, all on a fresh path of the server:"
URL2="http://127.0.0.1:$PORT/adadeep-shards/"
runner C; runner D; runner E
for shard in 1 2; do
  r=$([ $shard = 1 ] && echo C || echo D)
  start=$(date +%s%N)
  (cd "$WORK/$r/app" && dotnet "$TOOL" warm --devices "$DEVICES" --shard $shard/2 --cache-url "$URL2" --progress lines > "$WORK/warm-$shard.log" 2>&1) \
    || { tail -30 "$WORK/warm-$shard.log" >&2; exit 1; }
  end=$(date +%s%N)
  echo "- shard $shard/2 (runner $r, $(awk "BEGIN {printf \"%.1f\", ($end - $start) / 1e9}") s): $(grep -o '→ [a-z0-9-]*: key' "$WORK/warm-$shard.log" | cut -d' ' -f2 | tr -d ':' | paste -sd' ') — $(grep 'adadeep: warm' "$WORK/warm-$shard.log" | sed 's/.*: \([0-9]* model variant\)/\1/') — $(grep 'adadeep: remote cache' "$WORK/warm-$shard.log" | sed 's/.*: \([0-9]* hit\)/\1/')"
done
jobs=$(cat "$WORK"/warm-*.log | grep -o '→ [a-z0-9-]*: key' | cut -d' ' -f2 | tr -d ':' | sort)
[ "$(echo "$jobs" | wc -l)" = 4 ] && [ "$(echo "$jobs" | sort -u | wc -l)" = 4 ] || { echo "shards do not cover the 4 jobs exactly once: $jobs" >&2; exit 1; }
echo "- the 2 shards compressed $(echo $jobs | wc -w) distinct jobs, each once"
echo
echo "| step | wall | compressed (miss) | remote hit | local hit | bytes down | bytes up |"
echo "|---|---:|---:|---:|---:|---:|---:|"
sed -i "s|<AdaDeepCacheUrl>$URL</AdaDeepCacheUrl>|<AdaDeepCacheUrl>$URL2</AdaDeepCacheUrl>|" "$WORK/E/app/App.csproj"
step "E builds after the sharded warm" E
