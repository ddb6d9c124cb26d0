#!/usr/bin/env bash
# Runs the whole test suite (after scripts/setup.sh) and prints one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
results=$(mktemp -d)
dotnet test AdaDeep.Build.sln -c "$CONFIG" --no-build --logger "trx" --results-directory "$results" -v quiet "$@"
rc=$?
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(echo "$counters" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*'); passed=$((passed + ${p:-0}))
  fl=$(echo "$counters" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*'); failed=$((failed + ${fl:-0}))
  # xUnit's skipped tests count in total but not in executed (its trx leaves notExecuted at 0).
  t=$(echo "$counters" | grep -o ' total="[0-9]*"' | grep -o '[0-9]*'); e=$(echo "$counters" | grep -o 'executed="[0-9]*"' | grep -o '[0-9]*')
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
