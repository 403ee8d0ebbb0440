#!/usr/bin/env bash
# Runs the end-to-end benchmark (see bench/README.md). Everything stays on 127.0.0.1: the bench starts Azurite from
# tools/azurite and a loopback upstream itself. Arguments go to the benchmark, e.g. bench/run.sh --sizes 16,64 --repetitions 5
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -d tools/azurite/node_modules ]]; then
  npm ci --prefix tools/azurite
fi

DRIVER_MIRROR_BENCH_COMMAND="bench/run.sh${*:+ $*}" \
  exec dotnet run -c Release --project bench/DriverMirror.Bench -- "$@"
