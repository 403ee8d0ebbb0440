#!/usr/bin/env bash
# Runs every test against a real Azurite (each test process starts its own on free loopback ports).
# Usage: bash scripts/test.sh [extra dotnet test arguments]
# The last line is always exactly "tests: N passed, M failed", whatever fails (npm, the build, a crashed test host);
# M is at least 1 whenever the exit status is not 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

passed=0; failed=0; skipped=0
summary() {
  status=$?
  trap - EXIT
  set +e
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  # CI reads the last line, exactly "tests: N passed, M failed"; skipped tests (there should be none) come before it.
  echo "skipped: $skipped"
  echo "tests: $passed passed, $failed failed"
  exit "$status"
}
trap summary EXIT

if [ ! -x tools/azurite/node_modules/.bin/azurite ] || [ tools/azurite/package-lock.json -nt tools/azurite/node_modules/.package-lock.json ]; then
  echo "Installing Azurite (npm ci, pinned by tools/azurite/package-lock.json)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build DriverFunctions.sln -warnaserror -warnnotaserror:NU1603 -nologo -v:q
# The benchmarks are not run here, only built, so they cannot rot.
dotnet build bench/DriverMirror.Bench -warnaserror -nologo -v:q
rm -rf TestResults
status=0
dotnet test DriverFunctions.sln --no-build -nologo --logger "trx" --results-directory TestResults "$@" || status=$?

# One closing line CI can read, summed over every test project's TRX file. Outcomes other than passed and
# skipped (failed, error, timeout, aborted, ...) count as failed.
value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
exit "$status"
