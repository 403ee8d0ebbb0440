#!/usr/bin/env bash
# The main job, locally: Azurite (installed from npm, data kept in .azurite/) as the storage account,
# the default driver catalog imported, every active driver synced into the web-root container,
# then where Rancher finds it. Azurite keeps running so the web root stays browsable.
#
# Usage: bash scripts/run-local.sh [--demo] [catalog]   catalog: rancher-2 (default), rancher-1.6 or a JSON file
#        bash scripts/run-local.sh --stop                 stop Azurite (and the demo upstream) this script started
#
# --demo also adds an active driver "demo" whose archive (built here from /bin/true) and UI component are served by a
# stand-in upstream on 127.0.0.1:10080, and lets the egress guard through to 127.0.0.1 for this run only, so a machine
# without internet sees a whole download → verify → publish. The catalog's external drivers are inactive by
# default, as in Rancher; activate one (drivermirror drivers activate linode) and run again to mirror it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pidfile=.azurite/azurite.pid
demo_pidfile=.azurite/demo-upstream.pid
demo_port=10080

stop() { # stop <pidfile> <what>
  if [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null; then echo "$2 stopped."; fi
  rm -f "$1"
}
if [ "${1:-}" = "--stop" ]; then
  stop "$demo_pidfile" "Demo upstream"
  stop "$pidfile" "Azurite"
  exit 0
fi
demo=false
if [ "${1:-}" = "--demo" ]; then demo=true; shift; fi
catalog=${1:-rancher-2}

if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm ci, pinned by tools/azurite/package-lock.json)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

listening() { (exec 3<>/dev/tcp/127.0.0.1/"${1:-10000}") 2>/dev/null; }
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

if $demo; then
  archive=docker-machine-driver-demo_1.0.0_linux_amd64.tar.gz
  mkdir -p .azurite/demo-upstream/build
  if [ ! -f ".azurite/demo-upstream/$archive" ]; then
    cp /bin/true .azurite/demo-upstream/build/docker-machine-driver-demo
    tar -czf ".azurite/demo-upstream/$archive" -C .azurite/demo-upstream/build docker-machine-driver-demo
  fi
  # A custom UI component, as Rancher UI drivers ship one: mirrored beside the archive, with its stylesheet.
  [ -f .azurite/demo-upstream/component.js ] ||
    echo "define('nodes/components/driver-demo/component', [], function () { return {}; });" > .azurite/demo-upstream/component.js
  [ -f .azurite/demo-upstream/component.css ] ||
    echo ".machine-driver.demo { background-color: #2453ff; }" > .azurite/demo-upstream/component.css
  if ! listening "$demo_port"; then
    nohup node scripts/demo-upstream.mjs .azurite/demo-upstream "$demo_port" > .azurite/demo-upstream.log 2>&1 &
    echo $! > "$demo_pidfile"
    for _ in $(seq 1 20); do listening "$demo_port" && break; sleep 0.25; done
  fi
  export Mirror__AllowedNetworks=127.0.0.1/32
  drivermirror drivers show demo > /dev/null 2>&1 ||
    drivermirror drivers add demo --url "http://127.0.0.1:$demo_port/$archive" --display-name "Demo (served on 127.0.0.1)" \
      --ui-url "http://127.0.0.1:$demo_port/component.js"
fi
sync_status=0
drivermirror sync || sync_status=$?
drivermirror drivers list
echo
echo "Stop Azurite with: bash scripts/run-local.sh --stop"
exit "$sync_status"
