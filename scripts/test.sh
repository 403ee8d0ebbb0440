#!/usr/bin/env bash
# Runs every test against a real Azurite (each test process starts its own on free loopback ports).
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -x tools/azurite/node_modules/.bin/azurite ] || [ tools/azurite/package-lock.json -nt tools/azurite/node_modules/.package-lock.json ]; then
  echo "Installing Azurite (npm ci, pinned by tools/azurite/package-lock.json)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build DriverFunctions.sln -warnaserror -warnnotaserror:NU1603 -nologo -v:q
rm -rf TestResults
status=0
dotnet test DriverFunctions.sln --no-build -nologo --logger "trx" --results-directory TestResults "$@" || status=$?

# One closing line CI can read, summed over every test project's TRX file.
passed=0; failed=0; skipped=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
# CI reads the last line, exactly "tests: N passed, M failed"; skipped tests (there should be none) come before it.
echo "skipped: $skipped"
echo "tests: $passed passed, $failed failed"
exit "$status"
