#!/usr/bin/env bash
# The main job, locally: Azurite (installed from npm, data kept in .azurite/) as the storage account,
# the default driver catalog imported, every active driver synced into the web-root container,
# then where Rancher finds it. Azurite keeps running so the web root stays browsable.
#
# Usage: bash scripts/run-local.sh [catalog]     catalog: rancher-2 (default), rancher-1.6 or a JSON file
#        bash scripts/run-local.sh --stop        stop the Azurite this script started
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pidfile=.azurite/azurite.pid

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then echo "Azurite stopped."; else echo "Azurite was not running."; fi
  rm -f "$pidfile"
  exit 0
fi
catalog=${1:-rancher-2}

if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm ci, pinned by tools/azurite/package-lock.json)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

listening() { (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; }
if ! listening; then
  mkdir -p .azurite
  nohup tools/azurite/node_modules/.bin/azurite --location .azurite --disableTelemetry --silent --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .azurite/azurite.log 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 60); do listening && break; sleep 0.5; done
  listening || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
  echo "Azurite started (pid $(cat "$pidfile"), data in .azurite/)."
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export AzureWebJobsStorage=${AzureWebJobsStorage:-UseDevelopmentStorage=true}
dotnet build src/DriverMirror.Cli -nologo -v:q -warnaserror -warnnotaserror:NU1603 > /dev/null
drivermirror() { src/DriverMirror.Cli/bin/Debug/net10.0/drivermirror "$@"; }

drivermirror catalog import "$catalog"
sync_status=0
drivermirror sync || sync_status=$?
drivermirror drivers list
echo
echo "Stop Azurite with: bash scripts/run-local.sh --stop"
exit "$sync_status"
